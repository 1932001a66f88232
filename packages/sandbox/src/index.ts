export * from './isolate-flags.js';
export * from './isolate-pool.js';
export * from './isolate-sandbox.js';
