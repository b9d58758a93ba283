import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createShutdown } from './shutdown.js';

const silent = pino({ level: 'silent' });

describe('createShutdown', () => {
  it('runs every step once, in order, even after one fails; a second call shares the first', async () => {
    const ran: string[] = [];
    const shutdown = createShutdown(
      silent,
      [
        { name: 'a', run: async () => void ran.push('a') },
        {
          name: 'b',
          run: async () => {
            ran.push('b');
            throw new Error('boom');
          },
        },
        { name: 'c', run: async () => void ran.push('c') },
      ],
      1000,
    );
    const first = shutdown('SIGTERM');
    const second = shutdown('SIGINT');
    expect(second).toBe(first);
    await first;
    expect(ran).toEqual(['a', 'b', 'c']);
  });

  it('gives up waiting at the deadline', async () => {
    const shutdown = createShutdown(silent, [{ name: 'stuck', run: () => new Promise(() => {}) }], 50);
    const started = Date.now();
    await shutdown('SIGTERM');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
