export * from './audit-hash.js';
export * from './audit-log.js';
export * from './audit-signer.js';
export * from './sarif-report.js';
export * from './scan-workflow.js';
export * from './secret-rules.js';
export * from './summarise-changes.js';
export * from './verify-audit-chain.js';
