import type {
  ContentBlock,
  ContentBlockParam,
  Message,
  MessageParam,
} from '@anthropic-ai/sdk/resources/messages';
import { CLASSIFICATION_TOOL_NAME, readToolInput } from './classification-tool.js';
import { ClassifierPermanentError, ClassifierRefusalError } from './errors.js';
import { NO_TOOL_CALL_REPAIR } from './prompt.js';

export type ReplyVerdict =
  | { ok: true; type: string | null; confidence: number; reasoning: string }
  | {
      ok: false;
      /** What was wrong, for logs and the final error (no document text). */
      problem: string;
      /** The assistant turn and our answer to it, to append for the one repair attempt. */
      repair: MessageParam[];
    };

/** Reply blocks that can go back in a follow-up request (thinking must be returned as it came). */
function asParams(content: ContentBlock[]): ContentBlockParam[] {
  const params: ContentBlockParam[] = [];
  for (const block of content) {
    if (block.type === 'text') params.push({ type: 'text', text: block.text });
    else if (block.type === 'thinking')
      params.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
    else if (block.type === 'redacted_thinking') params.push({ type: 'redacted_thinking', data: block.data });
    else if (block.type === 'tool_use')
      params.push({ type: 'tool_use', id: block.id, name: block.name, input: block.input });
  }
  return params;
}

function repairTurn(reply: Message, results: ContentBlockParam[]): MessageParam[] {
  return [
    { role: 'assistant', content: asParams(reply.content) },
    { role: 'user', content: results },
  ];
}

/**
 * Reads one Messages API reply. Refusals and context overflows throw (a retry would get the same);
 * a missing, malformed or out-of-rules tool call comes back with the turn that asks Claude to fix it.
 */
export function readReply(reply: Message, types: readonly string[], model: string): ReplyVerdict {
  if (reply.stop_reason === 'refusal') {
    throw new ClassifierRefusalError(
      `Claude (${model}) declined to classify this document (stop_reason "refusal"); the same request ` +
        'would be declined again. Use another ANTHROPIC_MODEL or CLASSIFIER=embedded for such documents.',
    );
  }
  if (reply.stop_reason === 'model_context_window_exceeded') {
    throw new ClassifierPermanentError(
      `The document did not fit the context window of ${model}; lower maxDocumentTokens`,
      { reason: 'too_large' },
    );
  }
  const toolUses = reply.content.filter((block) => block.type === 'tool_use');
  const call = toolUses.find((block) => block.name === CLASSIFICATION_TOOL_NAME);
  if (!call) {
    // Any other tool call still needs its result before the reminder.
    const results: ContentBlockParam[] = toolUses.map((block) => ({
      type: 'tool_result',
      tool_use_id: block.id,
      is_error: true,
      content: `There is no tool named ${block.name}.`,
    }));
    return {
      ok: false,
      problem: `Claude answered without calling ${CLASSIFICATION_TOOL_NAME} (stop_reason "${reply.stop_reason}")`,
      repair: repairTurn(reply, [...results, { type: 'text', text: NO_TOOL_CALL_REPAIR }]),
    };
  }
  const verdict = readToolInput(call.input, types);
  if (verdict.ok) return verdict;
  const results: ContentBlockParam[] = toolUses.map((block) => ({
    type: 'tool_result',
    tool_use_id: block.id,
    is_error: true,
    content:
      block === call
        ? `${verdict.problem} Call ${CLASSIFICATION_TOOL_NAME} again with a corrected answer.`
        : `There is no tool named ${block.name}.`,
  }));
  return { ok: false, problem: verdict.problem, repair: repairTurn(reply, results) };
}
