import { parseTargetPages } from '@classifyd/shared';
import { type ExamplesCommand, parseExamplesCommand } from './examples-args.js';
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

export type { ArgDefaults, OutputFormat } from './flags.js';

export interface ClassifyCommand {
  kind: 'classify';
  inputs: string[];
  rulesFile: string | undefined;
  ruleFlags: string[];
  baseUrl: string;
  apiKey: string;
  /** undefined: the caller picks one from the output target. */
  format: OutputFormat | undefined;
  concurrency: number;
  targetPages: string | undefined;
  maxPages: number | undefined;
  lang: string | undefined;
  timeoutSeconds: number;
  recursive: boolean;
  output: string | undefined;
  quiet: boolean;
  parseDetails: boolean;
}

export type Command = { kind: 'help' } | ClassifyCommand | ExamplesCommand;

const OPTIONS = {
  rules: { type: 'string' },
  rule: { type: 'string', multiple: true },
  'base-url': { type: 'string' },
  'api-key': { type: 'string' },
  format: { type: 'string' },
  concurrency: { type: 'string' },
  'target-pages': { type: 'string' },
  'max-pages': { type: 'string' },
  lang: { type: 'string' },
  timeout: { type: 'string' },
  recursive: { type: 'boolean', short: 'r' },
  output: { type: 'string', short: 'o' },
  quiet: { type: 'boolean', short: 'q' },
  'parse-details': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseCommand(argv: string[], defaults: ArgDefaults): Command {
  // Each command has its own flags; `examples` must come first so that its flags are its own.
  if (argv[0] === 'examples') return parseExamplesCommand(argv.slice(1), defaults);
  const { values, positionals } = strictArgs(argv, OPTIONS);
  const [command, ...inputs] = positionals;
  if (values.help || command === undefined || command === 'help') return { kind: 'help' };
  if (command !== 'classify')
    throw new UsageError(
      `unknown command "${command}"; the commands are classify and examples (see classifyd --help)`,
    );
  if (inputs.length === 0) throw new UsageError('name at least one file or folder to classify');
  return {
    kind: 'classify',
    inputs,
    rulesFile: values.rules,
    ruleFlags: values.rule ?? [],
    baseUrl: checkBaseUrl(values['base-url'] ?? defaults.baseUrl),
    apiKey: values['api-key'] ?? defaults.apiKey,
    format: checkFormat(values.format),
    concurrency: integerFlag('--concurrency', values.concurrency, 4, 1, 64),
    targetPages: checkTargetPages(values['target-pages']),
    maxPages:
      values['max-pages'] === undefined ? undefined : integerFlag('--max-pages', values['max-pages'], 1, 1),
    lang: checkLang(values.lang),
    timeoutSeconds: positiveNumber('--timeout', values.timeout, 600),
    recursive: values.recursive ?? false,
    output: values.output,
    quiet: values.quiet ?? false,
    parseDetails: values['parse-details'] ?? false,
  };
}

/** A format given with --format wins; else the --output extension; else table on a TTY, json otherwise. */
export function chooseFormat(command: ClassifyCommand, stdoutIsTty: boolean): OutputFormat {
  if (command.format) return command.format;
  const extension = command.output?.toLowerCase().split('.').pop();
  if (command.output) return extension === 'csv' ? 'csv' : extension === 'txt' ? 'table' : 'json';
  return stdoutIsTty ? 'table' : 'json';
}

function checkTargetPages(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = parseTargetPages(value);
  if (!parsed.ok) throw new UsageError(`--target-pages "${value}": ${parsed.error}`);
  return value;
}

function checkLang(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[A-Za-z]{2}$/.test(value)) {
    throw new UsageError(`--lang "${value}" must be a two-letter ISO 639-1 code such as en or de`);
  }
  return value.toLowerCase();
}
