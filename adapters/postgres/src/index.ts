export * from './create-postgres-storage.js';
export * from './pg-execution-writer.js';
export * from './pg-keyed-lock.js';
export * from './pg-queue-signals.js';
