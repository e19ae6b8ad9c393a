import { generateKeyPairSync } from 'node:crypto';
import { CLOSE_CODES } from '@peerstatejs/signaling';
import { describe, expect, it } from 'vitest';
import { createSignalingToken } from '../auth.js';
import { join, joined, raw, start } from './rawClient.js';

const secret = 'a-test-secret-of-at-least-32-bytes!!';

describe('join tokens', () => {
  it('admits an HS256 token for this room and peer, refuses forged, expired, wrong-room and missing ones', async () => {
    const server = await start({ tokens: { secret } });
    const good = await createSignalingToken({ room: 'r', peer: 'alice' }, { secret });
    expect(await joined(server, 'r', 'alice', { token: good })).toBeTruthy();

    const refused = async (token: string | undefined, room = 'r', peer = 'bob') => {
      const client = await raw(server);
      client.send(join(room, peer, token === undefined ? {} : { token }));
      return client.closed;
    };
    const forged = await createSignalingToken(
      { room: 'r', peer: 'bob' },
      { secret: 'another-secret-of-at-least-32-bytes!' },
    );
    expect(await refused(forged)).toEqual({
      code: CLOSE_CODES.TOKEN_INVALID,
      reason: 'token invalid: bad signature',
    });
    const [header, payload, signature] = (
      await createSignalingToken({ room: 'r', peer: 'bob' }, { secret })
    ).split('.');
    const otherPayload = Buffer.from(JSON.stringify({ room: 'r', sub: 'bob', exp: 4e9 })).toString(
      'base64url',
    );
    expect(payload).not.toBe(otherPayload);
    expect(await refused(`${header}.${otherPayload}.${signature}`)).toMatchObject({
      code: CLOSE_CODES.TOKEN_INVALID,
    });
    const expired = await createSignalingToken(
      { room: 'r', peer: 'bob', expiresIn: -60 },
      { secret },
    );
    expect(await refused(expired)).toEqual({
      code: CLOSE_CODES.TOKEN_EXPIRED,
      reason: 'token expired',
    });
    const elsewhere = await createSignalingToken({ room: 'other', peer: 'bob' }, { secret });
    expect(await refused(elsewhere)).toEqual({
      code: CLOSE_CODES.TOKEN_INVALID,
      reason: 'token invalid: another room',
    });
    expect(await refused(undefined)).toEqual({
      code: CLOSE_CODES.TOKEN_INVALID,
      reason: 'token invalid: none given',
    });
    expect(await refused('not.a.jwt')).toMatchObject({ code: CLOSE_CODES.TOKEN_INVALID });
    // Unsigned tokens (alg "none") never pass.
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${otherPayload}.`;
    expect(await refused(none)).toMatchObject({ code: CLOSE_CODES.TOKEN_INVALID });
    expect(server.stats()).toMatchObject({ peers: 1 });
  });

  it('takes over a peer id only with a token for that id', async () => {
    const server = await start({ tokens: { secret } });
    const aliceToken = await createSignalingToken({ room: 'r', peer: 'alice' }, { secret });
    const alice = await joined(server, 'r', 'alice', { token: aliceToken });
    const bob = await joined(server, 'r', 'bob', {
      token: await createSignalingToken({ room: 'r', peer: 'bob' }, { secret }),
    });

    // Mallory holds a valid token, for herself: she cannot be alice.
    const mallory = await raw(server);
    mallory.send(
      join('r', 'alice', {
        session: 'mallory',
        token: await createSignalingToken({ room: 'r', peer: 'mallory' }, { secret }),
      }),
    );
    expect(await mallory.closed).toEqual({
      code: CLOSE_CODES.TOKEN_INVALID,
      reason: 'token invalid: another peer id',
    });
    bob.send({ t: 'signal', seq: 1, data: 'still there?' });
    expect(await alice.next((frame) => frame.t === 'signal')).toMatchObject({ from: 'bob' });
    expect(bob.frames.some((frame) => frame.t === 'peer-left')).toBe(false);

    // Alice's own reloaded page (a new session) with her token does replace her.
    const reloaded = await raw(server);
    reloaded.send(join('r', 'alice', { session: 'reloaded', token: aliceToken }));
    expect(await alice.closed).toMatchObject({ code: CLOSE_CODES.REPLACED });
    expect(await reloaded.next((frame) => frame.t === 'joined')).toMatchObject({ resumed: false });
  });

  it('resumes a live session with its token expired meanwhile, but admits no new one with it', async () => {
    let now = Date.now();
    const server = await start({ tokens: { secret }, now: () => now });
    const token = await createSignalingToken(
      { room: 'r', peer: 'alice', expiresIn: 60 },
      { secret },
    );
    const alice = await joined(server, 'r', 'alice', { token });
    alice.socket.terminate();
    await alice.closed;
    now += 120_000;
    const back = await raw(server);
    back.send(join('r', 'alice', { token }));
    expect(await back.next((frame) => frame.t === 'joined')).toMatchObject({ resumed: true });
    const fresh = await raw(server);
    fresh.send(join('r', 'alice', { session: 'new', token }));
    expect(await fresh.closed).toMatchObject({ code: CLOSE_CODES.TOKEN_EXPIRED });
  });

  it.each([
    ['EdDSA', () => generateKeyPairSync('ed25519')],
    ['ES256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' })],
  ] as const)('verifies %s tokens with the public key only', async (algorithm, generate) => {
    const { publicKey, privateKey } = generate();
    const server = await start({
      tokens: { publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    });
    const token = await createSignalingToken(
      { room: 'r', peer: 'alice' },
      { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), algorithm },
    );
    expect(await joined(server, 'r', 'alice', { token })).toBeTruthy();
    // A token signed with another pair, or with HMAC (no secret configured), is refused.
    const other = generate().privateKey;
    const stranger = await raw(server);
    stranger.send(
      join('r', 'bob', {
        token: await createSignalingToken(
          { room: 'r', peer: 'bob' },
          { privateKey: other, algorithm },
        ),
      }),
    );
    expect(await stranger.closed).toMatchObject({ code: CLOSE_CODES.TOKEN_INVALID });
    const hmac = await raw(server);
    hmac.send(
      join('r', 'carol', {
        token: await createSignalingToken({ room: 'r', peer: 'carol' }, { secret }),
      }),
    );
    expect(await hmac.closed).toEqual({
      code: CLOSE_CODES.TOKEN_INVALID,
      reason: 'token invalid: algorithm not allowed',
    });
  });

  it('refuses a secret shorter than 32 bytes at start', async () => {
    await expect(start({ tokens: { secret: 'short' } })).rejects.toThrow(/32 bytes/);
  });
});
