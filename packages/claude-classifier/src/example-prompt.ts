import { ExampleIndex, ExampleSetCache } from '@classifyd/example-learning';
import type { ClassifierInput, LabelledExample } from '@classifyd/shared';
import { estimateTokens } from './token-estimate.js';

/** A few of the closest examples per type show what the user means by it; more mostly cost tokens. */
export const EXAMPLES_PER_TYPE = 2;
/** An example is shown by its opening, where a document's type shows. */
const EXCERPT_CHARS = 1200;
/** Examples take at most this share of the document budget; the document keeps the rest. */
export const EXAMPLE_BUDGET_SHARE = 0.25;

interface PromptExamples {
  index: ExampleIndex;
  excerpts: Map<string, string>;
}

export interface ExampleBlock {
  text: string;
  estimatedTokens: number;
  shown: number;
}

/**
 * The user's labelled documents closest to the one being classified, as a block of the
 * prompt. Nearness is measured offline (word and character n-grams), so picking them costs
 * no tokens; the index is built once per version of a configuration's example set.
 */
export class ExamplePrompts {
  private readonly cache = new ExampleSetCache<PromptExamples>((examples) => ({
    index: ExampleIndex.build(examples),
    excerpts: new Map(examples.map((e) => [e.id, excerpt(e)])),
  }));

  async block(input: ClassifierInput, maxTokens: number): Promise<ExampleBlock | null> {
    if (!input.examples?.count) return null;
    const learned = await this.cache.get(input.examples);
    if (!learned) return null;
    const current = new Set<string | null>([...input.rules.map((r) => r.type), null]);
    const nearest = learned.index
      .nearestPerType(input.pages, EXAMPLES_PER_TYPE)
      .filter((e) => current.has(e.type));
    const shown: string[] = [];
    let estimatedTokens = 0;
    for (const example of nearest) {
      const type = example.type === null ? 'none of the rules' : example.type;
      const block = `<example type=${JSON.stringify(type)} file=${JSON.stringify(example.name)}>\n${learned.excerpts.get(example.id) ?? ''}\n</example>`;
      const cost = estimateTokens(block);
      if (estimatedTokens + cost > maxTokens) continue;
      shown.push(block);
      estimatedTokens += cost;
    }
    if (shown.length === 0) return null;
    return { text: `<examples>\n${shown.join('\n')}\n</examples>`, estimatedTokens, shown: shown.length };
  }
}

function excerpt(example: LabelledExample): string {
  const text = example.pages
    .map((p) => p.text.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
  return text.length <= EXCERPT_CHARS ? text : `${text.slice(0, EXCERPT_CHARS)} [...]`;
}
