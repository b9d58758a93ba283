/** Public id formats: a kind prefix and a UUID, as LlamaCloud hands them out. */
export const ID_PREFIXES = {
  classifyJob: 'clj',
  file: 'dfl',
  parseJob: 'pjb',
  configuration: 'cfg',
  example: 'exm',
  webhookConfig: 'whc',
} as const;
export type IdKind = keyof typeof ID_PREFIXES;

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const patterns = Object.fromEntries(
  Object.entries(ID_PREFIXES).map(([kind, prefix]) => [kind, new RegExp(`^${prefix}-${UUID}$`)]),
) as Record<IdKind, RegExp>;

// The Web Crypto global exists in every runtime we target; declared here so shared needs no node types.
declare const crypto: { randomUUID(): string };

export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}-${crypto.randomUUID()}`;
}

export function isId(kind: IdKind, value: string): boolean {
  return patterns[kind].test(value);
}
