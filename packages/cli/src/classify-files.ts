import type LlamaCloud from '@llamaindex/llama-cloud';
import {
  type ClassifyTask,
  classifyDocument,
  type DocumentResult,
  type DocumentSettings,
} from './classify-document.js';
import { mapConcurrent } from './concurrent.js';
import type { Rule } from './rules.js';

export interface BatchSettings extends DocumentSettings {
  concurrency: number;
  /** Called as each document finishes, in completion order. */
  onResult?: (result: DocumentResult, finished: number, total: number) => void;
}

/** Classify every task with at most `concurrency` in flight; results keep the tasks' order. */
export function classifyTasks(
  client: LlamaCloud,
  tasks: ClassifyTask[],
  settings: BatchSettings,
): Promise<DocumentResult[]> {
  return mapConcurrent(
    tasks,
    settings.concurrency,
    (task) => classifyDocument(client, task, settings),
    settings.onResult,
  );
}

/** The same rules for every file. */
export function classifyFiles(
  client: LlamaCloud,
  files: string[],
  rules: Rule[],
  settings: BatchSettings,
): Promise<DocumentResult[]> {
  return classifyTasks(
    client,
    files.map((path) => ({ path, rules })),
    settings,
  );
}
