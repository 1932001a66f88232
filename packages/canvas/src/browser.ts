export * from './define.js';
export * from './index.js';
