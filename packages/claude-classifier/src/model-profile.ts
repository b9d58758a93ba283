/**
 * How to ask a given model for a forced, schema-checked answer. Claude models differ here:
 * - Forcing a tool (`tool_choice: {type: "tool"}`) cannot be combined with thinking.
 * - Claude 4.x models think only when asked, so forcing works as is.
 * - Claude Haiku 5.5, Sonnet 5 and Opus 5 think by default but accept `thinking: {type: "disabled"}`
 *   (at their default effort), after which forcing works.
 * - Claude Sonnet 5.5, Opus 5.5 and the Fable/Mythos families answer a forced tool choice with a 400 and
 *   cannot switch thinking off; they get `tool_choice: auto` with the strict tool and an instruction to
 *   call it, low effort, and room in max_tokens for their thinking. A reply without the tool call gets
 *   the one repair turn, like any malformed reply.
 * Unknown model ids get the `auto` profile too: it is accepted by every model.
 */
export interface RequestProfile {
  toolChoice: 'forced' | 'auto';
  /** Send `thinking: {type: "disabled"}` (only where thinking is on by default and may be switched off). */
  disableThinking: boolean;
  /** Send `output_config.effort: "low"`: models that always think should think briefly for a label. */
  lowEffort: boolean;
  maxTokens: number;
}

const FORCED: RequestProfile = {
  toolChoice: 'forced',
  disableThinking: false,
  lowEffort: false,
  maxTokens: 1024,
};
const FORCED_NO_THINKING: RequestProfile = { ...FORCED, disableThinking: true };
const AUTO: RequestProfile = { toolChoice: 'auto', disableThinking: false, lowEffort: true, maxTokens: 8192 };

/** Model ids without a `-YYYYMMDD` snapshot suffix, mapped to their profile. */
const KNOWN_PROFILES: Record<string, RequestProfile> = {
  'claude-haiku-5-5': FORCED_NO_THINKING,
  'claude-sonnet-5': FORCED_NO_THINKING,
  'claude-opus-5': FORCED_NO_THINKING,
  'claude-sonnet-5-5': AUTO,
  'claude-opus-5-5': AUTO,
};

export function requestProfile(model: string): RequestProfile {
  const base = model.replace(/-\d{8}$/, '');
  const known = KNOWN_PROFILES[base];
  if (known) return known;
  if (/^claude-(haiku|sonnet|opus)-4(-\d+)?$/.test(base)) return FORCED;
  return AUTO;
}
