import { Redis } from 'ioredis';
import type { Benchmark, BenchOutcome } from '../lib/benchmark.js';
import { sdk, startBenchStack, withApiLog } from '../lib/classifyd.js';
import { measureDocument } from '../lib/job-costs.js';
import { rawNoopCallsPerJob } from '../lib/raw-noop-flow.js';
import { invoiceText } from '../lib/sample-document.js';
import { fmt, printTable, ratio } from '../lib/stats.js';

/** The budget: at most this many Redis calls per small-text job, upload to COMPLETED. */
const BUDGET = 110;

export const jobCommands: Benchmark = {
  name: 'job-commands',
  summary:
    'Redis calls per small-text job from upload to COMPLETED, by stage, vs a raw two-stage BullMQ flow',
  async run(context): Promise<BenchOutcome> {
    const jobs = Number(process.env.BENCH_JOB_COMMANDS_JOBS ?? (context.quick ? 100 : 300));
    const redisInfo = await context.redis();
    const stack = await startBenchStack(redisInfo.url, 'bench-job-commands', []);
    const redis = new Redis(redisInfo.url);
    try {
      // Each stage alone (create with no worker running, then parse, then classify), so that
      // every call is charged to the stage that made it; INFO counts the calls inside scripts.
      const { stages } = await measureDocument(
        stack,
        redis,
        sdk(stack.baseUrl),
        jobs,
        async (i) => Buffer.from(invoiceText(`CMD-${i}`)),
        (i) => `invoice-${i}.txt`,
      );
      const raw = await rawNoopCallsPerJob(redisInfo.url, jobs);
      const total = stages.at(-1)?.redisCallsPerJob ?? Number.NaN;
      printTable([
        ['  stage', 'Redis calls/job', 'scripts/job', 'top commands/job'],
        ...stages.map((s) => [
          `  ${s.stage}`,
          fmt(s.redisCallsPerJob, 1),
          fmt(s.redisScriptsPerJob, 1),
          Object.entries(s.topCommands)
            .slice(0, 5)
            .map(([name, calls]) => `${name} ${calls}`)
            .join(', '),
        ]),
        ['  raw two-stage BullMQ flow, no-op stages', fmt(raw, 1), '', ''],
      ]);
      console.log(
        `  ratio classifyd/raw (calls per job): ${fmt(ratio(total, raw), 2)}; budget ${BUDGET} per job: ` +
          `${total <= BUDGET ? 'within' : 'over'} (${jobs} jobs of a 0.8 KB text invoice; the workers' idle ` +
          'polling while each stage drains is included)',
      );
      return { status: 'ok', settings: { jobs, budget: BUDGET }, stages, rawNoopCallsPerJob: raw, total };
    } catch (error) {
      throw withApiLog(error, stack);
    } finally {
      redis.disconnect();
      await stack.stop();
    }
  },
};
