export * from './job-catalog.js';
export * from './queues.js';
