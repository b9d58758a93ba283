import { join } from 'node:path';
import type LlamaCloud from '@llamaindex/llama-cloud';
import { addExamples } from '../add-examples.js';
import { type ClassifyTask, type DocumentResult, uploadFile } from '../classify-document.js';
import { classifyTasks } from '../classify-files.js';
import { describeError } from '../client.js';
import { mapConcurrent } from '../concurrent.js';
import { listExamples } from '../examples-api.js';
import type { Rule } from '../rules.js';
import { type ExamplePoint, examplePoint } from './example-curve.js';
import { type ExampleCount, expectedType, type FoldPlan, planFolds } from './example-plan.js';
import { kLabel } from './example-report.js';
import type { LabelledDocument } from './labels.js';

export interface ExampleEvalOptions {
  /** The data set folder; documents' paths are relative to it. */
  dataset: string;
  documents: LabelledDocument[];
  rulesSets: { name: string; rules: Rule[] }[];
  /** In order, 0 first; the last is also measured without negative examples. */
  ks: ExampleCount[];
  folds: number;
  concurrency: number;
  timeoutMs: number;
  /** Unique per run: configuration names are upserted by name. */
  runId: string;
  /** Every configuration id as it is created, so that the caller can delete them even after a failure. */
  created: string[];
  /** A line for the person running the eval (examples that did not become READY). */
  warn: (line: string) => void;
  /** A progress callback per stage, as classifyTasks' onResult. */
  progress: (label: string) => (result: unknown, finished: number, total: number) => void;
}

/** One document's answer at one point of the curve. */
export interface ExampleRecord {
  path: string;
  label: string;
  fold: number;
  expected: string | null;
  predicted: string | null | undefined;
  confidence: number | null;
  status: string;
  error_message: string | null;
  job_id: string | null;
  configuration_id: string;
}

export interface ExampleEvalResult {
  points: ExamplePoint[];
  records: { rules: string; k: ExampleCount; negatives: boolean; records: ExampleRecord[] }[];
  examplesPosted: number;
}

/**
 * Checks what the service holds, not only the plan: the configuration has exactly the
 * examples just posted (a reused one would carry older examples), and none of them is a
 * document this configuration will classify.
 */
async function assertHeldOut(
  client: LlamaCloud,
  configurationId: string,
  posted: number,
  plan: FoldPlan,
  fileIds: Map<string, string>,
): Promise<void> {
  const held = await listExamples(client, configurationId);
  const classified = new Set(plan.classified.map((d) => fileIds.get(d.path)));
  const leaked = held.filter((e) => classified.has(e.file_input));
  if (held.length !== posted || leaked.length > 0)
    throw new Error(
      `configuration ${configurationId} (fold ${plan.fold}) holds ${held.length} examples for ${posted} posted, ` +
        `${leaked.length} of them documents it classifies: the evaluation would not be held out`,
    );
}

interface Variant {
  rules: string;
  classes: string[];
  k: ExampleCount;
  negatives: boolean;
  plans: FoldPlan[];
  /** Per fold: its configuration and how many of its examples did not become READY. */
  configurations: { id: string; notReady: number }[];
}

/**
 * The learning curve: per rules file and k, every document classified through the running
 * service by its fold's configuration, which holds examples from the other folds only. Each
 * document is uploaded once and its file id reused for every example and job, so the service
 * parses it once (content-hash cache); the k = 0 jobs run first and warm that cache before
 * any example needs a parse.
 */
export async function runExampleEval(
  client: LlamaCloud,
  options: ExampleEvalOptions,
): Promise<ExampleEvalResult> {
  const { documents, folds } = options;
  const fileIds = new Map<string, string>();
  const uploadErrors = new Map<string, string>();
  await mapConcurrent(
    documents,
    options.concurrency,
    async (d) => {
      try {
        fileIds.set(d.path, (await uploadFile(client, join(options.dataset, d.path))).id);
      } catch (error) {
        uploadErrors.set(d.path, describeError(error));
      }
    },
    options.progress('examples: upload'),
  );

  const comparedK = options.ks.at(-1) ?? 0;
  const variants: Variant[] = options.rulesSets.flatMap(({ name, rules }) => {
    const classes = rules.map((r) => r.type);
    const of = (k: ExampleCount, negatives: boolean): Variant => ({
      rules: name,
      classes,
      k,
      negatives,
      plans: planFolds(documents, classes, k, negatives, folds),
      configurations: [],
    });
    return [...options.ks.map((k) => of(k, true)), ...(comparedK !== 0 ? [of(comparedK, false)] : [])];
  });

  let examplesPosted = 0;
  const prepare = async (variant: Variant) => {
    const rules = options.rulesSets.find((r) => r.name === variant.rules)?.rules ?? [];
    for (const plan of variant.plans) {
      const name = `eval-${options.runId}-${variant.rules}-k${kLabel(variant.k)}${variant.negatives ? '' : '-noneg'}-f${plan.fold}`;
      const saved = await client.configurations.create({
        name,
        parameters: { product_type: 'classify_v2', rules },
      });
      options.created.push(saved.id);
      const files = plan.examples
        .filter((e) => fileIds.has(e.document.path))
        .map((e) => ({
          path: join(options.dataset, e.document.path),
          name: e.document.path,
          type: e.type,
          fileId: fileIds.get(e.document.path) as string,
        }));
      const results = await addExamples(client, saved.id, files, {
        concurrency: options.concurrency,
        timeoutMs: options.timeoutMs,
      });
      examplesPosted += files.length;
      await assertHeldOut(client, saved.id, files.length, plan, fileIds);
      const notReady = results.filter((r) => r.status !== 'READY');
      for (const r of notReady.slice(0, 3))
        options.warn(`example ${r.path} in ${name}: ${r.status} ${r.error_message ?? ''}`);
      variant.configurations[plan.fold] = { id: saved.id, notReady: notReady.length };
    }
  };

  const baseline = variants.filter((v) => v.k === 0);
  const learning = variants.filter((v) => v.k !== 0);
  const answers = new Map<Variant, DocumentResult[]>();
  const classify = async (batch: Variant[], label: string) => {
    const tasks: { variant: Variant; task: ClassifyTask }[] = [];
    for (const variant of batch)
      for (const plan of variant.plans)
        for (const d of plan.classified) {
          const fileId = fileIds.get(d.path);
          if (fileId === undefined) continue;
          const configurationId = variant.configurations[plan.fold]?.id as string;
          tasks.push({ variant, task: { path: d.path, fileId, configurationId } });
        }
    const results = await classifyTasks(
      client,
      tasks.map((t) => t.task),
      {
        concurrency: options.concurrency,
        timeoutMs: options.timeoutMs,
        parseDetails: false,
        parsing: undefined,
        onResult: options.progress(label),
      },
    );
    for (const [i, { variant }] of tasks.entries())
      answers.set(variant, [...(answers.get(variant) ?? []), results[i] as DocumentResult]);
  };

  await mapConcurrent(baseline, 1, prepare);
  await classify(baseline, 'examples: k = 0');
  await mapConcurrent(
    learning,
    1,
    prepare,
    options.progress('examples: configuration sets ready (one per k and rules file)'),
  );
  await classify(learning, 'examples: k > 0');

  const points: ExamplePoint[] = [];
  const records: ExampleEvalResult['records'] = [];
  for (const variant of variants) {
    const byPath = new Map((answers.get(variant) ?? []).map((r) => [r.path, r]));
    const variantRecords = variant.plans.flatMap((plan) =>
      plan.classified.map((d): ExampleRecord => {
        const result = byPath.get(d.path);
        const completed = result?.status === 'COMPLETED';
        return {
          path: d.path,
          label: d.label,
          fold: plan.fold,
          expected: expectedType(d, variant.classes),
          predicted: completed ? result.type : undefined,
          confidence: completed ? result.confidence : null,
          status: result?.status ?? 'ERROR',
          error_message: result?.error_message ?? uploadErrors.get(d.path) ?? null,
          job_id: result?.job_id ?? null,
          configuration_id: variant.configurations[plan.fold]?.id ?? '',
        };
      }),
    );
    const notReady = variant.configurations.reduce((sum, c) => sum + c.notReady, 0);
    points.push(
      examplePoint(
        variant.rules,
        variant.k,
        variant.negatives,
        variant.classes,
        variant.plans,
        variantRecords,
        notReady,
      ),
    );
    records.push({
      rules: variant.rules,
      k: variant.k,
      negatives: variant.negatives,
      records: variantRecords,
    });
  }
  return { points, records, examplesPosted };
}
