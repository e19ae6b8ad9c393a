/**
 * `raw-baseline`: two plain RTCPeerConnections in one page, no SDK. Bundled separately from
 * `fixture.ts` so it proves the harness (server, Chromium, flags, networking) even when the SDK
 * does not build. If this fails, SDK failures say nothing about the SDK.
 */
import {
  now,
  poll,
  record,
  registerScenarios,
  type ScenarioOptions,
  withTimeout,
} from './harness.ts';

const connections: Record<string, RTCPeerConnection> = {};

function instrument(name: string, pc: RTCPeerConnection): void {
  connections[name] = pc;
  for (const type of [
    'signalingstatechange',
    'iceconnectionstatechange',
    'icegatheringstatechange',
    'connectionstatechange',
  ] as const) {
    pc.addEventListener(type, () => {
      record(
        name,
        type.replace('statechange', ''),
        `${pc.signalingState}/${pc.iceConnectionState}/${pc.iceGatheringState}/${pc.connectionState}`,
      );
    });
  }
}

function nextMessage(channel: RTCDataChannel, ms: number, what: string): Promise<string> {
  return withTimeout(
    new Promise<string>((resolve) => {
      channel.addEventListener('message', (event) => resolve(String(event.data)), { once: true });
    }),
    ms,
    what,
  );
}

async function rawBaseline({ timeoutMs }: ScenarioOptions) {
  const started = now();
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  instrument('a', a);
  instrument('b', b);
  a.addEventListener('icecandidate', (event) => void b.addIceCandidate(event.candidate));
  b.addEventListener('icecandidate', (event) => void a.addIceCandidate(event.candidate));

  const chatA = a.createDataChannel('chat');
  const remoteChannel = withTimeout(
    new Promise<RTCDataChannel>((resolve) => {
      b.addEventListener('datachannel', (event) => resolve(event.channel), { once: true });
    }),
    timeoutMs,
    'b datachannel event',
  );

  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription!);

  const connectedAt: Record<string, number> = {};
  await poll(
    () => {
      for (const [name, pc] of Object.entries(connections)) {
        if (pc.connectionState === 'connected' && connectedAt[name] === undefined) {
          connectedAt[name] = Math.round(now() - started);
        }
      }
      return Object.keys(connectedAt).length === 2;
    },
    timeoutMs,
    'both connectionState === connected',
    5,
  );

  const chatB = await remoteChannel;
  await poll(
    () => chatA.readyState === 'open' && chatB.readyState === 'open',
    timeoutMs,
    'chat open on both sides',
    5,
  );
  const sent = { a: 'hello from a — ünïcödé ✓ 🚀', b: 'reply from b — ✓ 🛰️' };
  const atB = nextMessage(chatB, timeoutMs, 'message at b');
  chatA.send(sent.a);
  const receivedB = await atB;
  const atA = nextMessage(chatA, timeoutMs, 'message at a');
  chatB.send(sent.b);
  const receivedA = await atA;
  record('fixture', 'messages', JSON.stringify({ receivedA, receivedB }));

  const result = {
    connectionState: { a: a.connectionState, b: b.connectionState },
    connectedMs: connectedAt,
    sent,
    received: { a: receivedA, b: receivedB },
    remoteLabel: chatB.label,
  };
  a.close();
  b.close();
  return result;
}

registerScenarios({ 'raw-baseline': rawBaseline }, () =>
  Object.fromEntries(
    Object.entries(connections).map(([name, pc]) => [
      name,
      {
        signalingState: pc.signalingState,
        iceConnectionState: pc.iceConnectionState,
        iceGatheringState: pc.iceGatheringState,
        connectionState: pc.connectionState,
      },
    ]),
  ),
);
