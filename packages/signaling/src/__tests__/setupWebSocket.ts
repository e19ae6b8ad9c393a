import { WebSocket } from 'ws';

// msw patches globalThis.WebSocket when its server listens, but only where one exists already.
const scope = globalThis as { WebSocket?: unknown };
scope.WebSocket ??= WebSocket;
