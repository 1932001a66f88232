export * from './redis-queue.js';
