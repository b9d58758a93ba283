import type LlamaCloud from '@llamaindex/llama-cloud';
import { classifyDocument, type DocumentResult, type DocumentSettings } from './classify-document.js';
import type { Rule } from './rules.js';

export interface ClassifyTask {
  path: string;
  rules: Rule[];
}

export interface BatchSettings extends DocumentSettings {
  concurrency: number;
  /** Called as each document finishes, in completion order. */
  onResult?: (result: DocumentResult, finished: number, total: number) => void;
}

/** Classify every task with at most `concurrency` in flight; results keep the tasks' order. */
export async function classifyTasks(
  client: LlamaCloud,
  tasks: ClassifyTask[],
  settings: BatchSettings,
): Promise<DocumentResult[]> {
  const results: DocumentResult[] = new Array(tasks.length);
  let next = 0;
  let finished = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const index = next++;
      const task = tasks[index] as ClassifyTask;
      const result = await classifyDocument(client, task.path, task.rules, settings);
      results[index] = result;
      finished++;
      settings.onResult?.(result, finished, tasks.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(settings.concurrency, tasks.length) }, lane));
  return results;
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
