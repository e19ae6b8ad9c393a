import { describe, expect, it } from 'vitest';
import { type SignalingIssue, SignalingMessageError } from '../../errors.js';
import { DEFAULT_SIGNALING_LIMITS } from '../limits.js';
import {
  createByeMessage,
  createCandidateMessage,
  createDescriptionMessage,
  createRebuildMessage,
} from '../messages.js';
import { parseSignalingMessage } from '../parseSignalingMessage.js';
import type { SignalingMessage } from '../types.js';

const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';
const CANDIDATE =
  'candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0';

function accept(raw: unknown, limits?: Parameters<typeof parseSignalingMessage>[1]) {
  const result = parseSignalingMessage(raw, limits);
  if (!result.ok) throw new Error(`expected a valid message: ${result.error.message}`);
  return result.message;
}

function reject(raw: unknown, limits?: Parameters<typeof parseSignalingMessage>[1]) {
  const result = parseSignalingMessage(raw, limits);
  if (result.ok) throw new Error('expected an invalid message');
  expect(result.error).toBeInstanceOf(SignalingMessageError);
  expect(result.error.code).toBe('INVALID_SIGNALING_MESSAGE');
  return result.error;
}

function issuesOf(raw: unknown, limits?: Parameters<typeof parseSignalingMessage>[1]) {
  return reject(raw, limits).issues;
}

function paths(issues: readonly SignalingIssue[]): string[] {
  return issues.map((issue) => issue.path);
}

const idsFor = (type: unknown) =>
  type === 'offer' ? { id: 'o1', inReplyTo: null } : { id: 'a1', inReplyTo: 'o1' };
const description = (fields: Record<string, unknown>) => ({
  v: 2,
  type: 'description',
  id: 'o1',
  inReplyTo: null,
  description: { type: 'offer', sdp: SDP, ...fields },
});
const candidate = (fields: Record<string, unknown>) => ({
  v: 2,
  type: 'candidate',
  ufrag: null,
  epoch: 0,
  candidate: { candidate: CANDIDATE, sdpMid: '0', sdpMLineIndex: 0, ...fields },
});

describe('parseSignalingMessage: valid messages', () => {
  it.each(['offer', 'answer', 'pranswer'])('accepts a %s description', (type) => {
    expect(
      accept({ v: 2, type: 'description', ...idsFor(type), description: { type, sdp: SDP } }),
    ).toEqual({
      v: 2,
      type: 'description',
      ...idsFor(type),
      description: { type, sdp: SDP },
    });
  });

  it('accepts a full candidate', () => {
    expect(accept(candidate({ usernameFragment: 'abcd' }))).toEqual({
      v: 2,
      type: 'candidate',
      // The generation defaults to the candidate's own ufrag.
      ufrag: 'abcd',
      epoch: 0,
      candidate: { candidate: CANDIDATE, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'abcd' },
    });
  });

  it('defaults missing optional candidate fields to null', () => {
    expect(
      accept({
        v: 2,
        type: 'candidate',
        ufrag: null,
        epoch: 0,
        candidate: { candidate: CANDIDATE, sdpMid: '1' },
      }),
    ).toEqual({
      v: 2,
      type: 'candidate',
      ufrag: null,
      epoch: 0,
      candidate: { candidate: CANDIDATE, sdpMid: '1', sdpMLineIndex: null, usernameFragment: null },
    });
    expect(accept(candidate({ sdpMid: null, sdpMLineIndex: 3 })).type).toBe('candidate');
  });

  it('accepts the end of candidates: null, and an empty candidate string', () => {
    expect(accept({ v: 2, type: 'candidate', ufrag: null, epoch: 0, candidate: null })).toEqual({
      v: 2,
      type: 'candidate',
      ufrag: null,
      epoch: 0,
      candidate: null,
    });
    // An empty string with neither mid nor index is the spec's end-of-candidates for all sections.
    expect(
      accept({ v: 2, type: 'candidate', ufrag: null, epoch: 0, candidate: { candidate: '' } }),
    ).toEqual({
      v: 2,
      type: 'candidate',
      ufrag: null,
      epoch: 0,
      candidate: { candidate: '', sdpMid: null, sdpMLineIndex: null, usernameFragment: null },
    });
  });

  it('accepts bye with and without a reason', () => {
    expect(accept({ v: 2, type: 'bye' })).toEqual({ v: 2, type: 'bye' });
    expect(accept({ v: 2, type: 'bye' })).not.toHaveProperty('reason');
    expect(accept({ v: 2, type: 'bye', reason: 'user hung up' })).toEqual({
      v: 2,
      type: 'bye',
      reason: 'user hung up',
    });
    expect(accept({ v: 2, type: 'bye', reason: undefined })).not.toHaveProperty('reason');
  });

  it('ignores unknown extra fields and does not copy them', () => {
    const message = accept({
      v: 2,
      type: 'description',
      id: 'a1',
      inReplyTo: 'o1',
      extra: true,
      description: { type: 'answer', sdp: SDP, extra: 1 },
    });
    expect(message).toEqual({
      v: 2,
      type: 'description',
      id: 'a1',
      inReplyTo: 'o1',
      description: { type: 'answer', sdp: SDP },
    });
    expect(message).not.toHaveProperty('extra');
  });

  it('returns a fresh frozen copy, not the input', () => {
    const input = candidate({});
    const message = accept(input);
    expect(message).not.toBe(input);
    expect(Object.isFrozen(message)).toBe(true);
    if (message.type !== 'candidate' || message.candidate === null) throw new Error('unreachable');
    expect(message.candidate).not.toBe(input.candidate);
    expect(Object.isFrozen(message.candidate)).toBe(true);
    const offer = accept(description({}));
    if (offer.type !== 'description') throw new Error('unreachable');
    expect(Object.isFrozen(offer.description)).toBe(true);
  });

  it('accepts JSON text', () => {
    expect(accept(JSON.stringify({ v: 2, type: 'bye', reason: 'done' }))).toEqual({
      v: 2,
      type: 'bye',
      reason: 'done',
    });
  });

  it('accepts objects without a prototype, and calls own getters', () => {
    const bare = Object.assign(Object.create(null) as object, { v: 2, type: 'bye' });
    expect(accept(bare)).toEqual({ v: 2, type: 'bye' });
    const withGetter = {
      v: 2,
      get type() {
        return 'bye';
      },
    };
    expect(accept(withGetter)).toEqual({ v: 2, type: 'bye' });
  });

  it('accepts a JSON "__proto__" key as an ignored field, without polluting anything', () => {
    const message = accept('{"v":2,"type":"bye","__proto__":{"polluted":true}}');
    expect(message).toEqual({ v: 2, type: 'bye' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseSignalingMessage: version and type', () => {
  it('wrong version: reports the unsupported number and nothing else', () => {
    const error = reject({ v: 3, type: 'nonsense' });
    expect(error.issues).toEqual([
      { path: 'v', message: 'unsupported protocol version 3 (this SDK speaks version 2)' },
    ]);
    expect(error.message).toBe(
      'Invalid signaling message: v: unsupported protocol version 3 (this SDK speaks version 2)',
    );
  });

  it('a protocol v1 message (no ids, no ICE generation) is refused, naming the version', () => {
    const v1 = { v: 1, type: 'description', description: { type: 'answer', sdp: SDP } };
    const error = reject(v1);
    expect(error.issues).toEqual([
      { path: 'v', message: 'unsupported protocol version 1 (this SDK speaks version 2)' },
    ]);
    expect(error.message).toContain('version 1');
    expect(reject(JSON.stringify({ v: 1, type: 'candidate', candidate: null })).issues).toEqual(
      error.issues,
    );
  });

  it('missing version', () => {
    expect(issuesOf({ type: 'bye' })).toEqual([
      { path: 'v', message: 'expected the schema version 2, got nothing' },
    ]);
  });

  it('version of the wrong type, still checking the rest', () => {
    expect(issuesOf({ v: '1', type: 'bye', reason: 5 })).toEqual([
      { path: 'v', message: 'expected the schema version 2, got the string "1"' },
      { path: 'reason', message: 'expected a string or no reason, got 5' },
    ]);
  });

  it('unknown type', () => {
    expect(issuesOf({ v: 2, type: 'hello' })).toEqual([
      {
        path: 'type',
        message:
          'unknown message type "hello"; expected "description", "candidate", "bye", "rebuild" or "muted"',
      },
    ]);
  });

  it('unknown type: a long type is shortened in the issue', () => {
    const [issue] = issuesOf({ v: 2, type: 'x'.repeat(1000) });
    expect(issue?.message.length).toBeLessThan(140);
  });

  it('missing type', () => {
    expect(issuesOf({ v: 2 })).toEqual([
      {
        path: 'type',
        message: 'expected "description", "candidate", "bye", "rebuild" or "muted", got nothing',
      },
    ]);
  });

  it.each([
    ['null', null, 'null'],
    ['a number', 42, '42'],
    ['a boolean', true, 'true'],
    ['undefined', undefined, 'nothing'],
    ['an array', [{ v: 2, type: 'bye' }], 'an array'],
    ['a function', () => {}, 'a function'],
    ['a bigint', 10n, 'a bigint'],
    ['a symbol', Symbol('bye'), 'a symbol'],
  ])('not an object: %s', (_name, raw, got) => {
    expect(issuesOf(raw)).toEqual([{ path: '', message: `expected a message object, got ${got}` }]);
  });

  it('a type of the wrong kind', () => {
    expect(issuesOf({ v: 2, type: { description: true } })[0]?.message).toBe(
      'expected "description", "candidate", "bye", "rebuild" or "muted", got an object',
    );
  });
});

describe('parseSignalingMessage: description', () => {
  it('missing description', () => {
    expect(issuesOf({ v: 2, type: 'description' })).toEqual([
      { path: 'description', message: 'expected an object with type and sdp, got nothing' },
    ]);
  });

  it('description of the wrong type', () => {
    expect(
      paths(issuesOf({ v: 2, type: 'description', id: 'o1', inReplyTo: null, description: SDP })),
    ).toEqual(['description']);
  });

  it('rollback is never sent', () => {
    expect(issuesOf(description({ type: 'rollback' }))).toEqual([
      { path: 'description.type', message: 'a rollback is local to a peer and is never sent' },
    ]);
  });

  it('unknown description type', () => {
    expect(issuesOf(description({ type: 'OFFER' }))[0]?.message).toBe(
      'expected "offer", "answer" or "pranswer", got the string "OFFER"',
    );
  });

  it('missing sdp', () => {
    expect(issuesOf(description({ sdp: undefined }))).toEqual([
      { path: 'description.sdp', message: 'expected an SDP string, got nothing' },
    ]);
  });

  it('sdp of the wrong type', () => {
    expect(issuesOf(description({ sdp: 7 }))[0]?.message).toBe('expected an SDP string, got 7');
  });

  it('empty sdp', () => {
    expect(issuesOf(description({ sdp: '' }))).toEqual([
      { path: 'description.sdp', message: 'must not be empty' },
    ]);
  });

  it('sdp not starting with v=0', () => {
    expect(issuesOf(description({ sdp: 'o=- 1 2 IN IP4 0.0.0.0\r\n' }))).toEqual([
      { path: 'description.sdp', message: 'must start with "v=0"' },
    ]);
  });

  it('oversized sdp, with the default and a custom limit', () => {
    const huge = `v=0\r\n${'a=x\r\n'.repeat(60_000)}`;
    expect(huge.length).toBeGreaterThan(DEFAULT_SIGNALING_LIMITS.maxSdpLength);
    expect(issuesOf(description({ sdp: huge }))).toEqual([
      {
        path: 'description.sdp',
        message: `is ${huge.length} characters, over the limit of ${256 * 1024}`,
      },
    ]);
    expect(paths(issuesOf(description({}), { maxSdpLength: 10 }))).toEqual(['description.sdp']);
    expect(
      accept(description({ sdp: huge }), { maxSdpLength: Number.POSITIVE_INFINITY }).type,
    ).toBe('description');
  });

  it('collects every issue of the description', () => {
    expect(issuesOf(description({ type: 'rollback', sdp: '' }))).toEqual([
      { path: 'description.type', message: 'a rollback is local to a peer and is never sent' },
      { path: 'description.sdp', message: 'must not be empty' },
    ]);
  });
});

describe('parseSignalingMessage: candidate', () => {
  it('missing candidate', () => {
    expect(issuesOf({ v: 2, type: 'candidate', ufrag: null, epoch: 0 })).toEqual([
      {
        path: 'candidate',
        message: 'expected a candidate object, or null for the end of candidates, got nothing',
      },
    ]);
  });

  it('candidate as a bare string', () => {
    expect(
      paths(issuesOf({ v: 2, type: 'candidate', ufrag: null, epoch: 0, candidate: CANDIDATE })),
    ).toEqual(['candidate']);
  });

  it('candidate string missing or of the wrong type', () => {
    expect(paths(issuesOf(candidate({ candidate: undefined })))).toEqual(['candidate.candidate']);
    expect(issuesOf(candidate({ candidate: 1 }))[0]?.message).toMatch(
      /^expected a candidate string/,
    );
  });

  it('candidate string without the candidate: prefix', () => {
    expect(issuesOf(candidate({ candidate: CANDIDATE.slice('candidate:'.length) }))).toEqual([
      {
        path: 'candidate.candidate',
        message: 'must start with "candidate:" (or be empty for the end of candidates)',
      },
    ]);
    expect(paths(issuesOf(candidate({ candidate: `a=${CANDIDATE}` })))).toEqual([
      'candidate.candidate',
    ]);
  });

  it('oversized candidate string', () => {
    const long = `candidate:${'1'.repeat(2000)}`;
    expect(issuesOf(candidate({ candidate: long }))).toEqual([
      {
        path: 'candidate.candidate',
        message: `is ${long.length} characters, over the limit of 1024`,
      },
    ]);
    expect(paths(issuesOf(candidate({}), { maxCandidateLength: 20 }))).toEqual([
      'candidate.candidate',
    ]);
  });

  it('both sdpMid and sdpMLineIndex null for a non-empty candidate', () => {
    expect(issuesOf(candidate({ sdpMid: null, sdpMLineIndex: null }))).toEqual([
      {
        path: 'candidate',
        message: 'sdpMid and sdpMLineIndex cannot both be null for a non-empty candidate',
      },
    ]);
    // Missing counts as null.
    expect(
      paths(
        issuesOf({
          v: 2,
          type: 'candidate',
          ufrag: null,
          epoch: 0,
          candidate: { candidate: CANDIDATE },
        }),
      ),
    ).toEqual(['candidate']);
  });

  it('sdpMid of the wrong type', () => {
    expect(issuesOf(candidate({ sdpMid: 0 }))).toEqual([
      { path: 'candidate.sdpMid', message: 'expected a string or null, got 0' },
    ]);
  });

  it.each([
    ['negative', -1],
    ['fractional', 0.5],
    ['too large for an unsigned short', 65536],
    ['NaN', Number.NaN],
    ['a string', '0'],
  ])('sdpMLineIndex %s', (_name, value) => {
    expect(issuesOf(candidate({ sdpMLineIndex: value }))).toEqual([
      {
        path: 'candidate.sdpMLineIndex',
        message: expect.stringMatching(/^expected an integer from 0 to 65535, or null, got /),
      },
    ]);
  });

  it('usernameFragment of the wrong type', () => {
    expect(paths(issuesOf(candidate({ usernameFragment: 12 })))).toEqual([
      'candidate.usernameFragment',
    ]);
  });

  it('collects every issue of the candidate', () => {
    expect(
      paths(
        issuesOf(
          candidate({ candidate: 'x', sdpMid: 1, sdpMLineIndex: -1, usernameFragment: false }),
        ),
      ),
    ).toEqual([
      'candidate.candidate',
      'candidate.sdpMid',
      'candidate.sdpMLineIndex',
      'candidate.usernameFragment',
    ]);
  });
});

describe('parseSignalingMessage: bye', () => {
  it('reason of the wrong type (null included)', () => {
    expect(issuesOf({ v: 2, type: 'bye', reason: null })).toEqual([
      { path: 'reason', message: 'expected a string or no reason, got null' },
    ]);
  });

  it('oversized reason', () => {
    expect(issuesOf({ v: 2, type: 'bye', reason: 'x'.repeat(1025) })).toEqual([
      { path: 'reason', message: 'is 1025 characters, over the limit of 1024' },
    ]);
    expect(accept({ v: 2, type: 'bye', reason: 'x'.repeat(1024) }).type).toBe('bye');
    expect(paths(issuesOf({ v: 2, type: 'bye', reason: 'abc' }, { maxReasonLength: 2 }))).toEqual([
      'reason',
    ]);
  });
});

describe('parseSignalingMessage: JSON text', () => {
  it('invalid JSON', () => {
    const error = reject('{"v":1,');
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.path).toBe('');
    expect(error.issues[0]?.message).toMatch(/^invalid JSON: SyntaxError: /);
    expect(error.received).toBe('{"v":1,');
  });

  it('empty string', () => {
    expect(issuesOf('')[0]?.message).toMatch(/^invalid JSON/);
  });

  it('JSON that is not a message', () => {
    expect(issuesOf('"bye"')).toEqual([
      { path: '', message: 'expected a message object, got the string "bye"' },
    ]);
    expect(issuesOf('null')).toEqual([
      { path: '', message: 'expected a message object, got null' },
    ]);
  });

  it('JSON text over maxMessageLength is not parsed', () => {
    const text = JSON.stringify({ v: 2, type: 'bye', reason: 'x'.repeat(100) });
    expect(issuesOf(text, { maxMessageLength: 50 })).toEqual([
      { path: '', message: `JSON text is ${text.length} characters, over the limit of 50` },
    ]);
  });

  it('validates the parsed JSON like an object', () => {
    expect(paths(issuesOf(JSON.stringify(description({ sdp: '' }))))).toEqual(['description.sdp']);
  });
});

describe('parseSignalingMessage: hostile input never throws', () => {
  it('cyclic input', () => {
    const cyclic: Record<string, unknown> = { v: 2, type: 'candidate', epoch: 0 };
    cyclic.candidate = cyclic;
    cyclic.self = cyclic;
    const error = reject(cyclic);
    expect(paths(error.issues)).toEqual(['candidate.candidate']);
    expect((error.received as Record<string, unknown>).self).toBe('[Circular]');
  });

  it('a cyclic valid message is copied, not followed', () => {
    const message: Record<string, unknown> = { v: 2, type: 'bye' };
    message.self = message;
    expect(accept(message)).toEqual({ v: 2, type: 'bye' });
  });

  it('throwing getters become issues, and every field is still checked', () => {
    const raw = {
      get v(): number {
        throw new Error('boom');
      },
      type: 'description',
      id: 'o1',
      inReplyTo: null,
      description: {
        type: 'offer',
        get sdp(): string {
          throw new RangeError('sdp gone');
        },
      },
    };
    const error = reject(raw);
    expect(error.issues).toEqual([
      { path: 'v', message: 'could not be read: Error: boom' },
      { path: 'description.sdp', message: 'could not be read: RangeError: sdp gone' },
    ]);
    // Getters are named, never called again while copying for the log.
    expect(error.received).toEqual({
      v: '[Getter]',
      type: 'description',
      id: 'o1',
      inReplyTo: null,
      description: { type: 'offer', sdp: '[Getter]' },
    });
  });

  it('a getter throwing a non-error, or an unprintable one', () => {
    const throwsString = {
      v: 2,
      get type(): string {
        throw 'nope';
      },
    };
    expect(issuesOf(throwsString)).toEqual([{ path: 'type', message: 'could not be read: nope' }]);
    const unprintable = {
      v: 2,
      get type(): string {
        throw {
          toString: () => {
            throw new Error('again');
          },
        };
      },
    };
    expect(issuesOf(unprintable)).toEqual([
      { path: 'type', message: 'could not be read: an unprintable error' },
    ]);
    const throwsSymbol = {
      v: 2,
      type: 'bye',
      get reason(): string {
        throw Symbol('s');
      },
    };
    expect(issuesOf(throwsSymbol)).toEqual([
      { path: 'reason', message: 'could not be read: Symbol(s)' },
    ]);
  });

  it('getters throwing in candidate fields', () => {
    const init = {
      candidate: CANDIDATE,
      get sdpMid(): string {
        throw new Error('mid');
      },
      get sdpMLineIndex(): number {
        throw new Error('index');
      },
      get usernameFragment(): string {
        throw new Error('ufrag');
      },
    };
    expect(
      paths(issuesOf({ v: 2, type: 'candidate', ufrag: null, epoch: 0, candidate: init })),
    ).toEqual(['candidate.sdpMid', 'candidate.sdpMLineIndex', 'candidate.usernameFragment']);
    const badDescription = {
      v: 2,
      type: 'description',
      id: 'o1',
      inReplyTo: null,
      get description(): object {
        throw new Error('x');
      },
    };
    expect(paths(issuesOf(badDescription))).toEqual(['description']);
    const badCandidate = {
      v: 2,
      type: 'candidate',
      ufrag: null,
      epoch: 0,
      get candidate(): object {
        throw new Error('x');
      },
    };
    expect(paths(issuesOf(badCandidate))).toEqual(['candidate']);
    const badType = {
      v: 2,
      type: 'description',
      id: 'o1',
      inReplyTo: null,
      description: {
        get type(): string {
          throw new Error('x');
        },
        sdp: SDP,
      },
    };
    expect(paths(issuesOf(badType))).toEqual(['description.type']);
    const badText = {
      v: 2,
      type: 'candidate',
      ufrag: null,
      epoch: 0,
      candidate: {
        get candidate(): string {
          throw new Error('x');
        },
        sdpMid: '0',
      },
    };
    expect(paths(issuesOf(badText))).toEqual(['candidate.candidate']);
  });

  it('a setter without a getter reads as missing', () => {
    const raw = { v: 2, type: 'bye' };
    Object.defineProperty(raw, 'reason', { set: () => {}, enumerable: true });
    expect(accept(raw)).toEqual({ v: 2, type: 'bye' });
  });

  it('inherited fields are ignored (a polluted prototype supplies nothing)', () => {
    const inherited = Object.create({ v: 2, type: 'bye' }) as object;
    expect(paths(issuesOf(inherited))).toEqual(['v', 'type']);
  });

  it('class instances are read by their own fields', () => {
    class Bye {
      v = 2;
      type = 'bye';
      reason = 'class';
    }
    expect(accept(new Bye())).toEqual({ v: 2, type: 'bye', reason: 'class' });
    expect(paths(issuesOf(new Date()))).toEqual(['v', 'type']);
  });

  it('bigint and symbol fields', () => {
    expect(issuesOf({ v: 1n, type: Symbol('bye') })).toEqual([
      { path: 'v', message: 'expected the schema version 2, got a bigint' },
      {
        path: 'type',
        message: 'expected "description", "candidate", "bye", "rebuild" or "muted", got a symbol',
      },
    ]);
  });

  it('a revoked proxy', () => {
    const { proxy, revoke } = Proxy.revocable({ v: 2, type: 'bye' }, {});
    revoke();
    const error = reject(proxy);
    expect(error.issues).toEqual([
      { path: '', message: expect.stringMatching(/^could not be read: TypeError: /) },
    ]);
    expect(error.received).toBe('[Unreadable]');
  });

  it('a proxy whose traps throw', () => {
    const proxy = new Proxy(
      {},
      {
        getOwnPropertyDescriptor() {
          throw new Error('trap');
        },
        ownKeys() {
          throw new Error('keys');
        },
      },
    );
    expect(issuesOf(proxy)).toEqual([
      { path: 'v', message: 'could not be read: Error: trap' },
      { path: 'type', message: 'could not be read: Error: trap' },
    ]);
  });

  it('a proxy whose getPrototypeOf trap throws while describing an error', () => {
    const weird = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('proto');
        },
      },
    );
    const raw = {
      v: 2,
      get type(): string {
        throw weird;
      },
    };
    expect(issuesOf(raw)).toEqual([
      { path: 'type', message: 'could not be read: an unprintable error' },
    ]);
  });

  it('nonsensical limits fall back to the defaults', () => {
    const limits = {
      maxSdpLength: -1,
      maxCandidateLength: Number.NaN,
      maxReasonLength: '3',
    } as never;
    expect(accept(description({}), limits).type).toBe('description');
    expect(accept({ v: 2, type: 'bye', reason: 'long enough' }, limits).type).toBe('bye');
  });
});

describe('parseSignalingMessage: received', () => {
  it('truncates long strings and bounds the copy', () => {
    const huge = `v=0\r\n${'x'.repeat(1_000_000)}`;
    const error = reject(description({ sdp: huge }));
    const received = error.received as { description: { sdp: string } };
    expect(received.description.sdp.length).toBeLessThan(300);
    expect(received.description.sdp).toMatch(/… \[1000005 characters\]$/);
    expect(received.description.sdp.startsWith('v=0\r\nxxx')).toBe(true);
  });

  it('truncates a long JSON string input', () => {
    const text = `{"v":1,"type":"bye","reason":"${'x'.repeat(5000)}"}`;
    const error = reject(text);
    expect(typeof error.received).toBe('string');
    expect((error.received as string).length).toBeLessThan(300);
  });

  it('keeps primitives, names functions, limits depth, breadth and size', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let depth = 0; depth < 10; depth += 1) deep = { deep };
    const wide = Object.fromEntries(Array.from({ length: 40 }, (_, index) => [`k${index}`, index]));
    const long = Array.from({ length: 100 }, (_, index) => index);
    const hole: unknown[] = [];
    hole[1] = 1; // a sparse array: index 0 is missing, not undefined
    const error = reject({
      v: 2,
      type: 'nope',
      fn: () => 1,
      n: 10n,
      deep,
      wide,
      long,
      hole,
    });
    const received = error.received as Record<string, unknown>;
    expect(received.fn).toBe('[Function]');
    expect(received.n).toBe(10n);
    expect(JSON.stringify(received.deep)).toBe('{"deep":{"deep":{"deep":"[Object]"}}}');
    expect(Object.keys(received.wide as object)).toHaveLength(33);
    expect((received.wide as Record<string, unknown>)['…']).toBe('… 8 more');
    expect(received.long as unknown[]).toHaveLength(33);
    expect((received.long as unknown[])[32]).toBe('… 68 more');
    expect(received.hole).toEqual([undefined, 1]);

    const manyNested = {
      v: 2,
      type: 'nope',
      list: Array.from({ length: 32 }, () => Array.from({ length: 32 }, () => ({ x: 1 }))),
    };
    const bounded = reject(manyNested).received as { list: unknown[][] };
    expect(JSON.stringify(bounded).length).toBeLessThan(20_000);
    expect(bounded.list.at(-1)).toBe('[Array]');
  });

  it('shows the same object twice when it is not a cycle', () => {
    const shared = { a: 1 };
    const received = reject({ v: 2, type: 'nope', x: shared, y: shared }).received;
    expect(received).toMatchObject({ x: { a: 1 }, y: { a: 1 } });
  });

  it('copies a "__proto__" key as a plain field', () => {
    const raw = JSON.parse('{"v":2,"__proto__":{"x":1}}') as unknown;
    const received = reject(raw).received as object;
    expect(Object.getPrototypeOf(received)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(received, '__proto__')?.value).toEqual({ x: 1 });
  });
});

describe('parseSignalingMessage: rebuild', () => {
  it('accepts a positive integer epoch, and nothing else of the input', () => {
    const message = accept({ v: 2, type: 'rebuild', epoch: 3, extra: 'ignored' });
    expect(message).toEqual({ v: 2, type: 'rebuild', epoch: 3 });
    expect(Object.isFrozen(message)).toBe(true);
  });

  it.each([
    ['missing', undefined, 'nothing'],
    ['zero', 0, '0'],
    ['negative', -1, '-1'],
    ['fractional', 1.5, '1.5'],
    ['unsafe', 2 ** 53, String(2 ** 53)],
    ['a string', '2', 'the string "2"'],
    ['null', null, 'null'],
  ])('epoch %s is refused', (_name, epoch, shown) => {
    expect(issuesOf({ v: 2, type: 'rebuild', epoch })).toEqual([
      { path: 'epoch', message: `expected a positive integer, got ${shown}` },
    ]);
  });
});

describe('parseSignalingMessage: protocol v2 ids, generations and epochs', () => {
  const offer = { v: 2, type: 'description', description: { type: 'offer', sdp: SDP } };
  const answer = { v: 2, type: 'description', description: { type: 'answer', sdp: SDP } };
  const end = { v: 2, type: 'candidate', candidate: null };

  it('a description needs an id; an answer names its offer, an offer names none', () => {
    expect(issuesOf({ ...offer, inReplyTo: null })).toEqual([
      { path: 'id', message: 'expected a string of 1 to 256 characters, got nothing' },
    ]);
    expect(issuesOf({ ...answer, id: 'b:0:0' })).toEqual([
      { path: 'inReplyTo', message: 'expected a string of 1 to 256 characters, got nothing' },
    ]);
    // An offer answers nothing: whatever it claims to answer is dropped.
    expect(accept({ ...offer, id: 'a:0:1', inReplyTo: 'b:0:0' })).toMatchObject({
      inReplyTo: null,
    });
    expect(paths(issuesOf({ ...answer, id: '', inReplyTo: 7 }))).toEqual(['id', 'inReplyTo']);
    expect(issuesOf({ ...offer, id: 'x'.repeat(257), inReplyTo: null })).toEqual([
      {
        path: 'id',
        message:
          'expected a string of 1 to 256 characters, got the string "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…"',
      },
    ]);
    // Absent on an offer reads as null.
    expect(accept({ ...offer, id: 'a:0:1' })).toMatchObject({ id: 'a:0:1', inReplyTo: null });
    expect(accept({ ...answer, id: 'b:0:0', inReplyTo: 'a:0:1' })).toMatchObject({
      inReplyTo: 'a:0:1',
    });
  });

  it('a candidate names a non-negative epoch, and a ufrag that agrees with its own', () => {
    expect(issuesOf({ ...end, ufrag: 'abcd' })).toEqual([
      { path: 'epoch', message: 'expected a non-negative integer, got nothing' },
    ]);
    for (const epoch of [-1, 1.5, Number.NaN, '0', 2 ** 53]) {
      expect(paths(issuesOf({ ...end, ufrag: null, epoch }))).toEqual(['epoch']);
    }
    expect(paths(issuesOf({ ...end, ufrag: '', epoch: 0 }))).toEqual(['ufrag']);
    expect(paths(issuesOf({ ...end, ufrag: 5, epoch: 0 }))).toEqual(['ufrag']);
    // The message's ufrag names the generation; the candidate's own is only the fallback.
    expect(accept({ ...candidate({ usernameFragment: 'efgh' }), ufrag: 'abcd' })).toMatchObject({
      ufrag: 'abcd',
    });
    expect(accept({ ...end, epoch: 3 })).toEqual({ ...end, ufrag: null, epoch: 3 });
  });
});

describe('message builders', () => {
  it('createRebuildMessage', () => {
    const message = createRebuildMessage(2);
    expect(message).toEqual({ v: 2, type: 'rebuild', epoch: 2 });
    expect(Object.isFrozen(message)).toBe(true);
    expect(accept(JSON.stringify(message))).toEqual(message);
  });

  const roundTrip = (message: SignalingMessage) => {
    const viaObject = accept(message);
    const viaJson = accept(JSON.stringify(message));
    expect(viaObject).toEqual(message);
    expect(viaJson).toEqual(message);
  };

  it('createDescriptionMessage', () => {
    const message = createDescriptionMessage({ type: 'offer', sdp: SDP }, { id: 'a:0:0' });
    expect(message).toEqual({
      v: 2,
      type: 'description',
      id: 'a:0:0',
      inReplyTo: null,
      description: { type: 'offer', sdp: SDP },
    });
    expect(Object.isFrozen(message)).toBe(true);
    roundTrip(message);
    roundTrip(
      createDescriptionMessage({ type: 'pranswer', sdp: SDP }, { id: 'b:0:0', inReplyTo: 'a:0:0' }),
    );
  });

  it('createCandidateMessage names the generation and epoch it is given', () => {
    expect(createCandidateMessage(null, { ufrag: 'abcd', epoch: 2 })).toEqual({
      v: 2,
      type: 'candidate',
      candidate: null,
      ufrag: 'abcd',
      epoch: 2,
    });
    roundTrip(createCandidateMessage(null, { ufrag: 'abcd', epoch: 2 }));
  });

  it('createDescriptionMessage reads RTCSessionDescription-like objects with prototype getters', () => {
    class FakeDescription {
      get type(): RTCSdpType {
        return 'answer';
      }
      get sdp(): string {
        return SDP;
      }
    }
    roundTrip(createDescriptionMessage(new FakeDescription(), { id: 'b:0:1', inReplyTo: 'a:0:0' }));
  });

  it('createDescriptionMessage refuses rollback, a missing sdp or id, an answer to nothing', () => {
    const ids = { id: 'a:0:0' };
    expect(() => createDescriptionMessage({ type: 'rollback' }, ids)).toThrow(TypeError);
    expect(() => createDescriptionMessage({ type: 'offer' }, ids)).toThrow(
      'The description has no sdp',
    );
    expect(() => createDescriptionMessage({ type: 'offer', sdp: SDP }, { id: '' })).toThrow(
      'The offer has no id',
    );
    expect(() => createDescriptionMessage({ type: 'answer', sdp: SDP }, ids)).toThrow(
      'The answer has no id or no inReplyTo',
    );
  });

  it('createCandidateMessage from an RTCIceCandidateInit, normalising missing fields', () => {
    const message = createCandidateMessage({ candidate: CANDIDATE, sdpMLineIndex: 0 });
    expect(message).toEqual({
      v: 2,
      type: 'candidate',
      ufrag: null,
      epoch: 0,
      candidate: { candidate: CANDIDATE, sdpMid: null, sdpMLineIndex: 0, usernameFragment: null },
    });
    roundTrip(message);
    expect(createCandidateMessage({}).candidate).toEqual({
      candidate: '',
      sdpMid: null,
      sdpMLineIndex: null,
      usernameFragment: null,
    });
  });

  it('createCandidateMessage from an RTCIceCandidate-like object and its toJSON()', () => {
    class FakeCandidate {
      get candidate() {
        return CANDIDATE;
      }
      get sdpMid() {
        return '0';
      }
      get sdpMLineIndex() {
        return 0;
      }
      get usernameFragment() {
        return 'ufrag';
      }
      get address() {
        return '203.0.113.7';
      }
      toJSON(): RTCIceCandidateInit {
        return {
          candidate: this.candidate,
          sdpMid: this.sdpMid,
          sdpMLineIndex: this.sdpMLineIndex,
          usernameFragment: this.usernameFragment,
        };
      }
    }
    const fake = new FakeCandidate();
    const expected = {
      v: 2,
      type: 'candidate',
      ufrag: 'ufrag',
      epoch: 0,
      candidate: { candidate: CANDIDATE, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'ufrag' },
    };
    expect(createCandidateMessage(fake)).toEqual(expected);
    expect(createCandidateMessage(fake.toJSON())).toEqual(expected);
    roundTrip(createCandidateMessage(fake));
  });

  it('createCandidateMessage(null) announces the end of candidates', () => {
    const message = createCandidateMessage(null);
    expect(message).toEqual({ v: 2, type: 'candidate', ufrag: null, epoch: 0, candidate: null });
    roundTrip(message);
  });

  it('createByeMessage', () => {
    expect(createByeMessage()).toEqual({ v: 2, type: 'bye' });
    expect(createByeMessage()).not.toHaveProperty('reason');
    expect(createByeMessage('done')).toEqual({ v: 2, type: 'bye', reason: 'done' });
    roundTrip(createByeMessage());
    roundTrip(createByeMessage('done'));
  });
});
