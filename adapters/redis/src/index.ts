export * from './cached-workflow-store.js';
export * from './redis-cache.js';
export * from './redis-event-bridge.js';
export * from './redis-keyed-lock.js';
export * from './redis-queue.js';
export * from './redis-rate-limiter.js';
export * from './redis-schedule-lock.js';
export * from './redis-trigger-state-store.js';
