import { EXAMPLE_STATUSES, type ExampleStatus } from '@classifyd/shared';
import { NONE } from './eval/metrics.js';
import { UsageError } from './exit-codes.js';
import {
  type ArgDefaults,
  checkBaseUrl,
  checkFormat,
  integerFlag,
  type OutputFormat,
  positiveNumber,
  strictArgs,
} from './flags.js';

interface ServiceFlags {
  configurationId: string;
  baseUrl: string;
  apiKey: string;
  /** undefined: table on a terminal, json otherwise. */
  format: OutputFormat | undefined;
  quiet: boolean;
}

export interface ExamplesAddCommand extends ServiceFlags {
  kind: 'examples-add';
  folder: string;
  concurrency: number;
  /** How long to wait, all told, for every example to become READY or FAILED. */
  timeoutSeconds: number;
}

export interface ExamplesListCommand extends ServiceFlags {
  kind: 'examples-list';
  /** A rule type; null lists the negative examples (`--type none`). */
  type: string | null | undefined;
  status: ExampleStatus | undefined;
}

export interface ExamplesDeleteCommand extends ServiceFlags {
  kind: 'examples-delete';
  ids: string[];
  all: boolean;
}

export type ExamplesCommand = ExamplesAddCommand | ExamplesListCommand | ExamplesDeleteCommand;

const OPTIONS = {
  configuration: { type: 'string', short: 'c' },
  'base-url': { type: 'string' },
  'api-key': { type: 'string' },
  format: { type: 'string' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  type: { type: 'string' },
  status: { type: 'string' },
  all: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Flags that only some subcommands take: given to another, they are a mistake worth naming. */
const ONLY_FOR: Record<string, ExamplesCommand['kind'][]> = {
  concurrency: ['examples-add'],
  timeout: ['examples-add'],
  type: ['examples-list'],
  status: ['examples-list'],
  all: ['examples-delete'],
};

/** `classifyd examples add|list|delete ...` (argv after the word `examples`). */
export function parseExamplesCommand(
  argv: string[],
  defaults: ArgDefaults,
): ExamplesCommand | { kind: 'help' } {
  const { values, positionals } = strictArgs(argv, OPTIONS);
  const [action, ...rest] = positionals;
  if (values.help || action === undefined) return { kind: 'help' };
  const kind = ({ add: 'examples-add', list: 'examples-list', delete: 'examples-delete' } as const)[
    action as 'add' | 'list' | 'delete'
  ];
  if (kind === undefined)
    throw new UsageError(`unknown examples command "${action}"; use examples add, list or delete`);
  for (const [flag, kinds] of Object.entries(ONLY_FOR)) {
    if (values[flag as keyof typeof values] !== undefined && !kinds.includes(kind))
      throw new UsageError(`--${flag} does not apply to examples ${action}`);
  }
  if (!values.configuration)
    throw new UsageError(
      `examples ${action} needs --configuration ID (a saved classify configuration, cfg-...)`,
    );
  const service: ServiceFlags = {
    configurationId: values.configuration,
    baseUrl: checkBaseUrl(values['base-url'] ?? defaults.baseUrl),
    apiKey: values['api-key'] ?? defaults.apiKey,
    format: checkFormat(values.format),
    quiet: values.quiet ?? false,
  };
  if (kind === 'examples-add') {
    const [folder, ...extra] = rest;
    if (folder === undefined || extra.length > 0)
      throw new UsageError(
        'examples add takes one folder: labels.csv (path,label) or one sub-folder per type',
      );
    return {
      kind,
      ...service,
      folder,
      concurrency: integerFlag('--concurrency', values.concurrency, 4, 1, 64),
      timeoutSeconds: positiveNumber('--timeout', values.timeout, 600),
    };
  }
  if (kind === 'examples-list') {
    if (rest.length > 0) throw new UsageError('examples list takes no arguments besides its flags');
    return {
      kind,
      ...service,
      type: values.type === NONE ? null : values.type,
      status: checkStatus(values.status),
    };
  }
  const all = values.all ?? false;
  if (all === rest.length > 0)
    throw new UsageError('examples delete takes example ids (exm-...) or --all, not both and not neither');
  return { kind, ...service, ids: rest, all };
}

function checkStatus(value: string | undefined): ExampleStatus | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase() as ExampleStatus;
  if (!EXAMPLE_STATUSES.includes(upper))
    throw new UsageError(`--status "${value}" is not one of ${EXAMPLE_STATUSES.join(', ')}`);
  return upper;
}
