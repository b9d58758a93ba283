export { type ArgDefaults, type ClassifyCommand, type OutputFormat, parseCommand } from './args.js';
export {
  type ClassifyTask,
  classifyDocument,
  type DocumentResult,
  type DocumentSettings,
  type DocumentStatus,
  type ParsingSettings,
  uploadFile,
} from './classify-document.js';
export { type BatchSettings, classifyFiles, classifyTasks } from './classify-files.js';
export { checkService, createClient, describeError, type ServiceAddress } from './client.js';
export { collectFiles } from './collect-files.js';
export { EXIT, type ExitCode, UsageError } from './exit-codes.js';
export { formatCsv, formatJson, formatResults, formatTable, summarize } from './format-results.js';
export { checkRuleSet, parseRuleFlag, parseRulesJson, type Rule } from './rules.js';
export { exitCodeFor, loadRules, runCli } from './run-cli.js';
