/**
 * A failure that retrying cannot fix (a broken document, a missing input). Its message
 * is shown to the user as the job's error_message, so it must read as advice.
 */
export class PermanentStageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentStageError';
  }
}
