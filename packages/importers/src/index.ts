export * from './detect-format.js';
export * from './fill-missing-parameters.js';
export * from './import-error.js';
export * from './import-report.js';
export * from './n8n/import-n8n.js';
export * from './n8n/translate-expression.js';
export * from './node-red/import-node-red.js';
