import { sdk, startBenchStack, uploadText } from './classifyd.js';
import { type LoopSample, runClosedLoop } from './closed-loop.js';
import { EXPECTED_TYPE, invoiceText, RULES } from './sample-document.js';

export interface E2eSettings {
  inFlight: number;
  rounds: number;
  warmupMs: number;
  durationMs: number;
  /** The SDK's polling interval in seconds, constant (its default starts at 1 s and backs off to 5 s). */
  pollSeconds: number;
}

/** One side of the e2e comparison, kept running across rounds. */
export interface E2eDriver {
  measure(variant: string): Promise<LoopSample>;
  /** Jobs whose answer was not the expected type, by variant. */
  wrongType: Record<string, number>;
  notes: Record<string, unknown>;
  /** created_at to updated_at of each COMPLETED job as the API reports it (warm-up jobs included), by variant. */
  serverLatencyMs?: Record<string, number[]>;
  stop(): Promise<void>;
}

export const SAME_FILE = 'classifyd-same-file';
export const DISTINCT_FILES = 'classifyd-distinct-files';

/**
 * The full stack (api, parse-worker, classify-worker processes) driven by the official SDK,
 * K jobs in flight, each classify.create then waitForCompletion. Same file: one upload, so
 * after the first job every job reuses its parse (classifyd's parse cache) and only the
 * classify stage runs. Distinct files: uploaded beforehand, untimed, each with unique bytes,
 * so every job runs both stages, like the raw baseline.
 */
export async function startClassifydDriver(redisUrl: string, settings: E2eSettings): Promise<E2eDriver> {
  const stack = await startBenchStack(redisUrl, 'bench-e2e');
  const client = sdk(stack.baseUrl);
  const wrongType: Record<string, number> = { [SAME_FILE]: 0, [DISTINCT_FILES]: 0 };
  const notes = { filesUploaded: 0, uploadSeconds: 0 };
  const serverLatencyMs: Record<string, number[]> = { [SAME_FILE]: [], [DISTINCT_FILES]: [] };
  const pool: string[] = [];
  let lastRate = 0;

  async function classify(fileId: string, variant: string): Promise<boolean> {
    const created = await client.classify.create({ file_input: fileId, configuration: { rules: RULES } });
    const done = await client.classify.waitForCompletion(created.id, undefined, {
      pollingInterval: settings.pollSeconds,
      maxInterval: settings.pollSeconds,
      backoff: 'constant',
      timeout: 60,
    });
    if (done.status !== 'COMPLETED') throw new Error(`job ${created.id} ended ${done.status}`);
    if (done.result?.type !== EXPECTED_TYPE) wrongType[variant] = (wrongType[variant] ?? 0) + 1;
    if (done.created_at && done.updated_at) {
      serverLatencyMs[variant]?.push(Date.parse(done.updated_at) - Date.parse(done.created_at));
    }
    return true;
  }

  /** Enough unused distinct files for one window at 1.5 times the last rate seen. */
  async function topUpPool(): Promise<void> {
    const windowSeconds = (settings.warmupMs + settings.durationMs) / 1000;
    const wanted = Math.ceil(Math.max(lastRate, 100) * windowSeconds * 1.5) + 4 * settings.inFlight;
    const began = performance.now();
    let next = notes.filesUploaded;
    const target = notes.filesUploaded + Math.max(0, wanted - pool.length);
    const lane = async () => {
      for (let i = next++; i < target; i = next++) {
        pool.push(await uploadText(client, invoiceText(`BENCH-${i}`), `invoice-${i}.txt`));
      }
    };
    await Promise.all(Array.from({ length: settings.inFlight }, lane));
    notes.filesUploaded = target;
    notes.uploadSeconds += (performance.now() - began) / 1000;
  }

  try {
    const fileId = await uploadText(client, invoiceText(), 'invoice.txt');
    await classify(fileId, SAME_FILE);
    return {
      wrongType,
      notes,
      serverLatencyMs,
      async measure(variant) {
        let sample: LoopSample;
        if (variant === SAME_FILE) {
          sample = await runClosedLoop({ ...settings, runOne: () => classify(fileId, SAME_FILE) });
        } else {
          await topUpPool();
          sample = await runClosedLoop({
            ...settings,
            runOne: async () => {
              const id = pool.shift();
              return id === undefined ? false : classify(id, DISTINCT_FILES);
            },
          });
        }
        lastRate = Math.max(lastRate, sample.latenciesMs.length / sample.windowSeconds);
        return sample;
      },
      stop: () => stack.stop(),
    };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}
