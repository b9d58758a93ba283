/**
 * How hard the suite fuzzes. `pnpm test` runs a fixed seed and a bounded count, so that CI
 * is repeatable and quick, and stops at a property's first failure to shrink it; `pnpm fuzz`
 * (FUZZ_MODE=long) runs 25 times as many cases with a fresh seed unless FUZZ_SEED pins one,
 * keeps going past failures to list every distinct one, and prints the full table.
 *
 * FUZZ_RUNS   cases per property (default 40; 1000 in long mode); some properties take a
 *             multiple of it (see their `weight`)
 * FUZZ_SEED   fast-check seed (default 9 in `pnpm test`; random in long mode, printed)
 * FUZZ_MODE   `long` for `pnpm fuzz`
 */
export interface FuzzSettings {
  long: boolean;
  runs: number;
  seed: number;
}

const TEST_RUNS = 40;
const LONG_RUNS = 1000;
const TEST_SEED = 9;

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`${name} must be a positive integer, not "${value}"`);
  return n;
}

/** Read once, in the global setup, and handed to every file with inject('fuzzSettings'). */
export function readSettings(env: NodeJS.ProcessEnv): FuzzSettings {
  const long = env.FUZZ_MODE === 'long';
  const seed = positiveInt('FUZZ_SEED', env.FUZZ_SEED);
  return {
    long,
    runs: positiveInt('FUZZ_RUNS', env.FUZZ_RUNS) ?? (long ? LONG_RUNS : TEST_RUNS),
    seed: seed ?? (long ? Date.now() % 2_147_483_647 : TEST_SEED),
  };
}
