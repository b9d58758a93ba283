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

/** SIGTERM and SIGINT both stop intake and drain; a second signal does not start a second drain. */
export function onTerminationSignals(shutdown: (reason: string) => Promise<void>): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void shutdown(signal).then(() => {
        process.exitCode = process.exitCode ?? 0;
        // Give pino's async destination a tick to write the last lines.
        setTimeout(() => process.exit(), 50).unref();
      });
    });
  }
}
