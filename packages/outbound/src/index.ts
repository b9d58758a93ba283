export * from './fetch-document.js';
export * from './guarded-request.js';
export * from './private-address.js';
export * from './url-guard.js';
