import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, defaultLogFormat, type LogFormat } from './logger.js';

function captured(format: LogFormat = 'json') {
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      raw.push(String(chunk));
      done();
    },
  });
  return { raw, logger: createLogger({ name: 'test', level: 'info', format, destination }) };
}

describe('logger', () => {
  it('drops document text and secrets, but keeps counts kept under the same names', () => {
    const { raw, logger } = captured();
    logger.info(
      { pages: 3, text: 'Invoice 4711 for ACME', apiKey: 'sk-1', nested: { pages: [{ text: 'x' }] } },
      'parsed',
    );
    const lines = raw.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({
      pages: 3,
      text: '[redacted]',
      apiKey: '[redacted]',
      nested: { pages: '[redacted]' },
      msg: 'parsed',
    });
    expect(JSON.stringify(lines)).not.toMatch(/ACME|sk-1/);
  });

  it('writes readable lines with LOG_FORMAT=pretty, redacted the same way', async () => {
    const { raw, logger } = captured('pretty');
    logger.info({ pages: 2, text: 'Invoice 4711 for ACME', jobId: 'clj-1' }, 'parsed');
    await new Promise((resolve) => setImmediate(resolve));
    const line = raw.join('');
    expect(line).toMatch(/INFO \(test\): parsed/);
    expect(line).toContain('"jobId":"clj-1"');
    expect(line).toContain('"pages":2');
    expect(line).not.toContain('ACME');
    expect(() => JSON.parse(line)).toThrow();
  });

  it('is readable at a terminal in development and JSON everywhere else', () => {
    expect(defaultLogFormat(undefined, true)).toBe('pretty');
    expect(defaultLogFormat('production', true)).toBe('json');
    expect(defaultLogFormat(undefined, false)).toBe('json');
  });
});
