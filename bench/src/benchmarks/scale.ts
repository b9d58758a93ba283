import { toFile } from '@llamaindex/llama-cloud';
import { Redis } from 'ioredis';
import type { Benchmark, BenchOutcome } from '../lib/benchmark.js';
import { sdk, startBenchStack, uploadText, withApiLog } from '../lib/classifyd.js';
import { noOwnCalls } from '../lib/queue-drain.js';
import { EXPECTED_TYPE } from '../lib/sample-document.js';
import { fiftyRules, longInvoiceText, scannedInvoice } from '../lib/scale-documents.js';
import { fmt, printTable, ratio, round } from '../lib/stats.js';
import { type BatchResult, inLanes, runWorkerBatch } from '../lib/worker-batch.js';

/**
 * One job per process at a time and one OCR thread: a process then wants one core, so two
 * processes on two cores can double the rate, and nothing inside a process (its default
 * concurrency of 2 or 4, OCR threads) scales instead of the processes.
 */
const WORKER_ENV = { WORKER_CONCURRENCY: '1', OCR_CONCURRENCY: '1', LOG_LEVEL: 'info' };
const CREATE_IN_FLIGHT = 8;

function settingsFor(quick: boolean) {
  return {
    rounds: quick ? 1 : 2,
    ocrJobs: Number(process.env.BENCH_SCALE_OCR_JOBS ?? (quick ? 8 : 20)),
    classifyJobs: Number(process.env.BENCH_SCALE_CLASSIFY_JOBS ?? (quick ? 500 : 900)),
  };
}

type Stage = 'ocr' | 'classify';
const LABELS: Record<Stage, string> = {
  ocr: 'OCR parse, 1-page scan',
  classify: 'classify, 50 rules, 10k chars',
};

function summarize(runs: BatchResult[]) {
  const rates = runs.map((r) => r.jobsPerSecond).filter((v): v is number => v !== null);
  const jobs = runs.reduce((sum, r) => sum + r.jobs, 0);
  return {
    jobsPerSecond: rates.length > 0 ? round(rates.reduce((a, b) => a + b, 0) / rates.length, 2) : null,
    perRound: runs.map((r) => r.jobsPerSecond),
    jobs,
    failed: runs.reduce((sum, r) => sum + r.failed, 0),
    workerCpuUse: round(runs.reduce((sum, r) => sum + r.workerCpuUse, 0) / runs.length, 2),
    jobsPerWorkerCpuSecond: round(jobs / runs.reduce((sum, r) => sum + r.workerCpuSeconds, 0), 2),
    otherCores: round(runs.reduce((sum, r) => sum + (r.otherCores ?? 0), 0) / runs.length, 2),
    apiCpuSeconds: runs.reduce((sum, r) => sum + (r.apiCpuSeconds ?? 0), 0),
    redisCpuSeconds: round(
      runs.reduce((sum, r) => sum + r.redisCpuSeconds, 0),
      2,
    ),
    wallSeconds: round(
      runs.reduce((sum, r) => sum + r.wallSeconds, 0),
      2,
    ),
    runs,
  };
}

export const scale: Benchmark = {
  name: 'scale',
  summary: 'jobs/s of 1 and of 2 worker processes, OCR-bound parse and classify-bound jobs (ratio two/one)',
  async run(context): Promise<BenchOutcome> {
    const settings = settingsFor(context.quick);
    const redisInfo = await context.redis();
    const stack = await startBenchStack(redisInfo.url, 'bench-scale', []);
    const redis = new Redis(redisInfo.url);
    const own = noOwnCalls();
    const client = sdk(stack.baseUrl);
    const rules = fiftyRules();
    const runs: Record<Stage, Record<number, BatchResult[]>> = {
      ocr: { 1: [], 2: [] },
      classify: { 1: [], 2: [] },
    };
    let wrongType = 0;
    try {
      // The classify-bound document: parsed once here, so that every later job on it is a
      // parse-cache hit and goes straight to the classify queue.
      const longFile = await uploadText(client, longInvoiceText(), 'long-invoice.txt');
      const primers = [await stack.startApp('parse-worker', WORKER_ENV)];
      primers.push(await stack.startApp('classify-worker', WORKER_ENV));
      const primed = await client.classify.run(
        { file_input: longFile, configuration: { rules } },
        { pollingInterval: 0.1, maxInterval: 0.1, backoff: 'constant', timeout: 120 },
      );
      if (primed.status !== 'COMPLETED') throw new Error(`the priming job ended ${primed.status}`);
      for (const app of primers) await stack.stopApp(app);

      let scanNumber = 0;
      const queueOcr = async () => {
        // Unique bytes per scan: the parse worker would copy the output of identical bytes.
        await inLanes(settings.ocrJobs, CREATE_IN_FLIGHT, async () => {
          const reference = `SCALE-${scanNumber++}`;
          await client.parsing.create({
            tier: 'fast',
            version: 'latest',
            upload_file: await toFile(Buffer.from(await scannedInvoice(reference)), `${reference}.pdf`),
          });
        });
      };
      const classifyIds: string[] = [];
      const queueClassify = () =>
        inLanes(settings.classifyJobs, CREATE_IN_FLIGHT, async () => {
          const job = await client.classify.create({ file_input: longFile, configuration: { rules } });
          classifyIds.push(job.id);
        });

      const plan: { stage: Stage; processes: number }[] = [];
      for (let r = 0; r < settings.rounds; r++) {
        // Alternate which count goes first, so that drift in the machine's load hits both.
        const counts = r % 2 === 0 ? [1, 2] : [2, 1];
        for (const stage of ['ocr', 'classify'] as const)
          for (const processes of counts) plan.push({ stage, processes });
      }
      for (const { stage, processes } of plan) {
        if (stage === 'ocr') await queueOcr();
        else await queueClassify();
        const result = await runWorkerBatch({
          stack,
          redis,
          app: stage === 'ocr' ? 'parse-worker' : 'classify-worker',
          queue: stage === 'ocr' ? 'parse' : 'classify',
          processes,
          jobs: stage === 'ocr' ? settings.ocrJobs : settings.classifyJobs,
          env: WORKER_ENV,
          timeoutMs: stage === 'ocr' ? 600_000 : 300_000,
          own,
        });
        runs[stage][processes]?.push(result);
      }
      // Every answer checked, after the windows: the API stays out of them.
      await inLanes(classifyIds.length, CREATE_IN_FLIGHT, async (i) => {
        const job = await client.classify.get(classifyIds[i] as string);
        if (job.status !== 'COMPLETED' || job.result?.type !== EXPECTED_TYPE) wrongType++;
      });

      const figures = {
        ocr: { one: summarize(runs.ocr[1] ?? []), two: summarize(runs.ocr[2] ?? []) },
        classify: { one: summarize(runs.classify[1] ?? []), two: summarize(runs.classify[2] ?? []) },
      };
      const ratios = {
        ocr: ratio(figures.ocr.two.jobsPerSecond, figures.ocr.one.jobsPerSecond),
        classify: ratio(figures.classify.two.jobsPerSecond, figures.classify.one.jobsPerSecond),
      };
      printTable([
        [
          '',
          'workers',
          'jobs/s',
          'per round',
          'worker CPU use',
          'jobs/worker cpu s',
          'API cpu s',
          'Redis cpu s',
          'other load',
          'jobs',
          'failed',
        ],
        ...(['ocr', 'classify'] as const).flatMap((stage) =>
          (['one', 'two'] as const).map((count) => {
            const f = figures[stage][count];
            return [
              count === 'one' ? LABELS[stage] : '',
              count === 'one' ? '1' : '2',
              fmt(f.jobsPerSecond, 2),
              f.perRound.map((v) => fmt(v, 2)).join('/'),
              fmt(f.workerCpuUse, 2),
              fmt(f.jobsPerWorkerCpuSecond, 2),
              fmt(f.apiCpuSeconds, 2),
              fmt(f.redisCpuSeconds, 2),
              fmt(f.otherCores, 2),
              String(f.jobs),
              String(f.failed),
            ];
          }),
        ),
      ]);
      console.log(
        `  ratio two/one (jobs/s): OCR parse ${fmt(ratios.ocr, 3)}, classify ${fmt(ratios.classify, 3)} (goal: at least 1.7)\n` +
          `  (each process WORKER_CONCURRENCY=1, OCR_CONCURRENCY=1; jobs queued before the workers start; jobs/s while` +
          ` every worker is busy; worker CPU use 1.00 = a core per process;` +
          ` other load = cores busy with work that is not this bench's; ${wrongType} classify answers not "${EXPECTED_TYPE}")`,
      );
      return {
        status: 'ok',
        settings: {
          ...settings,
          workerEnv: WORKER_ENV,
          ocrDocument: 'one-page scanned PDF (A4, 150 dpi, PNG), unique bytes per job, parse jobs',
          classifyDocument: `one text file of ${longInvoiceText().length} characters, parse cached; ${rules.length} rules`,
        },
        ocr: figures.ocr,
        classify: { ...figures.classify, wrongType },
        ratio: ratios,
      };
    } catch (error) {
      throw withApiLog(error, stack);
    } finally {
      redis.disconnect();
      await stack.stop();
    }
  },
};
