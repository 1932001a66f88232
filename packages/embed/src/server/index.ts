export * from './embed-token.js';
