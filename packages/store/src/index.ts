export * from './blob-store.js';
export * from './configuration-store.js';
export * from './file-store.js';
export * from './job-store.js';
export * from './keys.js';
export * from './list-index.js';
export * from './records.js';
