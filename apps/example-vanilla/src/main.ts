import {
  createInMemorySignalingPair,
  createPeer,
  type PeerActor,
  peerActions,
  peerView,
} from '@peerstatejs/core';

const [left, right] = createInMemorySignalingPair();
const peers: Array<{ name: string; actor: PeerActor }> = [
  { name: 'Alice (impolite)', actor: createPeer({ signaling: left, polite: false, id: 'alice' }) },
  { name: 'Bob (polite)', actor: createPeer({ signaling: right, polite: true, id: 'bob' }) },
];

const container = document.querySelector<HTMLElement>('#peers');
if (!container) throw new Error('#peers missing');

for (const { name, actor } of peers) {
  const section = document.createElement('section');
  section.innerHTML = `
    <h2>${name}</h2>
    <p>Phase: <span class="phase"></span></p>
    <div>
      <button data-action="media">Start camera + mic</button>
      <button data-action="channel">Open data channel</button>
      <button data-action="send">Send "hello"</button>
      <button data-action="restart">Restart ICE</button>
      <button data-action="close">Close</button>
    </div>
    <video autoplay playsinline muted></video>
    <h3>State</h3><pre class="state"></pre>
    <h3>Messages and errors</h3><pre class="log"></pre>`;
  container.append(section);
  const actions = peerActions((command) => actor.send(command));
  const phase = section.querySelector<HTMLElement>('.phase');
  const state = section.querySelector<HTMLElement>('.state');
  const log = section.querySelector<HTMLElement>('.log');
  const video = section.querySelector<HTMLVideoElement>('video');
  const write = (line: string) => {
    if (log) log.textContent = `${line}\n${log.textContent ?? ''}`;
  };

  section.addEventListener('click', (event) => {
    const action = (event.target as HTMLElement).dataset.action;
    if (action === 'media') actions.startMedia({ audio: true, video: true });
    if (action === 'channel') actions.createDataChannel('chat');
    if (action === 'send') actions.sendData('chat', `hello from ${name}`);
    if (action === 'restart') actions.restartIce();
    if (action === 'close') actions.close();
  });
  actor.on('data', ({ label, data }) => write(`[${label}] ${String(data)}`));
  actor.on('error', ({ error }) => write(`error ${error.code}: ${error.message}`));
  actor.subscribe((snapshot) => {
    const view = peerView(snapshot);
    if (phase) phase.textContent = view.phase;
    if (state) {
      state.textContent = JSON.stringify(
        {
          value: snapshot.value,
          counters: snapshot.context.counters,
          pc: snapshot.context.pcStates,
        },
        null,
        2,
      );
    }
    const stream = view.remoteStreams[0] ?? null;
    if (video && video.srcObject !== stream) video.srcObject = stream;
  });
}

for (const { actor } of peers) actor.start();
