import { describe, expect, it } from 'vitest';
import { allowedFrom, canTransition, isTerminal, JOB_STATUSES, type JobStatus } from './job-status.js';

// The whole table, spelled out: every pair not listed here must be refused.
const ALLOWED: [JobStatus, JobStatus][] = [
  ['PENDING', 'RUNNING'],
  ['PENDING', 'CANCELLED'],
  ['RUNNING', 'COMPLETED'],
  ['RUNNING', 'FAILED'],
  ['RUNNING', 'CANCELLED'],
];

describe('job status state machine', () => {
  const pairs = JOB_STATUSES.flatMap((from) =>
    JOB_STATUSES.map((to) => [from, to] as [JobStatus, JobStatus]),
  );

  it.each(pairs)('%s -> %s is allowed only if the table lists it', (from, to) => {
    const listed = ALLOWED.some(([f, t]) => f === from && t === to);
    expect(canTransition(from, to)).toBe(listed);
  });

  it.each(['COMPLETED', 'FAILED', 'CANCELLED'] as JobStatus[])(
    '%s is terminal and leads nowhere',
    (status) => {
      expect(isTerminal(status)).toBe(true);
      expect(JOB_STATUSES.filter((to) => canTransition(status, to))).toEqual([]);
    },
  );

  it.each(['PENDING', 'RUNNING'] as JobStatus[])('%s is not terminal and can be cancelled', (status) => {
    expect(isTerminal(status)).toBe(false);
    expect(canTransition(status, 'CANCELLED')).toBe(true);
  });

  it('a retry does not leave RUNNING, and FAILED is only reached from RUNNING', () => {
    expect(canTransition('RUNNING', 'RUNNING')).toBe(false);
    expect(canTransition('RUNNING', 'PENDING')).toBe(false);
    expect(allowedFrom('FAILED')).toEqual(['RUNNING']);
  });

  it('allowedFrom is what a compare-and-set must find in place', () => {
    expect(allowedFrom('RUNNING')).toEqual(['PENDING']);
    expect(allowedFrom('CANCELLED')).toEqual(['PENDING', 'RUNNING']);
    expect(allowedFrom('COMPLETED')).toEqual(['RUNNING']);
    expect(allowedFrom('PENDING')).toEqual([]);
  });
});
