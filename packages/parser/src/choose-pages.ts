import { parseTargetPages, selectPages } from '@classifyd/shared';
import { DocumentError } from './document-error.js';

export const DEFAULT_MAX_PAGES = 100;

export interface PageChoice {
  targetPages?: string | null | undefined;
  maxPages?: number | null | undefined;
  defaultMaxPages?: number | undefined;
}

function assertPageLimit(name: string, value: number | null | undefined): void {
  if (value == null) return;
  if (!Number.isInteger(value) || value < 1) {
    // The API validates these; a bad value here is a caller bug, not a problem with the document.
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
}

/**
 * Check the page options before any work is done on the document. target_pages can come
 * from a stored configuration, so a malformed one is reported to the user, not retried.
 */
export function assertValidPageChoice(choice: PageChoice): void {
  assertPageLimit('maxPages', choice.maxPages);
  assertPageLimit('defaultMaxPages', choice.defaultMaxPages);
  if (choice.targetPages != null) {
    const parsed = parseTargetPages(choice.targetPages);
    if (!parsed.ok) {
      throw new DocumentError('no_pages_selected', `target_pages is not valid: ${parsed.error}`);
    }
  }
}

/**
 * The 1-based pages to read from a document of `pageCount` pages: target_pages wins over
 * max_pages, and when neither is given a default cap keeps a 500-page upload from tying
 * up a worker.
 */
export function choosePages(pageCount: number, choice: PageChoice): number[] {
  assertValidPageChoice(choice);
  const hasTarget = choice.targetPages != null;
  const maxPages = hasTarget ? null : (choice.maxPages ?? choice.defaultMaxPages ?? DEFAULT_MAX_PAGES);
  const pages = selectPages(pageCount, { targetPages: choice.targetPages, maxPages });
  if (pages.length === 0) {
    const size = `${pageCount}-page document`;
    throw new DocumentError(
      'no_pages_selected',
      hasTarget
        ? `target_pages "${choice.targetPages}" selects no page of this ${size}`
        : `No page of this ${size} was selected`,
    );
  }
  return pages;
}
