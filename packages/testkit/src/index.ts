export * from './documents/index.js';
export * from './fixtures.js';
export * from './ports.js';
export * from './prefix.js';
export * from './sample-rules.js';
export * from './service-stack.js';
export * from './tcp-proxy.js';
export * from './test-redis.js';
