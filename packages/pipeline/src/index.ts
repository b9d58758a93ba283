export * from './cancellation-watch.js';
export * from './classify-lifecycle.js';
export * from './stage-errors.js';
export * from './stage-failure.js';
export * from './webhook-events.js';
