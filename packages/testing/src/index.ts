export * from './execution-store-conformance.js';
export * from './fixtures.js';
export * from './queue-conformance.js';
export * from './queue-factory.js';
export * from './queue-reliability.js';
export * from './service-url.js';
export * from './workflow-store-conformance.js';
