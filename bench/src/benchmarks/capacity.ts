import { Redis } from 'ioredis';
import { defaultConcurrency } from '../lib/app-concurrency.js';
import type { Benchmark, BenchOutcome } from '../lib/benchmark.js';
import { API_LOG_LEVEL, sdk, startBenchStack, withApiLog } from '../lib/classifyd.js';
import { measureClaude, measureDocument, type StageCost } from '../lib/job-costs.js';
import { keyCensus } from '../lib/key-census.js';
import { runRedisBenchmark } from '../lib/redis-benchmark.js';
import { EXPECTED_TYPE, RULES } from '../lib/sample-document.js';
import { scannedInvoice, textPdfInvoice } from '../lib/scale-documents.js';
import { fmt, printTable } from '../lib/stats.js';

function settingsFor(quick: boolean) {
  return {
    textPdfJobs: Number(process.env.BENCH_CAPACITY_TEXT_JOBS ?? (quick ? 100 : 500)),
    scanJobs: Number(process.env.BENCH_CAPACITY_SCAN_JOBS ?? (quick ? 6 : 20)),
    claudeJobs: Number(process.env.BENCH_CAPACITY_CLAUDE_JOBS ?? (quick ? 100 : 500)),
    redisBenchmarkRequests: quick ? 20_000 : 200_000,
  };
}

function printStages(title: string, stages: StageCost[]): void {
  console.log(`  ${title}`);
  printTable([
    [
      '  stage',
      'process cpu ms',
      'Redis calls',
      'scripts',
      'Redis cpu ms',
      'net in B',
      'net out B',
      'memory B',
    ],
    ...stages.map((s) => [
      `  ${s.stage}`,
      fmt(s.processCpuMsPerJob, 2),
      fmt(s.redisCallsPerJob, 1),
      fmt(s.redisScriptsPerJob, 1),
      fmt(s.redisCpuMsPerJob, 3),
      fmt(s.netInBytesPerJob, 0),
      fmt(s.netOutBytesPerJob, 0),
      fmt(s.memoryBytesPerJob, 0),
    ]),
  ]);
}

export const capacity: Benchmark = {
  name: 'capacity',
  summary: 'per-job CPU of each stage and Redis calls, bytes and CPU per job (for docs/capacity.md)',
  async run(context): Promise<BenchOutcome> {
    const settings = settingsFor(context.quick);
    const redisInfo = await context.redis();
    const stack = await startBenchStack(redisInfo.url, 'bench-capacity', []);
    const redis = new Redis(redisInfo.url);
    const client = sdk(stack.baseUrl);
    try {
      const text = await measureDocument(stack, redis, client, settings.textPdfJobs, (i) =>
        textPdfInvoice(`CAP-TEXT-${i}`),
      );
      // What the text-PDF jobs left in Redis, by key family, before anything else runs.
      const census = await keyCensus(redis, stack.prefix);
      const scan = await measureDocument(stack, redis, client, settings.scanJobs, (i) =>
        scannedInvoice(`CAP-SCAN-${i}`),
      );
      const claude = await measureClaude(stack, redis, client, settings.claudeJobs, text.fileIds);
      const answers = await client.classify.list({ page_size: 20 });
      const wrongType = answers.items.filter((job) => job.result?.type !== EXPECTED_TYPE).length;
      console.log(
        '  per job (redis calls include those run inside Lua scripts; memory = used_memory delta):',
      );
      printStages(`text PDF, 1 page, embedded classifier (${settings.textPdfJobs} jobs)`, text.stages);
      printStages(`scanned PDF, 1 page, embedded classifier (${settings.scanJobs} jobs)`, scan.stages);
      console.log(
        `  what the ${settings.textPdfJobs} text-PDF jobs keep in Redis, by key family (bytes per job):`,
      );
      printTable([
        ['  key family', 'keys', 'bytes/job', 'with TTL'],
        ...census
          .filter((f) => f.bytes >= 100 * settings.textPdfJobs || f.keys >= settings.textPdfJobs)
          .map((f) => [
            `  ${f.family}`,
            String(f.keys),
            fmt(f.bytes / settings.textPdfJobs, 0),
            String(f.withTtl),
          ]),
      ]);
      if ('skipped' in claude) console.log(`  Claude classifier: skipped: ${claude.skipped}`);
      else
        printStages(
          `Claude classifier on the parsed text PDFs (${settings.claudeJobs} jobs, ${claude.requests} Messages requests of about ${claude.requestTokensEstimate} tokens each)`,
          claude.stages,
        );
      // Redis alone now: the apps are idle, the figures are the server's.
      const benchmark = await runRedisBenchmark(redisInfo.url, settings.redisBenchmarkRequests);
      if (benchmark) {
        console.log(
          `  redis-benchmark (${benchmark.command.replace(/-h \S+ -p \S+ /, '')}): ${Object.entries(
            benchmark.requestsPerSecond,
          )
            .map(([name, rps]) => `${name} ${fmt(rps, 0)}`)
            .join(', ')} requests/s`,
        );
      } else console.log('  redis-benchmark not found: apt-get install -y redis-tools');
      const allThree = text.stages.at(-1);
      if (allThree)
        console.log(
          `  Redis CPU per text-PDF job ${fmt(allThree.redisCpuMsPerJob, 3)} ms: one Redis core carries about ` +
            `${fmt(1000 / allThree.redisCpuMsPerJob, 0)} such jobs/s at 100% CPU` +
            ` (${wrongType} of the last 20 answers not "${EXPECTED_TYPE}")`,
        );
      return {
        status: 'ok',
        settings: {
          ...settings,
          rules: RULES.length,
          redis: redisInfo.source,
          apiLogLevel: API_LOG_LEVEL,
          workerConcurrency: {
            parse: defaultConcurrency('parse-worker'),
            classify: defaultConcurrency('classify-worker'),
          },
        },
        textPdf: text.stages,
        scan: scan.stages,
        claude:
          'skipped' in claude
            ? claude
            : {
                stages: claude.stages,
                requests: claude.requests,
                requestTokensEstimate: claude.requestTokensEstimate,
              },
        textPdfKeyFamilies: census,
        redisBenchmark: benchmark,
        wrongTypeOfLast20: wrongType,
      };
    } catch (error) {
      throw withApiLog(error, stack);
    } finally {
      redis.disconnect();
      await stack.stop();
    }
  },
};
