export * from './cached-workflow-store.js';
export * from './memory-rate-limiter.js';
export * from './rate-limiter.js';
export * from './redis-cache.js';
export * from './redis-event-bridge.js';
export * from './redis-queue.js';
export * from './redis-rate-limiter.js';
