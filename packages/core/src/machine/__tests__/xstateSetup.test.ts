import { describe, expect, it } from 'vitest';
import { createActor, fromCallback } from 'xstate';
import { setup } from '../xstateSetup.js';

describe('the light setup', () => {
  it('builds a machine with every implementation, extensions merged over the base', () => {
    const seen: string[] = [];
    const base = setup({
      types: {} as { context: { n: number }; events: { type: 'go' } },
      actors: { ticker: fromCallback(() => () => seen.push('stopped')) },
      guards: { small: ({ context }) => context.n < 2 },
      delays: { soon: 1 },
    });
    const extended = base.extend({
      actions: {
        bump: base.assign({ n: ({ context }) => context.n + 1 }),
        note: () => seen.push('note'),
      },
    });
    const machine = extended.createMachine({
      context: { n: 0 },
      invoke: { src: 'ticker' },
      on: { go: { guard: 'small', actions: ['bump', 'note'] } },
    });
    const actor = createActor(machine).start();
    for (let i = 0; i < 3; i++) actor.send({ type: 'go' });
    expect(actor.getSnapshot().context.n).toBe(2);
    actor.stop();
    expect(seen).toEqual(['note', 'note', 'stopped']);
  });

  it('leaves out the action creators the machine never uses', () => {
    const built = setup({}) as object;
    for (const unused of ['log', 'cancel', 'stopChild', 'spawnChild']) {
      expect(unused in built).toBe(false);
    }
    for (const used of ['assign', 'raise', 'emit', 'sendTo', 'enqueueActions']) {
      expect(used in built).toBe(true);
    }
  });
});
