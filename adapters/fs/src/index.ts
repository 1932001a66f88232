export * from './file-system-blob-storage.js';
export * from './file-system-blob-store.js';
