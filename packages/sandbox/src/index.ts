export * from './isolate-flags.js';
export type { IsolatePoolStats } from './isolate-pool.js';
export * from './isolate-sandbox.js';
