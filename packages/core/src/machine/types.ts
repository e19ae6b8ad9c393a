/**
 * The peer machine's contract: its options, context, events and emitted events, one file per
 * part under `types/`.
 * @module
 */
export type * from './types/context.js';
export type * from './types/events.js';
export type * from './types/options.js';
