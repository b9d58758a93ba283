import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {} from 'vitest';
import { type FuzzSettings, readSettings } from './settings.js';
import { loadTallies, summaryLines, summaryTable } from './tally.js';

declare module 'vitest' {
  export interface ProvidedContext {
    fuzzSettings: FuzzSettings;
    fuzzReportDir: string;
  }
}

interface SetupProject {
  provide(key: 'fuzzSettings', value: FuzzSettings): void;
  provide(key: 'fuzzReportDir', value: string): void;
}

/**
 * vitest globalSetup: reads the settings once (one seed for every file), and at the end
 * prints the requests and statuses of every file's routes, added up.
 */
export default function setup(project: SetupProject): () => void {
  const settings = readSettings(process.env);
  const dir = mkdtempSync(join(tmpdir(), 'classifyd-fuzz-'));
  project.provide('fuzzSettings', settings);
  project.provide('fuzzReportDir', dir);
  const started = Date.now();
  return () => {
    const tally = loadTallies(dir);
    rmSync(dir, { recursive: true, force: true });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const head = `fuzz: seed ${settings.seed}, ${settings.runs} cases per property, ${seconds} s`;
    const body = settings.long ? `\n${summaryTable(tally)}` : `\n${summaryLines(tally).join('\n')}`;
    process.stdout.write(`\n${head}${body}\n`);
  };
}
