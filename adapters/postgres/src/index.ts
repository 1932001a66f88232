export * from './postgres-execution-notices.js';
export * from './postgres-execution-writer.js';
export * from './postgres-keyed-lock.js';
export * from './postgres-queue-signals.js';
export * from './postgres-read-replica.js';
export * from './postgres-storage.js';
