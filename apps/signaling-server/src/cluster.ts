/**
 * Several instances over Redis. Each room is owned by one instance at a time (a lease in Redis,
 * renewed while it holds the room); that instance runs the room as the embedded server does and
 * keeps its state in Redis too (`roomStore.ts`). A client connected to another instance is
 * relayed to the owner over Redis pub/sub, frame by frame, in order. When an owner dies its lease
 * runs out, the relaying instances close their clients with 1001, and the next owner restores
 * the room from Redis: the clients resume their sessions there, with nothing lost or repeated.
 * @module
 */

import { Redis } from 'ioredis';
import { roomKeys } from './roomStore.js';

/** A message between instances, on the channel of the instance it is for. */
export type ClusterMessage =
  /** Relaying instance → owner: a client joined (its token already checked). */
  | { readonly k: 'join'; readonly c: string; readonly from: string; readonly frame: unknown }
  /** Relaying instance → owner: a frame of that client. */
  | { readonly k: 'frame'; readonly c: string; readonly frame: unknown }
  /** Relaying instance → owner: the client's socket is gone. */
  | { readonly k: 'closed'; readonly c: string }
  /** Owner → relaying instance: a serialized server frame for the client. */
  | { readonly k: 'out'; readonly c: string; readonly text: string }
  /** Owner → relaying instance: close the client's socket. */
  | { readonly k: 'refuse'; readonly c: string; readonly code: number; readonly reason: string };

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface ClusterOptions {
  readonly redis: string;
  readonly instance: string;
  /** How long a dead instance keeps its rooms and looks alive, in ms. @defaultValue 3000 */
  readonly lease: number;
  readonly onMessage: (message: ClusterMessage) => void;
  readonly onError: (error: Error) => void;
}

export class Cluster {
  readonly instance: string;
  readonly #options: ClusterOptions;
  readonly #commands: Redis;
  readonly #subscriber: Redis;
  readonly #prefix = 'peerstate:signaling:';

  constructor(options: ClusterOptions) {
    this.#options = options;
    this.instance = options.instance;
    const redis = { lazyConnect: true, maxRetriesPerRequest: 3 } as const;
    this.#commands = new Redis(options.redis, redis);
    this.#subscriber = new Redis(options.redis, redis);
    for (const client of [this.#commands, this.#subscriber])
      client.on('error', (error: Error) => options.onError(error));
  }

  /** The connection for commands (not the subscriber's). */
  get commands(): Redis {
    return this.#commands;
  }

  async start(): Promise<void> {
    await Promise.all([this.#commands.connect(), this.#subscriber.connect()]);
    this.#subscriber.on('message', (_channel: string, text: string) => {
      let message: ClusterMessage;
      try {
        message = JSON.parse(text) as ClusterMessage;
      } catch {
        return;
      }
      this.#options.onMessage(message);
    });
    await this.#subscriber.subscribe(this.#channel(this.instance));
    await this.heartbeat([]);
  }

  /** The room's owner, claiming it when it has none or its owner is dead. */
  async owner(room: string): Promise<string> {
    const key = this.#roomKey(room);
    for (;;) {
      const claimed = await this.#commands.set(key, this.instance, 'PX', this.#options.lease, 'NX');
      if (claimed === 'OK') return this.instance;
      const owner = await this.#commands.get(key);
      if (owner === null) continue;
      if ((await this.#commands.exists(this.#aliveKey(owner))) === 1) return owner;
      // The owner died and its lease has not run out yet: take the room over now.
      await this.#commands.eval(RELEASE, 1, key, owner);
    }
  }

  /**
   * Says this instance is alive and extends its leases on `rooms`; resolves with the rooms whose
   * lease it lost (another instance owns them now).
   */
  async heartbeat(rooms: readonly string[]): Promise<string[]> {
    const pipeline = this.#commands.pipeline();
    pipeline.set(this.#aliveKey(this.instance), '1', 'PX', this.#options.lease);
    for (const room of rooms)
      pipeline.eval(RENEW, 1, this.#roomKey(room), this.instance, this.#options.lease);
    const results = (await pipeline.exec()) ?? [];
    return rooms.filter((_, index) => results[index + 1]?.[1] !== 1);
  }

  /** The instances of `instances` that are not alive any more. */
  async dead(instances: readonly string[]): Promise<string[]> {
    if (instances.length === 0) return [];
    const pipeline = this.#commands.pipeline();
    for (const instance of instances) pipeline.exists(this.#aliveKey(instance));
    const results = (await pipeline.exec()) ?? [];
    return instances.filter((_, index) => results[index]?.[1] === 0);
  }

  async release(rooms: readonly string[]): Promise<void> {
    if (rooms.length === 0) return;
    const pipeline = this.#commands.pipeline();
    for (const room of rooms) pipeline.eval(RELEASE, 1, this.#roomKey(room), this.instance);
    await pipeline.exec();
  }

  send(instance: string, message: ClusterMessage): void {
    this.#commands.publish(this.#channel(instance), JSON.stringify(message)).catch(() => {
      // Redis is down: ioredis reports it through 'error'; the peers resend what is not acked.
    });
  }

  /** Leaves the cluster: this instance's rooms and liveness go at once, not after the lease. */
  async close(rooms: readonly string[]): Promise<void> {
    try {
      await this.release(rooms);
      await this.#commands.del(this.#aliveKey(this.instance));
    } finally {
      this.#subscriber.disconnect();
      this.#commands.disconnect();
    }
  }

  #channel(instance: string): string {
    return `${this.#prefix}instance:${instance}`;
  }

  #roomKey(room: string): string {
    return roomKeys(room).owner;
  }

  #aliveKey(instance: string): string {
    return `${this.#prefix}alive:${instance}`;
  }
}
