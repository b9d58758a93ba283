import Anthropic, { type ClientOptions } from '@anthropic-ai/sdk';
import type {
  Message,
  MessageCreateParamsNonStreaming,
  MessageParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { Classification, Classifier, ClassifierInput } from '@classifyd/shared';
import type { Logger } from 'pino';
import { CLASSIFICATION_TOOL_NAME, classificationTool, ruleTypes } from './classification-tool.js';
import { renderDocument } from './document-budget.js';
import { ClassifierInvalidOutputError, ClassifierPermanentError } from './errors.js';
import { EXAMPLE_BUDGET_SHARE, ExamplePrompts } from './example-prompt.js';
import { type ErrorContext, mapApiError } from './map-api-error.js';
import { type RequestProfile, requestProfile } from './model-profile.js';
import { documentMessage, systemBlocks } from './prompt.js';
import { readReply } from './read-reply.js';

/** Built for high-volume classification, the cheapest current model, and it accepts a forced tool call. */
export const DEFAULT_CLAUDE_MODEL = 'claude-haiku-5-5';
export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
/** About 60-90 pages of ordinary text: plenty to tell a document's type, a few cents at most per call. */
export const DEFAULT_MAX_DOCUMENT_TOKENS = 24_000;
export const DEFAULT_TIMEOUT_MS = 60_000;
export const NO_TEXT_REASONING = 'The document has no text to classify.';

export interface ClaudeClassifierOptions {
  apiKey: string;
  /** Defaults to DEFAULT_CLAUDE_MODEL. */
  model?: string;
  /** Defaults to https://api.anthropic.com (the SDK's own ANTHROPIC_BASE_URL lookup is not used). */
  baseURL?: string;
  /** Estimated tokens of document text sent per classification; longer documents are reduced page-aware. */
  maxDocumentTokens?: number;
  /** Per HTTP request; the whole classification may make two (one repair turn). */
  timeoutMs?: number;
  logger?: Logger;
}

export interface ClaudeClassifier extends Classifier {
  readonly model: string;
}

type Usage = NonNullable<Classification['usage']>;

function checkedOptions(options: ClaudeClassifierOptions) {
  const { apiKey, model = DEFAULT_CLAUDE_MODEL, baseURL = DEFAULT_ANTHROPIC_BASE_URL } = options;
  const maxDocumentTokens = options.maxDocumentTokens ?? DEFAULT_MAX_DOCUMENT_TOKENS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (typeof apiKey !== 'string' || apiKey.trim() === '')
    throw new TypeError('The Claude classifier needs an Anthropic API key (ANTHROPIC_API_KEY)');
  if (model.trim() === '')
    throw new TypeError(`model must name a Claude model, e.g. ${DEFAULT_CLAUDE_MODEL}`);
  if (!URL.canParse(baseURL)) throw new TypeError(`baseURL must be an absolute URL, got "${baseURL}"`);
  if (!Number.isInteger(maxDocumentTokens) || maxDocumentTokens < 1000 || maxDocumentTokens > 900_000)
    throw new RangeError('maxDocumentTokens must be an integer from 1000 to 900000');
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000)
    throw new RangeError('timeoutMs must be an integer from 1 to 600000');
  return { apiKey, model, baseURL, maxDocumentTokens, timeoutMs };
}

/** The SDK logs through this; only its message text goes on, since its extra arguments may hold request data. */
function sdkLogger(logger: Logger | undefined): NonNullable<ClientOptions['logger']> {
  const log = logger?.child({ component: 'anthropic-sdk' });
  return {
    error: (message) => log?.error(String(message)),
    warn: (message) => log?.warn(String(message)),
    info: (message) => log?.info(String(message)),
    debug: (message) => log?.debug(String(message)),
  };
}

function addUsage(total: Usage, reply: Message): Usage {
  return {
    input_tokens: total.input_tokens + reply.usage.input_tokens,
    output_tokens: total.output_tokens + reply.usage.output_tokens,
    cache_read_input_tokens:
      (total.cache_read_input_tokens ?? 0) + (reply.usage.cache_read_input_tokens ?? 0),
    cache_creation_input_tokens:
      (total.cache_creation_input_tokens ?? 0) + (reply.usage.cache_creation_input_tokens ?? 0),
    model: reply.model,
  };
}

function baseRequest(
  model: string,
  profile: RequestProfile,
  input: ClassifierInput,
): Omit<MessageCreateParamsNonStreaming, 'messages'> {
  return {
    model,
    max_tokens: profile.maxTokens,
    system: systemBlocks(input.rules),
    tools: [classificationTool(input.rules)],
    tool_choice:
      profile.toolChoice === 'forced'
        ? { type: 'tool', name: CLASSIFICATION_TOOL_NAME, disable_parallel_tool_use: true }
        : { type: 'auto', disable_parallel_tool_use: true },
    ...(profile.disableThinking ? { thinking: { type: 'disabled' as const } } : {}),
    ...(profile.lowEffort ? { output_config: { effort: 'low' as const } } : {}),
  };
}

/**
 * A classifier that asks Claude through the Messages API. One request per document, plus at most one
 * repair turn when the answer is missing, malformed or names a type outside the rules; if the repaired
 * answer is still unusable it throws ClassifierInvalidOutputError (transient, so the queue tries again).
 * The SDK never retries (maxRetries 0): retries, and waiting out rate limits, belong to the queue.
 */
export function createClaudeClassifier(options: ClaudeClassifierOptions): ClaudeClassifier {
  const { apiKey, model, baseURL, maxDocumentTokens, timeoutMs } = checkedOptions(options);
  const logger = options.logger?.child({ classifier: 'anthropic', model });
  const client = new Anthropic({
    apiKey,
    baseURL,
    maxRetries: 0,
    timeout: timeoutMs,
    logger: sdkLogger(logger),
    logLevel: 'warn',
    // Spans could carry prompt content; the SDK would also read its tracing settings from the environment.
    openTelemetry: false,
  });
  const errorContext: ErrorContext = { apiKey, model, baseURL, timeoutMs };
  const profile = requestProfile(model);
  const examplePrompts = new ExamplePrompts();

  async function send(request: MessageCreateParamsNonStreaming, signal?: AbortSignal): Promise<Message> {
    try {
      return await client.messages.create(request, {
        signal: signal ?? null,
        timeout: timeoutMs,
        maxRetries: 0,
      });
    } catch (error) {
      throw mapApiError(error, errorContext, signal);
    }
  }

  return {
    name: 'anthropic',
    model,
    async classify(input, signal?: AbortSignal): Promise<Classification> {
      signal?.throwIfAborted();
      if (input.rules.length === 0)
        throw new ClassifierPermanentError('give at least 1 rule', { reason: 'invalid_input' });
      if (!input.pages.some((page) => page.text.trim() !== ''))
        return { type: null, confidence: 0, reasoning: NO_TEXT_REASONING };

      const started = performance.now();
      const types = ruleTypes(input.rules);
      const examples = await examplePrompts.block(
        input,
        Math.floor(maxDocumentTokens * EXAMPLE_BUDGET_SHARE),
      );
      const document = renderDocument(input.pages, maxDocumentTokens - (examples?.estimatedTokens ?? 0));
      const lang = input.lang && /^[a-z]{2,3}$/i.test(input.lang) ? input.lang.toLowerCase() : undefined;
      const request = baseRequest(model, profile, input);
      const messages: MessageParam[] = [
        { role: 'user', content: documentMessage(document, input.pages.length, lang, examples?.text) },
      ];

      let reply = await send({ ...request, messages }, signal);
      let usage = addUsage({ input_tokens: 0, output_tokens: 0 }, reply);
      let verdict = readReply(reply, types, model);
      const firstProblem = verdict.ok ? undefined : verdict.problem;
      if (!verdict.ok) {
        logger?.warn({ problem: verdict.problem }, 'unusable answer from Claude; asking once more');
        reply = await send({ ...request, messages: [...messages, ...verdict.repair] }, signal);
        usage = addUsage(usage, reply);
        verdict = readReply(reply, types, model);
      }
      logger?.debug(
        {
          ms: Math.round(performance.now() - started),
          usage,
          repaired: firstProblem !== undefined,
          documentTokens: document.estimatedTokens,
          examplesShown: examples?.shown ?? 0,
          reduced: document.reduced,
          stopReason: reply.stop_reason,
        },
        'claude classification',
      );
      if (!verdict.ok) {
        throw new ClassifierInvalidOutputError(
          `Claude (${model}) gave no usable classification after one repair turn: ${verdict.problem}`,
        );
      }
      return { type: verdict.type, confidence: verdict.confidence, reasoning: verdict.reasoning, usage };
    },
  };
}
