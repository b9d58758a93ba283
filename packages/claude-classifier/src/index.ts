export { CLASSIFICATION_TOOL_NAME, MAX_REASONING_CHARS } from './classification-tool.js';
export {
  type ClaudeClassifier,
  type ClaudeClassifierOptions,
  createClaudeClassifier,
  DEFAULT_ANTHROPIC_BASE_URL,
  DEFAULT_CLAUDE_MODEL,
  DEFAULT_MAX_DOCUMENT_TOKENS,
  DEFAULT_TIMEOUT_MS,
  NO_TEXT_REASONING,
} from './claude-classifier.js';
export { type RenderedDocument, renderDocument } from './document-budget.js';
export {
  ClassifierError,
  type ClassifierErrorKind,
  ClassifierInvalidOutputError,
  ClassifierPermanentError,
  ClassifierRateLimitedError,
  ClassifierRefusalError,
  ClassifierTransientError,
  isClassifierError,
  type PermanentReason,
} from './errors.js';
export { DEFAULT_OVERLOADED_RETRY_MS, DEFAULT_RATE_LIMIT_RETRY_MS } from './map-api-error.js';
export { estimateTokens } from './token-estimate.js';
