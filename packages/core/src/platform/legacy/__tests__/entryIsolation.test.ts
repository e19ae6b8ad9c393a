import { describe, expect, it } from 'vitest';
import { inputsOf } from '../../../__tests__/bundleInputs.js';

/** The modules only engines older than the promise and track APIs need, wherever they live. */
const LEGACY =
  /\/(legacy\/|legacyCallbackPeerConnection|streamApiPeerConnection|emulatedRtp|legacyStatsReport)/;

describe('the legacy entry', () => {
  it('is not reachable from the main entry', async () => {
    const main = await inputsOf('index.ts');
    expect(main).toContain('platform/detectPeerConnection.ts');
    expect(main.filter((file) => LEGACY.test(`/${file}`))).toEqual([]);
  });

  it('holds the legacy adapters, and nothing of the machine', async () => {
    const legacy = await inputsOf('platform/legacy/index.ts');
    expect(legacy).toEqual(
      expect.arrayContaining([
        'platform/legacy/legacyCallbackPeerConnection.ts',
        'platform/legacy/streamApiPeerConnection.ts',
        'platform/legacy/emulatedRtp.ts',
        'platform/legacy/legacyStatsReport.ts',
        'platform/legacy/compat.ts',
      ]),
    );
    expect(legacy.filter((file) => file.startsWith('machine/'))).toEqual([]);
  });
});
