import { describe, expect, it } from 'vitest';
import { overlay } from '../overlay.js';

class Native {
  #secret = 1;
  own = () => 'own';
  get value(): number {
    return this.#secret;
  }
  set value(next: number) {
    this.#secret = next;
  }
  read(): number {
    return this.#secret;
  }
}

describe('overlay', () => {
  it('answers overrides and forwards the rest with the target as this', () => {
    let written: unknown;
    const target = new Native();
    const [symbol] = [Symbol('s')];
    const wrapped = overlay<Native & { extra: string; [symbol]: number }>(target, {
      extra: 'x',
      [symbol]: 2,
      get computed() {
        return 'c';
      },
      set sink(value: unknown) {
        written = value;
      },
    });
    expect(wrapped.extra).toBe('x');
    expect(wrapped[symbol]).toBe(2);
    expect((wrapped as unknown as { computed: string }).computed).toBe('c');
    (wrapped as unknown as { sink: number }).sink = 5;
    expect(written).toBe(5);
    expect(wrapped.read()).toBe(1);
    wrapped.value = 3;
    expect(wrapped.value).toBe(3);
    expect(target.read()).toBe(3);
    expect(wrapped.own).toBe(target.own);
    expect(wrapped.read).toBe(wrapped.read);
    expect('extra' in wrapped && 'read' in wrapped && !('missing' in wrapped)).toBe(true);
  });

  it('keeps getter-only and non-writable overrides read-only', () => {
    const wrapped = overlay<Record<string, unknown>>(new Native(), {
      get fixed() {
        return 1;
      },
    });
    const frozen = overlay<Record<string, unknown>>(
      new Native(),
      Object.defineProperty({}, 'constant', { value: 1, writable: false }),
    );
    expect(() => {
      wrapped.fixed = 2;
    }).toThrow(TypeError);
    expect(() => {
      frozen.constant = 2;
    }).toThrow(TypeError);
    expect(frozen.constant).toBe(1);
  });
});
