import { AppError } from '@classifyd/shared';
import { describe, expect, it } from 'vitest';
import { indexMember } from './keys.js';
import { decodeCursor, encodeCursor, lexBounds, pageFromMembers } from './list-index.js';

const CREATED = Date.parse('2026-03-01T12:00:00Z');
const member = indexMember(CREATED, 7, 'clj-x');
const at = (iso: string) => Date.parse(iso);

/** Whether the one job created on 2026-03-01 is in the window, as a list would answer. */
const listed = (bounds: Parameters<typeof lexBounds>[0]) =>
  pageFromMembers([member], 'q', { pageSize: 10, ...bounds }).ids.length === 1;

describe('creation-time windows', () => {
  it.each([
    [{ createdOnOrAfterMs: at('2026-03-01T12:00:00Z') }, true],
    [{ createdOnOrAfterMs: at('2026-03-01T12:00:00.001Z') }, false],
    [{ createdOnOrBeforeMs: at('2026-03-01T12:00:00Z') }, true],
    [{ createdOnOrBeforeMs: at('2026-03-01T11:59:59.999Z') }, false],
    // Dates a member's key cannot hold, on either side: before 1970 and after 2286.
    [{ createdOnOrBeforeMs: at('1969-12-31T00:00:00Z') }, false],
    [{ createdOnOrAfterMs: at('1960-01-01T00:00:00Z') }, true],
    [{ createdOnOrBeforeMs: at('9999-12-31T00:00:00Z') }, true],
    [{ createdOnOrAfterMs: at('9999-12-31T00:00:00Z') }, false],
    [
      { createdOnOrAfterMs: at('1960-01-01T00:00:00Z'), createdOnOrBeforeMs: at('9999-12-31T00:00:00Z') },
      true,
    ],
  ])('%j lists the job: %s', (bounds, expected) => {
    expect(listed(bounds)).toBe(expected);
  });

  it('gives bounds of the members own length whatever the date', () => {
    for (const ms of [at('1900-01-01T00:00:00Z'), at('9999-01-01T00:00:00Z')]) {
      const { min, max } = lexBounds({ createdOnOrBeforeMs: ms, createdOnOrAfterMs: ms });
      expect(min.slice(1)).toHaveLength(13);
      expect(max.slice(1, -1)).toHaveLength(13);
    }
  });
});

describe('page tokens from the client', () => {
  const b64 = (text: string) => Buffer.from(text).toString('base64url');

  it('gives back the member of a token it issued for the same query', () => {
    expect(decodeCursor('q', encodeCursor('q', member))).toBe(member);
  });

  it.each([
    ['base64 of null (the probe)', 'bnVsbA'],
    ['base64 of a number', b64('42')],
    ['base64 of a string', b64('"m"')],
    ['base64 of an array', b64('[1,2]')],
    ['base64 of an empty object', b64('{}')],
    ['a member that is not a string', b64('{"q":"q","m":{"x":1}}')],
    ['an empty member', b64('{"q":"q","m":""}')],
    ['a query that is not a string', b64('{"q":1,"m":"x"}')],
    ['random bytes', Buffer.from([0xff, 0xfe, 0x00, 0x80]).toString('base64url')],
    ['characters base64url does not have', 'abc$%^&*'],
    ['standard base64 padding', `${b64('{"q":"q"}')}==`],
    ['an empty token', ''],
    ['a very long token', 'A'.repeat(5000)],
  ])('refuses %s with a 400 naming page_token', (_, token) => {
    let thrown: unknown;
    try {
      decodeCursor('q', token);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe('bad_request');
    expect((thrown as AppError).message).toMatch(/page_token/);
  });

  it('refuses a token of another list, saying to start again', () => {
    expect(() => decodeCursor('other', encodeCursor('q', member))).toThrow(/different query/);
  });
});
