export * from './fetch-document.js';
export * from './url-guard.js';
