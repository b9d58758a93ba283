import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, redactKey, retryAfterFromHeaders } from './map-api-error.js';

describe('retryAfterFromHeaders', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');

  it.each([
    ['retry-after-ms wins over retry-after', { 'retry-after-ms': '1500', 'retry-after': '30' }, 1500],
    ['retry-after in seconds', { 'retry-after': '7' }, 7000],
    ['fractional seconds round up', { 'retry-after': '0.25' }, 250],
    ['an HTTP date', { 'retry-after': 'Sat, 28 Nov 2026 12:00:42 GMT' }, 42_000],
    ['a date in the past is now', { 'retry-after': 'Sat, 28 Nov 2026 11:00:00 GMT' }, 0],
    ['an absurd wait is capped', { 'retry-after': '86400' }, MAX_RETRY_AFTER_MS],
    ['garbage is ignored', { 'retry-after': 'soon' }, undefined],
    ['no header', {}, undefined],
  ])('%s', (_, headers, expected) => {
    expect(retryAfterFromHeaders(new Headers(headers), now)).toBe(expected);
  });
});

describe('redactKey', () => {
  it('replaces every occurrence of the key', () => {
    expect(redactKey('key sk-ant-123 rejected; sk-ant-123 again', 'sk-ant-123')).toBe(
      'key [redacted] rejected; [redacted] again',
    );
  });
});
