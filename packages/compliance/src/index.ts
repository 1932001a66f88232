export * from './audit-entry.js';
export * from './audit-hash.js';
export * from './audit-log.js';
export * from './audit-signer.js';
export * from './audit-store.js';
export * from './match-audit-query.js';
export * from './memory-audit-store.js';
export * from './verify-audit-chain.js';
