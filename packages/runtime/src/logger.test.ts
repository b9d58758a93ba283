import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function captured() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: createLogger({ name: 'test', level: 'info', destination }) };
}

describe('logger', () => {
  it('drops document text and secrets, but keeps counts kept under the same names', () => {
    const { lines, logger } = captured();
    logger.info(
      { pages: 3, text: 'Invoice 4711 for ACME', apiKey: 'sk-1', nested: { pages: [{ text: 'x' }] } },
      'parsed',
    );
    expect(lines[0]).toMatchObject({
      pages: 3,
      text: '[redacted]',
      apiKey: '[redacted]',
      nested: { pages: '[redacted]' },
      msg: 'parsed',
    });
    expect(JSON.stringify(lines)).not.toMatch(/ACME|sk-1/);
  });
});
