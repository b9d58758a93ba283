export * from './data-dir.js';
export * from './env.js';
export * from './health-server.js';
export * from './logger.js';
export * from './redis.js';
export * from './redis-settings.js';
export * from './shutdown.js';
export * from './tracing.js';
