import { AppError, selectedPageCount } from '@classifyd/shared';

/** A page selection as requests and saved configurations carry it. */
export interface RequestedPages {
  max_pages?: number | null | undefined;
  target_pages?: string | null | undefined;
}

/**
 * Refuses a selection that asks one parse for more pages than MAX_PAGES_PER_PARSE, at
 * create, so that no request can hand a worker a job it would spend hours on. `loc` is
 * where the selection sits in the request; `field` is appended unless the selection came
 * from a saved configuration (whose id `loc` then names).
 */
export function assertPageLimit(
  pages: RequestedPages | null | undefined,
  limit: number,
  loc: (string | number)[],
  { saved = false }: { saved?: boolean } = {},
): void {
  if (!pages) return;
  const selection = { targetPages: pages.target_pages, maxPages: pages.max_pages };
  const count = selectedPageCount(selection);
  if (count === null || count <= limit) return;
  const field = pages.target_pages ? 'target_pages' : 'max_pages';
  const asked = field === 'target_pages' ? `selects ${count} pages` : `is ${count}`;
  const where = saved ? `the saved configuration's ${field}` : field;
  throw AppError.validation([
    {
      loc: saved ? loc : [...loc, field],
      msg: `${where} ${asked}; one parse reads at most ${limit} pages (MAX_PAGES_PER_PARSE): split the document or choose fewer pages`,
      type: 'less_than_equal',
    },
  ]);
}
