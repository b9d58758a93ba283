import { type Job, UnrecoverableError } from 'bullmq';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { PermanentStageError } from './stage-errors.js';
import {
  endFailedAttempt,
  finalFailureMessage,
  isPermanentFailure,
  retryAfterMsOf,
} from './stage-failure.js';

/** The fields of a BullMQ job the policy reads; attemptsMade as BullMQ has it when the attempt runs. */
const jobWith = (fields: { attemptsMade?: number; deferredFailure?: string; stalledCounter?: number }) =>
  ({ attemptsMade: 0, stalledCounter: 0, opts: { attempts: 3 }, ...fields }) as unknown as Job;
const log = pino({ level: 'silent' });

describe('which failures end a job', () => {
  it.each([
    ['a PermanentStageError', new PermanentStageError('gone'), true],
    ['an error that says permanent: true', Object.assign(new Error('bad key'), { permanent: true }), true],
    ['an error that says permanent: false', Object.assign(new Error('5xx'), { permanent: false }), false],
    ['a plain error', new Error('ECONNRESET'), false],
    ['a thrown string', 'oops', false],
  ])('%s is permanent: %s', (_, error, permanent) => {
    expect(isPermanentFailure(error)).toBe(permanent);
  });

  it('reads how long a service asked to wait, and nothing else', () => {
    expect(retryAfterMsOf(Object.assign(new Error('429'), { retryAfterMs: 1500 }))).toBe(1500);
    expect(retryAfterMsOf(Object.assign(new Error('x'), { retryAfterMs: 'soon' }))).toBeNull();
    expect(retryAfterMsOf(new Error('x'))).toBeNull();
  });
});

describe('the message a user reads', () => {
  it('says a job that took its workers down is not handed on, with what to do', () => {
    const job = jobWith({ deferredFailure: 'job stalled more than allowable limit', stalledCounter: 3 });
    const message = finalFailureMessage(
      'parse',
      job,
      new UnrecoverableError('job stalled more than allowable limit'),
    );
    expect(message).toBe(
      'the parse worker stopped (it crashed, ran out of memory or was killed) while working on this job 3 times, so it is not handed to another worker again; if the document is very large, send fewer pages (max_pages, target_pages) or split it',
    );
    expect(message).not.toMatch(/allowable/);
  });

  it('gives a permanent reason as it is, and a spent retry budget with its count', () => {
    expect(
      finalFailureMessage(
        'classify',
        jobWith({ attemptsMade: 1 }),
        new UnrecoverableError('The key was refused'),
      ),
    ).toBe('The key was refused');
    expect(finalFailureMessage('classify', jobWith({ attemptsMade: 3 }), new Error('timeout'))).toBe(
      'Classification failed: timeout (gave up after 3 attempts)',
    );
    // A parse's reason stands alone: the classify job puts "could not be parsed" before it.
    expect(finalFailureMessage('parse', jobWith({ attemptsMade: 3 }), new Error('timeout'))).toBe(
      'timeout (gave up after 3 attempts)',
    );
  });
});

describe('ending a failed attempt in a processor', () => {
  const attempt = async (error: unknown, attemptsMade: number) => {
    const recorded: string[] = [];
    const thrown = await endFailedAttempt({
      stage: 'classify',
      job: jobWith({ attemptsMade }),
      error,
      log,
      record: async (message) => void recorded.push(message),
    }).catch((e: unknown) => e);
    return { recorded, thrown };
  };

  it('records a permanent failure at once and tells BullMQ not to retry', async () => {
    const { recorded, thrown } = await attempt(
      new PermanentStageError('Parse job pjb-1 no longer exists'),
      0,
    );
    expect(recorded).toEqual(['Parse job pjb-1 no longer exists']);
    expect(thrown).toBeInstanceOf(UnrecoverableError);
  });

  it('records nothing while attempts remain, and rethrows for a retry', async () => {
    const error = new Error('ECONNRESET');
    const { recorded, thrown } = await attempt(error, 1);
    expect(recorded).toEqual([]);
    expect(thrown).toBe(error);
  });

  it('records the last attempt before BullMQ hears of it', async () => {
    const error = new Error('ECONNRESET');
    const { recorded, thrown } = await attempt(error, 2);
    expect(recorded).toEqual(['Classification failed: ECONNRESET (gave up after 3 attempts)']);
    expect(thrown).toBe(error);
  });
});
