// Engine checks of data channels the machine's behaviour depends on (see engine.mjs).

import assert from 'node:assert/strict';

export const FIREFOX_CHANNEL_SCENARIOS = [
  {
    // #12: Firefox 153 loses a data channel created while setLocalDescription(offer) runs: no
    // negotiationneeded for it (webrtc-pc §4.7.3: the flag is updated once back in stable, which
    // fires it; Chromium does), and no later offer carries an application m-section, even after
    // another change fired negotiationneeded (seen: 227 offers in 15 s without it, the machine
    // re-offering after each answer). The same holds for a channel created during
    // setRemoteDescription or a rollback (not during a local answer). So the machine never
    // creates a channel while a description operation runs (data/dataChannel.actions.ts).
    // Asserted with the explicit offer, where the timing is certain. The parameterless call
    // has its offer made when it starts, so a channel created during it is lost the same way:
    // recorded as a figure only (whether 1 ms lands inside the call is luck). The fake does
    // the same with `negotiatesChannelsCreatedDuringDescription: false` (core
    // testing/__tests__/channelDuringOffer).
    name: '12-engine-firefox-channel-created-during-offer',
    async run(t) {
      const figures = {};
      for (const browser of ['firefox', 'chromium']) {
        const page = await t.page(browser, `channel-${browser}`);
        const round = (variant) =>
          page.evaluate(async (variant) => {
            const a = new RTCPeerConnection();
            const b = new RTCPeerConnection();
            const events = [];
            a.onnegotiationneeded = () => events.push(a.signalingState);
            const nextEvent = (ms = 10_000) =>
              new Promise((resolve, reject) => {
                const timer = setTimeout(() => reject(new Error('no negotiationneeded')), ms);
                a.addEventListener(
                  'negotiationneeded',
                  () => {
                    clearTimeout(timer);
                    resolve();
                  },
                  { once: true },
                );
              });
            const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
            for (const track of stream.getTracks()) a.addTrack(track, stream);
            await nextEvent();
            let pending = true;
            let createdWhilePending = false;
            const create = () => {
              createdWhilePending = pending;
              a.createDataChannel('chat');
            };
            let applied;
            if (variant === 'explicit') {
              // Deterministic: the channel is created while setLocalDescription(offer) runs.
              applied = a.setLocalDescription(await a.createOffer());
              create();
              await applied.then(() => {
                pending = false;
              });
            } else {
              // What the machine does (parameterless); whether 1 ms lands inside the call is luck.
              applied = a.setLocalDescription().then(() => {
                pending = false;
              });
              await new Promise((r) => setTimeout(() => r(create()), 1));
              await applied;
            }
            const offer = a.localDescription.toJSON();
            await b.setRemoteDescription(offer);
            await b.setLocalDescription();
            const before = events.length;
            const fired = nextEvent(1_000).then(
              () => 1,
              () => 0,
            );
            await a.setRemoteDescription(b.localDescription.toJSON());
            // Chromium fires within a task of the answer; 1 s without it is Firefox's "never" (a
            // slow Firefox could only make this check pass wrongly, not fail).
            const result = {
              createdWhilePending,
              inOffer: offer.sdp.includes('m=application'),
              firedForChannel: await fired,
              stateWhenFired: events[before] ?? null,
            };
            // Another change: Firefox fires for it (its flag was clear), Chromium's flag is
            // still set from the channel. Either way the next offer tells whether the channel
            // is still to be negotiated.
            const firedForChange = nextEvent(1_000).then(
              () => 1,
              () => 0,
            );
            a.addTransceiver('video');
            result.firedAfterChange = await firedForChange;
            result.channelInNextOffer = (await a.createOffer()).sdp.includes('m=application');
            for (const track of stream.getTracks()) track.stop();
            a.close();
            b.close();
            return result;
          }, variant);
        const explicit = [await round('explicit'), await round('explicit')];
        const parameterless = await round('parameterless');
        figures[browser] = { explicit, parameterless };
        for (const r of explicit) {
          assert.ok(
            r.createdWhilePending && !r.inOffer,
            `${browser}: premise: ${JSON.stringify(r)}`,
          );
          if (browser === 'firefox') {
            assert.deepEqual(
              [r.firedForChannel, r.firedAfterChange, r.channelInNextOffer],
              [0, 1, false],
              'Firefox now negotiates a channel created while setLocalDescription(offer) ran ' +
                '(the deferral in data/dataChannel.actions.ts may go): ' +
                JSON.stringify(r),
            );
          } else {
            assert.deepEqual(
              [r.firedForChannel, r.firedAfterChange, r.channelInNextOffer],
              [1, 0, true],
              `Chromium: negotiationneeded after the answer: ${JSON.stringify(r)}`,
            );
          }
        }
      }
      t.figure('channelCreatedDuringOffer', figures);
      // The other operations, on one connection each: is the channel in the next offer?
      const others = {};
      for (const browser of ['firefox', 'chromium']) {
        const page = await t.page(browser, `channel-ops-${browser}`);
        others[browser] = await page.evaluate(async () => {
          const out = {};
          const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
          const during = async (name, steps) => {
            const a = new RTCPeerConnection();
            const b = new RTCPeerConnection();
            for (const track of stream.getTracks()) a.addTrack(track, stream);
            const who = await steps(a, b);
            out[name] = (await who.createOffer()).sdp.includes('m=application');
            a.close();
            b.close();
          };
          const offer = async (a, b) => {
            await a.setLocalDescription(await a.createOffer());
            await b.setRemoteDescription(a.localDescription.toJSON());
          };
          await during('remoteOffer', async (a, b) => {
            await a.setLocalDescription(await a.createOffer());
            const applied = b.setRemoteDescription(a.localDescription.toJSON());
            b.createDataChannel('chat');
            await applied;
            await b.setLocalDescription();
            await a.setRemoteDescription(b.localDescription.toJSON());
            return b;
          });
          await during('remoteAnswer', async (a, b) => {
            await offer(a, b);
            await b.setLocalDescription();
            const applied = a.setRemoteDescription(b.localDescription.toJSON());
            a.createDataChannel('chat');
            await applied;
            return a;
          });
          await during('rollback', async (a) => {
            await a.setLocalDescription(await a.createOffer());
            const applied = a.setLocalDescription({ type: 'rollback' });
            a.createDataChannel('chat');
            await applied;
            return a;
          });
          await during('localAnswer', async (a, b) => {
            await offer(a, b);
            const applied = b.setLocalDescription();
            b.createDataChannel('chat');
            await applied;
            await a.setRemoteDescription(b.localDescription.toJSON());
            return b;
          });
          for (const track of stream.getTracks()) track.stop();
          return out;
        });
      }
      t.figure('channelInNextOfferAfterCreatedDuring', others);
      assert.deepEqual(
        others.firefox,
        { remoteOffer: false, remoteAnswer: false, rollback: false, localAnswer: true },
        'Firefox: which operations lose a channel created during them',
      );
      assert.deepEqual(
        others.chromium,
        { remoteOffer: true, remoteAnswer: true, rollback: true, localAnswer: true },
        'Chromium keeps every channel',
      );
    },
  },
];
