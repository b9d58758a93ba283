export * from './data-dir.js';
export * from './env.js';
export * from './logger.js';
export * from './redis.js';
export * from './shutdown.js';
