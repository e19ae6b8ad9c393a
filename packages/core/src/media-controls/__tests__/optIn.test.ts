/**
 * The media controls are opt-in (`@peerstatejs/core/media-controls`): without them each control
 * command settles with `UNSUPPORTED` naming the entry and changes nothing; a peer without them
 * still shows what a remote with them muted. The bundle test keeps them out of the main entry.
 */
import { describe, expect, it } from 'vitest';
import { inputsOf } from '../../__tests__/bundleInputs.js';
import { UnsupportedError } from '../../errors.js';
import {
  bothConnected,
  bothSettled,
  closeAndExpectNoLeaks,
  createTestCall,
  until,
} from '../../machine/__tests__/call.js';
import { peerCommands } from '../../machine/peerCommands.js';
import type { PeerCommand } from '../../machine/types.js';
import { createFakeMediaDevices } from '../../testing/index.js';
import { mediaControls } from '../index.js';

const CONTROLS: PeerCommand[] = [
  { type: 'SET_MUTED', muted: true },
  { type: 'SWITCH_DEVICE', kind: 'video', deviceId: 'other' },
  { type: 'START_SCREEN_SHARE' },
  { type: 'STOP_SCREEN_SHARE' },
  { type: 'SET_SENDER_PARAMETERS', parameters: { maxBitrate: 100_000 } },
  { type: 'SET_CODEC_PREFERENCES', kind: 'video', mimeTypes: ['video/VP8'] },
];

describe('without the media controls', () => {
  it('each control command settles with UNSUPPORTED naming the entry, and changes nothing', async () => {
    const call = createTestCall({ a: { mediaDevices: createFakeMediaDevices() } });
    call.a.actor.send({ type: 'START_MEDIA', constraints: { audio: true, video: true } });
    await bothConnected(call);
    await bothSettled(call);
    const before = call.a.actor.getSnapshot();
    const { intent } = before.context;
    for (const command of CONTROLS) {
      const id = `no-controls-${command.type}`;
      call.a.actor.send({ ...command, id });
      const settled = call.a.emitted.find((e) => e.type === 'settled' && e.id === id);
      expect(settled).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
      const error = settled?.type === 'settled' && !settled.ok ? settled.error : null;
      expect(error?.message).toContain(command.type);
      expect(error?.message).toContain('@peerstatejs/core/media-controls');
      // As documented (errors.ts, guide 10): the option that was looked for.
      expect(error).toBeInstanceOf(UnsupportedError);
      expect((error as UnsupportedError).lookedFor).toEqual(['mediaControls']);
    }
    // The promise facade (what useLocalMedia returns) rejects with the same error.
    await expect(peerCommands(call.a.actor).setMuted('audio', true)).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      lookedFor: ['mediaControls'],
    });
    // The call goes on: an UNSUPPORTED refusal is not the "no peer connection" one (`failed`).
    const after = call.a.actor.getSnapshot();
    expect(after.value).toEqual(before.value);
    expect(after.context.intent).toBe(intent);
    expect(intent.transceivers.map((e) => e.track?.enabled)).toEqual([true, true]);
    expect(call.a.sent.filter((m) => m.type === 'muted')).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it("still shows what a remote with them muted (the remote's muted message)", async () => {
    const call = createTestCall({
      a: { mediaDevices: createFakeMediaDevices(), mediaControls },
    });
    call.a.actor.send({ type: 'START_MEDIA', constraints: { audio: true } });
    await bothConnected(call);
    await until(call.b, (s) => s.context.remoteTracks.length === 1);
    await bothSettled(call);
    await peerCommands(call.a.actor).setMuted('audio', true);
    await until(call.b, (s) => s.context.remoteTracks[0]?.mutedByPeer === true);
    expect(call.b.emitted.some((e) => e.type === 'peerMuted')).toBe(true);
    await closeAndExpectNoLeaks(call);
  });
});

/** The modules only the media controls need. */
const CONTROLS_MODULES = [
  'machine/media/controls.actions.ts',
  'machine/media/controls.intent.ts',
  'machine/media/senderSettings.ts',
  'media-controls/index.ts',
];

describe('the media-controls entry', () => {
  it('is not reachable from the main entry', async () => {
    const main = await inputsOf('index.ts');
    expect(main).toContain('machine/media/controls.ts');
    expect(main.filter((file) => CONTROLS_MODULES.includes(file))).toEqual([]);
  });

  it('holds the controls', async () => {
    expect(await inputsOf('media-controls/index.ts')).toEqual(
      expect.arrayContaining(CONTROLS_MODULES),
    );
  });
});
