import fc from 'fast-check';
import { ApiUnderTest } from './api-under-test.js';
import { type Fixtures, seedFixtures } from './fixtures.js';
import { type FuzzRequest, type FuzzResponse, send } from './http-client.js';
import { describeExchange, FuzzFailure, judge } from './response-checks.js';
import { type RouteSpec, routeLabel } from './routes.js';
import type { FuzzSettings } from './settings.js';
import { StatusTally } from './tally.js';

export interface PropertyOptions<T = unknown> {
  /** Cases relative to FUZZ_RUNS, for properties whose cases are dear (big bodies) or cheap. */
  weight?: number;
  /**
   * Cases run first in every run, before the random ones: the minimal reproducers of
   * defects the fuzzer found, so that a fixed one cannot come back unnoticed.
   */
  examples?: (fixtures: Fixtures) => T[];
}

/** A per-property seed from the run's seed, so that properties do not all draw the same values. */
function seedFor(seed: number, name: string): number {
  let h = seed | 0;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 16_777_619);
  return Math.abs(h) % 2_147_483_647;
}

/** node:http's default max header size, request line included. */
const NODE_HEAD_LIMIT = 16 * 1024 - 256;
const NODE_CLOSED = /^(ECONNRESET|EPIPE)$/;

function headBytes(req: FuzzRequest): number {
  const headers = Object.entries(req.headers ?? {}).map(([k, v]) => `${k}: ${v}`);
  return Buffer.byteLength(`${req.method} ${req.path} HTTP/1.1\r\n${headers.join('\r\n')}`);
}

function runsOf(settings: FuzzSettings, options: PropertyOptions): number {
  return Math.max(1, Math.round(settings.runs * (options.weight ?? 1)));
}

/** What a test file fuzzes with: the API, its fixtures, the tally, and the property runner. */
export class FuzzSession {
  readonly tally = new StatusTally();
  fixtures!: Fixtures;

  private constructor(
    readonly api: ApiUnderTest,
    readonly settings: FuzzSettings,
    private readonly label: string,
  ) {}

  static async open(redisUrl: string, settings: FuzzSettings, label: string): Promise<FuzzSession> {
    const session = new FuzzSession(await ApiUnderTest.start(redisUrl, label), settings, label);
    session.fixtures = await seedFixtures(session.api);
    return session;
  }

  /** The vitest timeout of one property: room for its cases, a few restarts, and shrinking. */
  static timeoutMs(settings: FuzzSettings, options: PropertyOptions = {}): number {
    return 60_000 + runsOf(settings, options) * 400;
  }

  /**
   * Sends one fuzzed request, counts it under its route, and fails with a reproducer when
   * the answer breaks the contract (see judge) or the process died under it.
   */
  async exchange(route: RouteSpec | string, req: FuzzRequest): Promise<FuzzResponse> {
    const sentAt = Date.now() - 1;
    const res = await send(this.api.baseUrl, req);
    const label = typeof route === 'string' ? route : routeLabel(route);
    this.tally.count(label, res.status);
    const died = res.status === 0 ? await this.api.exitedSoon() : this.api.exited();
    if (died) {
      const crash = this.api.crashOf();
      const cause = crash.output.split('\n').find((line) => /Error|Unhandled/.test(line)) ?? 'no message';
      throw new FuzzFailure(
        `the API process exited (code ${crash.exitCode}, signal ${crash.signal}) on\n${describeExchange(req, res)}\n\nits last output:\n${crash.output}`,
        `${label}: the API process exited: ${cause.slice(0, 200)}`,
      );
    }
    // Node's HTTP parser answers a head past its 16 KB limit itself (431, no body, or a reset
    // when the client is still writing) before the app sees it; only "no 5xx" holds there.
    const verdict =
      headBytes(req) > NODE_HEAD_LIMIT && (res.status === 431 || NODE_CLOSED.test(res.transportError ?? '-'))
        ? { ok: true }
        : judge(req.method, typeof route === 'string' ? 'json' : route.answer, res);
    if (!verdict.ok) {
      const log =
        res.status >= 500 ? await this.api.serverErrorSince(req.method, req.path, sentAt) : undefined;
      throw new FuzzFailure(
        `${verdict.problem} on ${label}\n${describeExchange(req, res)}${log ? `\n\nAPI log:\n${log}` : ''}`,
        `${label}: ${verdict.problem}${log ? `: ${log.split('\n')[0]}` : ''}`,
      );
    }
    return res;
  }

  /**
   * Runs a property with the run's seed and case count. Each case starts with a live API
   * (a crashed one is started again); fixtures are seeded fresh first, since cases delete
   * them; the API must still answer /health at the end.
   *
   * `pnpm test` stops at the first failure and shrinks it to a minimal reproducer. The long
   * run keeps going instead, so that one defect does not hide the next: it lists every
   * distinct failure (by route, problem and the API's error) with its first reproducer.
   */
  async property<T>(
    name: string,
    arbitrary: (fixtures: Fixtures) => fc.Arbitrary<T>,
    predicate: (value: T, fixtures: Fixtures) => Promise<void>,
    options: PropertyOptions<T> = {},
  ): Promise<void> {
    await this.api.ensureUp();
    this.fixtures = await seedFixtures(this.api);
    const fixtures = this.fixtures;
    const found = new Map<string, { count: number; first: string }>();
    const runCase = async (value: T) => {
      await this.api.ensureUp();
      try {
        await predicate(value, fixtures);
      } catch (error) {
        if (!this.settings.long || !(error instanceof FuzzFailure)) throw error;
        const seen = found.get(error.signature);
        if (seen) seen.count += 1;
        else found.set(error.signature, { count: 1, first: error.message });
      }
    };
    // Already minimal, so run as they are rather than as fast-check examples, which it
    // would try to shrink without context (slow on values this deep).
    for (const example of options.examples?.(fixtures) ?? []) {
      try {
        await runCase(example);
      } catch (error) {
        if (error instanceof Error) error.message = `regression case of "${name}": ${error.message}`;
        throw error;
      }
    }
    const details = await fc.check(fc.asyncProperty(arbitrary(fixtures), runCase), {
      seed: seedFor(this.settings.seed, name),
      numRuns: runsOf(this.settings, options),
      // Shrinking a crash restarts the API each step; stop in time to report what was found.
      plugins: [fc.interruptAfterTimeLimit(FuzzSession.timeoutMs(this.settings, options) - 15_000)],
      // The reproducer (request, answer, the API's log) is in the error; show it in full.
      includeErrorInReport: true,
    });
    if (details.failed) throw new Error(await fc.asyncDefaultReportMessage(details));
    if (details.interrupted) {
      console.warn(`fuzz: ${name} stopped at its time limit after ${details.numRuns} cases`);
    }
    if (found.size > 0) {
      const list = [...found.entries()].map(
        ([signature, { count, first }], i) => `${i + 1}. ${signature} (${count} cases); the first:\n${first}`,
      );
      throw new Error(`${found.size} distinct failures in "${name}":\n\n${list.join('\n\n')}`);
    }
    await this.assertAlive(name);
  }

  /** The process is up and answers /health. */
  async assertAlive(after: string): Promise<void> {
    if (this.api.exited()) {
      const crash = this.api.crashOf();
      await this.api.ensureUp();
      throw new Error(`the API process exited during "${after}":\n${crash.output}`);
    }
    const res = await send(this.api.baseUrl, { method: 'GET', path: '/health' });
    if (res.status !== 200) throw new Error(`/health answered ${res.status} after "${after}"`);
  }

  async close(reportDir: string): Promise<void> {
    this.tally.save(reportDir, this.label);
    await this.api.stop();
  }
}
