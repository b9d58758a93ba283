export * from './fetch-document.js';
export * from './guarded-request.js';
export * from './url-guard.js';
