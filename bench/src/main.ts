// classifyd benchmark suite: `pnpm bench` (all), `pnpm --filter @classifyd/bench bench -- api-create`
// (one), `--quick` (short windows). Each benchmark measures its baseline in the same run.
import { loadavg } from 'node:os';
import { apiCreate } from './benchmarks/api-create.js';
import { capacity } from './benchmarks/capacity.js';
import { e2eJobs } from './benchmarks/e2e-jobs.js';
import { exampleModel } from './benchmarks/example-model.js';
import { jobCommands } from './benchmarks/job-commands.js';
import { ocr } from './benchmarks/ocr.js';
import { parsePdf } from './benchmarks/parse-pdf.js';
import { scale } from './benchmarks/scale.js';
import type { Benchmark, BenchOutcome } from './lib/benchmark.js';
import { type BenchRedis, startBenchRedis } from './lib/redis.js';
import { describeMachine, writeResults } from './lib/results.js';

const BENCHMARKS: Benchmark[] = [
  apiCreate,
  e2eJobs,
  jobCommands,
  parsePdf,
  ocr,
  exampleModel,
  scale,
  capacity,
];

function usage(): string {
  const lines = BENCHMARKS.map((b) => `  ${b.name.padEnd(11)} ${b.summary}`);
  return `usage: bench [--quick] [name ...]\n\nbenchmarks (all when none is named):\n${lines.join('\n')}\n`;
}

function parseArgs(argv: string[]): { quick: boolean; selected: Benchmark[] } {
  const args = argv.filter((a) => a !== '--');
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(usage());
    process.exit(0);
  }
  const unknownFlags = args.filter((a) => a.startsWith('-') && a !== '--quick');
  const names = args.filter((a) => !a.startsWith('-'));
  const unknownNames = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknownFlags.length > 0 || unknownNames.length > 0) {
    process.stderr.write(
      `unknown argument(s): ${[...unknownFlags, ...unknownNames].join(' ')}\n\n${usage()}`,
    );
    process.exit(2);
  }
  const selected = names.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => names.includes(b.name));
  return { quick: args.includes('--quick'), selected };
}

async function main(): Promise<void> {
  const { quick, selected } = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  const machine = describeMachine();
  console.log(
    `classifyd bench${quick ? ' (quick)' : ''}: ${selected.map((b) => b.name).join(', ')}\n` +
      `  node ${machine.node}, ${machine.cpus} cpus, load average ${machine.loadAverage.join(' ')}, commit ${machine.commit}${machine.uncommittedChanges ? ' (+ uncommitted changes)' : ''}`,
  );
  let redis: BenchRedis | null = null;
  const context = {
    quick,
    async redis() {
      redis ??= await startBenchRedis();
      return redis;
    },
  };
  const outcomes: Record<string, BenchOutcome | { status: 'failed'; error: string }> = {};
  let failed = false;
  try {
    for (const benchmark of selected) {
      console.log(`\n== ${benchmark.name}: ${benchmark.summary}`);
      const began = performance.now();
      try {
        const loadAverageAtStart = loadavg().map((v) => Math.round(v * 100) / 100);
        const outcome = await benchmark.run(context);
        outcomes[benchmark.name] = { ...outcome, loadAverageAtStart };
        if (outcome.status === 'skipped') console.log(`  skipped: ${outcome.reason}`);
      } catch (error) {
        failed = true;
        const message = error instanceof Error ? error.message : String(error);
        outcomes[benchmark.name] = { status: 'failed', error: message };
        console.error(`  FAILED: ${message}`);
      }
      console.log(`  (${((performance.now() - began) / 1000).toFixed(1)} s)`);
    }
  } finally {
    // `redis` is assigned inside context.redis(); TypeScript cannot see that here.
    await (redis as BenchRedis | null)?.stop();
  }
  const path = writeResults(
    {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      quick,
      machine,
      loadAverageAtEnd: loadavg().map((v) => Math.round(v * 100) / 100),
      redis: (redis as BenchRedis | null)?.source ?? null,
      benchmarks: outcomes,
    },
    startedAt,
  );
  console.log(`\nresults: ${path} (and results/latest.json)`);
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
