/** Exit codes a script can rely on; documented in --help and the README. */
export const EXIT = {
  /** Every document ended COMPLETED. */
  ok: 0,
  /** At least one document did not complete (FAILED, CANCELLED, TIMEOUT, ERROR). */
  someFailed: 1,
  /** Bad flags, bad rules or no input files: nothing was sent. */
  usage: 2,
  /** The service could not be reached, or refused the API key. */
  service: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A mistake in the command line or its inputs; the message says what to change. */
export class UsageError extends Error {
  override name = 'UsageError';
}
