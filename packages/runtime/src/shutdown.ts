import type { Logger } from 'pino';

export interface ShutdownStep {
  name: string;
  run: () => Promise<unknown>;
}

/**
 * Runs each step once, in order, even when an earlier one fails, under one deadline;
 * safe to call twice (the second call gets the first call's promise).
 */
export function createShutdown(logger: Logger, steps: ShutdownStep[], deadlineMs: number) {
  let running: Promise<void> | undefined;
  return function shutdown(reason: string): Promise<void> {
    running ??= (async () => {
      logger.info({ reason }, 'shutting down');
      const deadline = new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), deadlineMs).unref(),
      );
      const work = (async () => {
        for (const step of steps) {
          try {
            await step.run();
          } catch (error) {
            logger.error({ err: error, step: step.name }, 'shutdown step failed');
          }
        }
      })();
      if ((await Promise.race([work, deadline])) === 'timeout') {
        logger.warn({ deadlineMs }, 'shutdown deadline passed; exiting with work still open');
      }
      logger.info('stopped');
      logger.flush();
    })();
    return running;
  };
}

/**
 * SIGTERM and SIGINT both stop intake and drain. Later signals are absorbed: a process-group
 * signal (`docker stop`, Ctrl-C in a terminal, a supervisor) often arrives twice, and Node's
 * default for an unhandled one would kill the process in the middle of its grace.
 */
export function onTerminationSignals(shutdown: (reason: string) => Promise<void>): void {
  let started = false;
  const stop = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    void shutdown(signal).then(() => {
      process.exitCode = process.exitCode ?? 0;
      // Give pino's async destination a tick to write the last lines.
      setTimeout(() => process.exit(), 50).unref();
    });
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, stop);
}
