import { readFile, writeFile } from 'node:fs/promises';
import { type ArgDefaults, type ClassifyCommand, chooseFormat, parseCommand } from './args.js';
import type { DocumentResult } from './classify-document.js';
import { classifyFiles } from './classify-files.js';
import { checkService, createClient, describeError } from './client.js';
import { collectFiles } from './collect-files.js';
import { EXIT, type ExitCode, UsageError } from './exit-codes.js';
import { formatResults, summarize } from './format-results.js';
import { HELP } from './help.js';
import { progressLine, type Terminal } from './output.js';
import { checkRuleSet, parseRuleFlag, parseRulesJson, type Rule } from './rules.js';
import { runExamples } from './run-examples.js';

/** The whole command: parse, check, run (classify or examples), print. Returns the exit code; never throws. */
export async function runCli(argv: string[], defaults: ArgDefaults, terminal: Terminal): Promise<ExitCode> {
  try {
    const command = parseCommand(argv, defaults);
    if (command.kind === 'help') {
      terminal.stdout.write(HELP);
      return EXIT.ok;
    }
    if (command.kind === 'classify') return await runClassify(command, terminal);
    return await runExamples(command, terminal);
  } catch (error) {
    if (error instanceof UsageError) {
      terminal.stderr.write(`classifyd: ${error.message}\n`);
      return EXIT.usage;
    }
    terminal.stderr.write(`classifyd: unexpected error: ${describeError(error)}\n`);
    return EXIT.someFailed;
  }
}

export async function loadRules(command: Pick<ClassifyCommand, 'rulesFile' | 'ruleFlags'>): Promise<Rule[]> {
  const rules: Rule[] = [];
  if (command.rulesFile !== undefined) {
    const path = command.rulesFile;
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read the rules file "${path}": ${error.code ?? error.message}`);
    });
    rules.push(...parseRulesJson(text, path));
  }
  rules.push(...command.ruleFlags.map(parseRuleFlag));
  return checkRuleSet(rules);
}

async function runClassify(command: ClassifyCommand, terminal: Terminal): Promise<ExitCode> {
  const rules = await loadRules(command);
  const files = await collectFiles(command.inputs, command.recursive);
  const format = chooseFormat(command, terminal.stdout.isTTY === true);
  if (command.output !== undefined) {
    const target = command.output;
    // Fail on a bad output path now, not after the whole batch has run.
    await writeFile(target, '').catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot write --output "${target}": ${error.code ?? error.message}`);
    });
  }

  const client = createClient(command);
  try {
    await checkService(client);
  } catch (error) {
    terminal.stderr.write(`classifyd: ${command.baseUrl}: ${describeError(error)}\n`);
    return EXIT.service;
  }

  const progress = progressLine(terminal.stderr, !command.quiet);
  let notCompleted = 0;
  const parsing = {
    ...(command.targetPages !== undefined ? { target_pages: command.targetPages } : {}),
    ...(command.maxPages !== undefined ? { max_pages: command.maxPages } : {}),
    ...(command.lang !== undefined ? { lang: command.lang } : {}),
  };
  const results = await classifyFiles(client, files, rules, {
    concurrency: command.concurrency,
    timeoutMs: command.timeoutSeconds * 1000,
    parseDetails: command.parseDetails,
    parsing: Object.keys(parsing).length > 0 ? parsing : undefined,
    onResult: (result, finished, total) => {
      if (result.status !== 'COMPLETED') notCompleted++;
      progress.update(finished, total, notCompleted);
    },
  });
  progress.clear();

  // Off a terminal (a pipe, --output) there is no width to fit: 160 keeps rows readable in a log.
  const text = formatResults(results, format, (command.output ? undefined : terminal.stdout.columns) ?? 160);
  if (command.output !== undefined) await writeFile(command.output, text);
  else terminal.stdout.write(text);
  if (!command.quiet) terminal.stderr.write(`${summarize(results)}\n`);
  return exitCodeFor(results);
}

export function exitCodeFor(results: DocumentResult[]): ExitCode {
  if (results.some((r) => r.service_error)) return EXIT.service;
  if (results.some((r) => r.status !== 'COMPLETED')) return EXIT.someFailed;
  return EXIT.ok;
}
