export * from './blob-encryption.js';
export * from './create-s3-client.js';
export * from './s3-blob-storage.js';
export * from './s3-blob-store.js';
