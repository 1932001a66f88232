export * from './sqlite-execution-writer.js';
export * from './sqlite-group-commit.js';
export * from './sqlite-queue.js';
export * from './sqlite-storage.js';
