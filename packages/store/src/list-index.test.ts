import { describe, expect, it } from 'vitest';
import { indexMember } from './keys.js';
import { lexBounds, pageFromMembers } from './list-index.js';

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
