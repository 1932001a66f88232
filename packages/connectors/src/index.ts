export * from './http/address-policy.js';
export * from './http/backoff.js';
export * from './http/circuit-breaker.js';
export * from './http/http-client.js';
export * from './http/http-error.js';
export * from './http/http-types.js';
export * from './http/ip-address.js';
export * from './http/rate-limiter.js';
