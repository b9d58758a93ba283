export * from './job-catalog.js';
export * from './queues.js';
export * from './stage-jobs.js';
export * from './stage-worker.js';
