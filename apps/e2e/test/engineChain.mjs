// Engine checks of the operations chain the machine's glare answer depends on (see engine.mjs).

import assert from 'node:assert/strict';

export const CHAIN_SCENARIOS = [
  {
    // #12: the polite peer applies a colliding remote offer while its own parameterless
    // setLocalDescription() still runs (core machine/actors/negotiation.ts yieldBehindOwnOffer;
    // webrtc-pc §10.7 calls setRemoteDescription at once). That relies on two engine facts,
    // checked here in both browsers on a connected pair, mid-call: the remote offer is applied
    // behind our offer (webrtc-pc §4.4.1.2, the operations chain: our offer is set first, its
    // promise resolves), and its implicit rollback (§4.4.1.5) undoes our offer, so the answer
    // that follows completes the exchange; a data message then still round-trips. The fake
    // models the same with `descriptionMs` (core __tests__/model/modelPaths.test.ts glare paths).
    name: '12-engine-remote-offer-chained-behind-own-offer',
    async run(t) {
      const figures = {};
      for (const browser of ['chromium', 'firefox']) {
        const page = await t.page(browser, `chain-${browser}`);
        const rounds = [];
        for (let i = 0; i < 3; i++) {
          rounds.push(
            await page.evaluate(async () => {
              const a = new RTCPeerConnection();
              const b = new RTCPeerConnection();
              // Trickle for the first connection only: the glare below changes no transport
              // (bundle), and a candidate of an m-line the other side does not have yet (or of
              // b's rolled-back offer) is refused ("Index 1 out of range" in Firefox).
              for (const [from, to] of [
                [a, b],
                [b, a],
              ])
                from.onicecandidate = (e) => e.candidate && to.addIceCandidate(e.candidate);
              const chat = a.createDataChannel('chat');
              const remoteChat = new Promise((r) => {
                b.ondatachannel = (e) => r(e.channel);
              });
              await a.setLocalDescription();
              await b.setRemoteDescription(a.localDescription.toJSON());
              await b.setLocalDescription();
              await a.setRemoteDescription(b.localDescription.toJSON());
              const echo = await remoteChat;
              echo.onmessage = (e) => echo.send(`echo:${e.data}`);
              if (chat.readyState !== 'open') await new Promise((r) => (chat.onopen = r));
              a.onicecandidate = null;
              b.onicecandidate = null;
              // Mid-call glare: both add a transceiver; a's offer is set, b's is under way.
              a.addTransceiver('audio');
              b.addTransceiver('audio');
              await a.setLocalDescription();
              const states = [];
              b.onsignalingstatechange = () => states.push(b.signalingState);
              const order = [];
              const own = b.setLocalDescription().then(
                () => order.push(`own:${b.localDescription?.type ?? null}`),
                (e) => order.push(`own failed: ${e.message}`),
              );
              const remote = b.setRemoteDescription(a.localDescription.toJSON()).then(
                () => order.push(`remote:${b.signalingState}`),
                (e) => order.push(`remote failed: ${e.name}: ${e.message}`),
              );
              await Promise.all([own, remote]);
              await b.setLocalDescription();
              await a.setRemoteDescription(b.localDescription.toJSON());
              const reply = new Promise((r) => {
                chat.onmessage = (e) => r(e.data);
              });
              chat.send('ping');
              const echoed = await Promise.race([
                reply,
                new Promise((r) => setTimeout(() => r('no reply within 5 s'), 5_000)),
              ]);
              const result = {
                order,
                states,
                final: [a.signalingState, b.signalingState],
                mids: a.getTransceivers().map((x) => x.mid),
                echoed,
              };
              a.close();
              b.close();
              return result;
            }),
          );
        }
        figures[browser] = rounds[0];
        for (const r of rounds) {
          assert.deepEqual(
            r.order,
            ['own:offer', 'remote:have-remote-offer'],
            `${browser}: our offer set first, then the remote offer over it: ${JSON.stringify(r)}`,
          );
          assert.deepEqual(
            r.states,
            ['have-local-offer', 'stable', 'have-remote-offer', 'stable'],
            `${browser}: the implicit rollback: ${JSON.stringify(r)}`,
          );
          assert.deepEqual(r.final, ['stable', 'stable'], `${browser}: ${JSON.stringify(r)}`);
          assert.equal(r.echoed, 'echo:ping', `${browser}: data after the exchange`);
        }
      }
      t.figure('chainedBehindOwnOffer', figures);
    },
  },
];
