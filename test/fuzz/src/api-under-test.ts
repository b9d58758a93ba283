import { type AppProcess, type ServiceStack, startServiceStack } from '@classifyd/testkit';

export const PROJECT_A = 'aaaaaaaa-0000-4000-8000-00000000000a';
export const PROJECT_B = 'bbbbbbbb-0000-4000-8000-00000000000b';
export const KEY_A = 'fuzz-key-a';
export const KEY_B = 'fuzz-key-b';

/** Small, so that uploads past the limit (413) cost little to send. */
export const MAX_UPLOAD_BYTES = 256 * 1024;

export interface Crash {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The end of what the process printed: the uncaught error and its stack. */
  output: string;
}

/**
 * The real API process (built dist/, as `pnpm start` runs it) on a loopback port, a real
 * Redis under a unique prefix, two projects with a key each. No workers (but for a fixture,
 * see withWorkers): jobs stay PENDING.
 * A process that dies is noted and started again, so one crash does not hide the next.
 */
export class ApiUnderTest {
  readonly crashes: Crash[] = [];

  private constructor(private readonly stack: ServiceStack) {}

  static async start(redisUrl: string, label: string): Promise<ApiUnderTest> {
    const stack = await startServiceStack({
      redisUrl,
      label: `fuzz-${label}`,
      workers: [],
      env: {
        API_KEYS: `${KEY_A}:${PROJECT_A}:user-a,${KEY_B}:${PROJECT_B}:user-b`,
        // Errors only: every 5xx is logged with its stack at level error.
        LOG_LEVEL: 'warn',
        // The production default: webhook and URL checks run as they would for a user.
        ALLOW_PRIVATE_URLS: 'false',
        MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
      },
    });
    return new ApiUnderTest(stack);
  }

  get baseUrl(): string {
    return this.stack.baseUrl;
  }

  get host(): string {
    return new URL(this.stack.baseUrl).host;
  }

  private get process(): AppProcess {
    const apis = this.stack.apps.filter((app) => app.name === 'api');
    const current = apis[apis.length - 1];
    if (!current) throw new Error('the API was never started');
    return current;
  }

  /** Whether the process has exited (crashed: nothing here stops it but stop()). */
  exited(): boolean {
    return this.process.child.exitCode !== null || this.process.child.signalCode !== null;
  }

  /** Waits briefly for a process that is going down, so that a reset is told apart from a crash. */
  async exitedSoon(ms = 500): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (this.exited()) return true;
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.exited();
  }

  crashOf(): Crash {
    const { child } = this.process;
    return { exitCode: child.exitCode, signal: child.signalCode, output: this.process.output().slice(-6000) };
  }

  /** Starts the API again if it died, after noting how. */
  async ensureUp(): Promise<void> {
    if (!this.exited()) return;
    this.crashes.push(this.crashOf());
    await this.stack.startApp('api');
  }

  /**
   * Runs `work` with a parse and a classify worker up, then stops them: for a fixture that
   * needs a job to finish (a correction needs a COMPLETED one). Queued jobs run meanwhile.
   */
  async withWorkers<T>(work: () => Promise<T>): Promise<T> {
    // Info level: the stack waits for each worker's "started" line; the offline classifier
    // whatever keys the environment holds.
    const env = { LOG_LEVEL: 'info', CLASSIFIER: 'embedded' };
    const workers: AppProcess[] = [];
    try {
      workers.push(await this.stack.startApp('parse-worker', env));
      workers.push(await this.stack.startApp('classify-worker', env));
      return await work();
    } finally {
      for (const worker of workers) await this.stack.stopApp(worker);
    }
  }

  /**
   * What the API logged for a 5xx answered since `sinceMs`: the error type, message and
   * stack (the error handler logs them; the client sees only "Internal server error"). The
   * line may reach us a moment after the answer, so it is waited for briefly.
   */
  async serverErrorSince(method: string, path: string, sinceMs: number): Promise<string | undefined> {
    const deadline = Date.now() + 1000;
    for (;;) {
      const found = this.findServerError(method, path, sinceMs);
      if (found || Date.now() > deadline) return found;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  private findServerError(method: string, path: string, sinceMs: number): string | undefined {
    let latest: string | undefined;
    for (const line of this.process.output().split('\n').reverse()) {
      if (!line.includes('"request failed"')) continue;
      try {
        const entry = JSON.parse(line) as {
          time?: number | string;
          method?: string;
          path?: string;
          err?: { type?: string; message?: string; stack?: string };
        };
        if (new Date(entry.time ?? 0).getTime() < sinceMs) break;
        const text = entry.err?.stack ?? `${entry.err?.type}: ${entry.err?.message}`;
        if (entry.method === method && entry.path === path.split('?')[0]) return text;
        latest ??= text;
      } catch {
        // A line of another shape (stderr of a dying process); not the one we want.
      }
    }
    return latest;
  }

  async stop(): Promise<void> {
    await this.stack.stop();
  }
}
