import type { ParseExpansion, ParseOutput, ParseResultResponse } from '@classifyd/shared';
import { type StoredParseJob, toParseJob } from '@classifyd/store';

const PAGE_SEPARATOR = '\n\n';

/**
 * `GET /api/v2/parse/{id}`: the job, plus what `expand` asks for once the job is COMPLETED.
 * Failed pages stay visible (`success: false`) in the per-page views and are left out of the
 * full texts.
 */
export function parseResult(
  job: StoredParseJob,
  output: ParseOutput | null,
  expand: ParseExpansion[],
): ParseResultResponse {
  const response: ParseResultResponse = { job: toParseJob(job) };
  if (!output) return response;
  const wanted = new Set(expand);
  const good = output.pages.filter((p) => p.success);
  if (wanted.has('text')) {
    response.text = { pages: output.pages.map((p) => ({ page_number: p.page_number, text: p.text })) };
  }
  if (wanted.has('markdown')) {
    response.markdown = {
      pages: output.pages.map((p) =>
        p.success
          ? { page_number: p.page_number, markdown: p.markdown, success: true as const }
          : {
              page_number: p.page_number,
              success: false as const,
              error: p.error ?? 'The page could not be read',
            },
      ),
    };
  }
  if (wanted.has('text_full')) response.text_full = good.map((p) => p.text).join(PAGE_SEPARATOR);
  if (wanted.has('markdown_full')) response.markdown_full = good.map((p) => p.markdown).join(PAGE_SEPARATOR);
  if (wanted.has('items')) {
    response.items = {
      pages: output.pages.map((p) =>
        p.success
          ? {
              page_number: p.page_number,
              success: true,
              page_width: 0,
              page_height: 0,
              items: [{ type: 'text', md: p.markdown, value: p.text }],
            }
          : { page_number: p.page_number, success: false, error: p.error ?? 'The page could not be read' },
      ),
    };
  }
  if (wanted.has('metadata')) {
    response.metadata = {
      pages: output.pages.map((p) => ({ page_number: p.page_number })),
      document: { format: output.format, page_count: output.page_count },
    };
  }
  if (wanted.has('job_metadata')) {
    response.job_metadata = {
      format: output.format,
      page_count: output.page_count,
      pages_parsed: output.pages.length,
      pages_failed: output.pages.length - good.length,
      copied_from_cache: job.copiedFrom,
    };
  }
  return response;
}
