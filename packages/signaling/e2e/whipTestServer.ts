/**
 * A small WHIP/WHEP endpoint for the end-to-end test: a real answering WebRTC stack (werift),
 * forwarding the publisher's RTP to every viewer like a minimal SFU. Loopback only: it answers
 * with 127.0.0.1 candidates and ignores any other candidate the clients trickle.
 */

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  MediaStreamTrack,
  RTCPeerConnection,
  type RTCRtpTransceiver,
  type RtpPacket,
  useVP8,
} from 'werift';
import { parseTrickleFragment, SDPFRAG_CONTENT_TYPE } from '../src/index.js';

export interface WhipTestServer {
  readonly origin: string;
  /** Sessions alive right now, by kind. */
  sessions(): { whip: number; whep: number };
  /** RTP packets received from publishers / written to viewers. */
  readonly counters: { received: number; forwarded: number; trickled: number };
  close(): Promise<void>;
}

interface Session {
  readonly kind: 'whip' | 'whep';
  readonly pc: RTCPeerConnection;
  etag: string;
  readonly cleanup: () => void;
}

const LOOPBACK = '127.0.0.1';

export async function startWhipTestServer(
  options: { token?: string } = {},
): Promise<WhipTestServer> {
  const sessions = new Map<string, Session>();
  const viewers = new Set<MediaStreamTrack>();
  const publishers = new Set<{ transceiver: RTCRtpTransceiver; ssrc: number }>();
  const counters = { received: 0, forwarded: 0, trickled: 0 };

  const newPeerConnection = () =>
    new RTCPeerConnection({
      codecs: { video: [useVP8()], audio: [] },
      iceUseIpv6: false,
      iceAdditionalHostAddresses: [LOOPBACK],
      // Only loopback pairs: nothing leaves 127.0.0.1.
      iceFilterCandidatePair: (pair) =>
        pair.remoteCandidate.host === LOOPBACK && pair.localCandidate.host === LOOPBACK,
    });

  const answerOf = async (pc: RTCPeerConnection, offer: string): Promise<string> => {
    await pc.setRemoteDescription({ type: 'offer', sdp: offer });
    await pc.setLocalDescription(await pc.createAnswer());
    if (pc.iceGatheringState !== 'complete') {
      await new Promise<void>((resolve) => {
        const { unSubscribe } = pc.iceGatheringStateChange.subscribe((state) => {
          if (state === 'complete') {
            unSubscribe();
            resolve();
          }
        });
      });
    }
    const sdp = pc.localDescription?.sdp ?? '';
    // Keep only loopback UDP candidates.
    return sdp
      .split('\r\n')
      .filter(
        (line) =>
          !line.startsWith('a=candidate:') ||
          (line.includes(` udp `) && line.includes(` ${LOOPBACK} `)),
      )
      .join('\r\n');
  };

  // Viewers need a keyframe to start decoding: ask publishers for one now and then.
  const pli = setInterval(() => {
    if (viewers.size === 0) return;
    for (const { transceiver, ssrc } of publishers) void transceiver.receiver.sendRtcpPLI(ssrc);
  }, 500);

  const post = async (
    kind: 'whip' | 'whep',
    request: IncomingMessage,
    response: ServerResponse,
  ) => {
    if (
      options.token !== undefined &&
      request.headers.authorization !== `Bearer ${options.token}`
    ) {
      return reply(response, 401, 'bad token');
    }
    if (request.headers['content-type'] !== 'application/sdp')
      return reply(response, 415, 'sdp only');
    const offer = await body(request);
    const pc = newPeerConnection();
    const id = randomUUID();
    let cleanup = () => {};
    if (kind === 'whip') {
      pc.onTrack.subscribe((track) => {
        const transceiver = pc
          .getTransceivers()
          .find((candidate) => candidate.receiver.track === track);
        const forwarding = track.onReceiveRtp.subscribe((rtp: RtpPacket) => {
          counters.received += 1;
          if (transceiver) publishers.add({ transceiver, ssrc: rtp.header.ssrc });
          for (const viewer of viewers) {
            viewer.writeRtp(rtp.clone());
            counters.forwarded += 1;
          }
        });
        cleanup = () => {
          forwarding.unSubscribe();
          for (const entry of publishers)
            if (entry.transceiver === transceiver) publishers.delete(entry);
        };
      });
    } else {
      const track = new MediaStreamTrack({ kind: 'video' });
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      for (const transceiver of pc.getTransceivers()) {
        if (transceiver.kind !== 'video') continue;
        transceiver.setDirection('sendonly');
        await transceiver.sender.replaceTrack(track);
      }
      viewers.add(track);
      cleanup = () => viewers.delete(track);
    }
    const answer = await answerOf(pc, offer);
    const session: Session = { kind, pc, etag: `"${id}-1"`, cleanup: () => cleanup() };
    sessions.set(id, session);
    response.writeHead(201, {
      'Content-Type': 'application/sdp',
      Location: `/resource/${id}`,
      ETag: session.etag,
    });
    response.end(answer);
  };

  const patch = async (session: Session, request: IncomingMessage, response: ServerResponse) => {
    const ifMatch = request.headers['if-match'];
    // werift cannot restart ICE on the answering side; RFC 9725 says 422 for "trickle only".
    if (ifMatch === '*') return reply(response, 422, 'ICE restart not supported here');
    if (ifMatch !== session.etag) return reply(response, 412, 'stale ETag');
    if (request.headers['content-type'] !== SDPFRAG_CONTENT_TYPE)
      return reply(response, 415, 'sdpfrag only');
    const fragment = parseTrickleFragment(await body(request));
    for (const item of fragment.candidates) {
      if (!item.candidate.includes(` ${LOOPBACK} `) || !item.candidate.includes(' udp ')) continue;
      counters.trickled += 1;
      await session.pc.addIceCandidate({ candidate: item.candidate, sdpMid: item.mid ?? '0' });
    }
    response.writeHead(204).end();
  };

  const http = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const handle = async () => {
      if (request.method === 'POST' && url.pathname === '/whip')
        return post('whip', request, response);
      if (request.method === 'POST' && url.pathname === '/whep')
        return post('whep', request, response);
      // Exercises fetch's own redirect handling (a POST body replayed on 307).
      if (request.method === 'POST' && url.pathname === '/moved/whip') {
        response.writeHead(307, { Location: '/whip' }).end();
        return;
      }
      const match = /^\/resource\/([0-9a-f-]+)$/.exec(url.pathname);
      const session = match?.[1] ? sessions.get(match[1]) : undefined;
      if (!session || !match?.[1]) return reply(response, 404, 'no such session');
      if (request.method === 'PATCH') return patch(session, request, response);
      if (request.method === 'DELETE') {
        sessions.delete(match[1]);
        session.cleanup();
        await session.pc.close();
        response.writeHead(200).end();
        return;
      }
      reply(response, 405, 'method not allowed');
    };
    handle().catch((error: unknown) => reply(response, 500, String(error)));
  });
  await new Promise<void>((resolve) => http.listen(0, LOOPBACK, resolve));
  const { port } = http.address() as AddressInfo;

  return {
    origin: `http://${LOOPBACK}:${port}`,
    counters,
    sessions: () => {
      const all = [...sessions.values()];
      return {
        whip: all.filter((session) => session.kind === 'whip').length,
        whep: all.filter((session) => session.kind === 'whep').length,
      };
    },
    async close() {
      clearInterval(pli);
      for (const session of sessions.values()) {
        session.cleanup();
        await session.pc.close();
      }
      sessions.clear();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function reply(response: ServerResponse, status: number, text: string): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'Content-Type': 'text/plain' }).end(text);
}

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
