export * from './fixtures.js';
export * from './prefix.js';
export * from './test-redis.js';
