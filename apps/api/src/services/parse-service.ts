import type { JobLifecycle } from '@classifyd/pipeline';
import {
  AppError,
  DEFAULT_LANG,
  type ListPage,
  type ParseCreateRequest,
  type ParseExpansion,
  type ParseJob,
  type ParseListQuery,
  type ParseResultResponse,
  parseCacheKey,
  parseCreateRequestSchema,
  parseOrThrow,
  type TraceContext,
} from '@classifyd/shared';
import {
  type ConfigurationStore,
  type FileStore,
  type JobStore,
  type ParseSpec,
  type StoredParseJob,
  toParseJob,
} from '@classifyd/store';
import type { Principal } from '../auth.js';
import { MAX_JSON_DEPTH, nestsDeeperThan, tooDeepError } from '../json-depth.js';
import type { UploadBody } from '../multipart-upload.js';
import type { FileService } from './file-service.js';
import { assertPageLimit } from './page-limit.js';
import { parseResult } from './parse-result.js';
import { savedParameters } from './saved-configuration.js';

export interface ParseServiceDeps {
  jobs: JobStore;
  files: FileStore;
  fileService: FileService;
  configurations: ConfigurationStore;
  lifecycle: JobLifecycle;
  /** MAX_PAGES_PER_PARSE: a selection asking for more is refused at create. */
  maxPagesPerParse: number;
}

const toMs = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

/** The language OCR reads: the `lang` shorthand, else the first OCR language asked for. */
function languageOf(body: ParseCreateRequest): string {
  if (body.lang) return body.lang;
  const first = body.processing_options?.ocr_parameters?.languages?.[0];
  // A language OCR has no data for reads as English, as for a classify job's lang.
  return first === undefined ? DEFAULT_LANG : first.toLowerCase();
}

export class ParseService {
  constructor(private readonly deps: ParseServiceDeps) {}

  /** `trace`: the request's span, which the parse stage continues (none when tracing is off). */
  async create(principal: Principal, rawBody: unknown, trace?: TraceContext): Promise<ParseJob> {
    const merged = await this.withSavedConfiguration(principal, rawBody);
    return this.start(principal, parseOrThrow(parseCreateRequestSchema, merged, 'body'), trace);
  }

  /** `POST /api/v2/parse/upload`: multipart `file` plus `configuration`, a JSON string. */
  async upload(principal: Principal, body: UploadBody, trace?: TraceContext): Promise<ParseJob> {
    const { record, fields } = await this.deps.fileService.receive(principal, body, 'file', (form) => {
      let configuration: unknown = {};
      try {
        configuration = form.configuration ? JSON.parse(form.configuration) : {};
      } catch {
        throw AppError.validation([
          {
            loc: ['body', 'configuration'],
            msg: 'configuration must be a JSON object',
            type: 'json_invalid',
          },
        ]);
      }
      if (nestsDeeperThan(configuration, MAX_JSON_DEPTH)) throw tooDeepError(['body', 'configuration']);
      if (typeof configuration !== 'object' || configuration === null || Array.isArray(configuration)) {
        throw AppError.validation([
          { loc: ['body', 'configuration'], msg: 'configuration must be a JSON object', type: 'dict_type' },
        ]);
      }
      return { purpose: 'parse' as const, configuration: configuration as Record<string, unknown> };
    });
    try {
      const request = { ...fields.configuration, file_id: record.id, source_url: null };
      return await this.create(principal, request, trace);
    } catch (error) {
      // A refused request leaves no file behind that the client was never told about.
      await this.deps.fileService.delete(principal, record.id);
      throw error;
    }
  }

  /** A saved parse_v2 configuration gives defaults; fields in the request win. */
  private async withSavedConfiguration(principal: Principal, rawBody: unknown): Promise<unknown> {
    if (typeof rawBody !== 'object' || rawBody === null) return rawBody;
    const configurationId = (rawBody as { configuration_id?: unknown }).configuration_id;
    if (typeof configurationId !== 'string') return rawBody;
    const saved = await savedParameters(
      this.deps.configurations,
      principal.projectId,
      configurationId,
      'parse_v2',
    );
    const { product_type: _productType, ...defaults } = saved;
    // The SDK's way to say "the saved configuration's tier and version" is the value 'configured'.
    const given = Object.fromEntries(
      Object.entries(rawBody).filter(
        ([k, v]) =>
          v !== undefined && v !== null && !((k === 'tier' || k === 'version') && v === 'configured'),
      ),
    );
    return { ...defaults, ...given };
  }

  private async start(
    principal: Principal,
    body: ParseCreateRequest,
    trace?: TraceContext,
  ): Promise<ParseJob> {
    assertPageLimit(body.page_ranges, this.deps.maxPagesPerParse, ['body', 'page_ranges']);
    const selection = {
      target_pages: body.page_ranges?.target_pages ?? null,
      max_pages: body.page_ranges?.max_pages ?? null,
      lang: languageOf(body),
    };
    let spec: ParseSpec;
    let cacheKey: string | null = null;
    if (body.file_id) {
      const file = await this.deps.files.get(principal.projectId, body.file_id);
      if (!file) throw AppError.notFound(`File ${body.file_id}`);
      spec = {
        source: { type: 'file', file_id: file.record.id, sha256: file.sha256 },
        name: file.record.name,
        ...selection,
        user_metadata: body.user_metadata ?? null,
      };
      if (!body.disable_cache) {
        cacheKey = parseCacheKey(file.sha256, {
          targetPages: selection.target_pages,
          maxPages: selection.max_pages,
          lang: selection.lang,
        });
      }
    } else {
      const url = body.source_url as string;
      spec = {
        source: { type: 'url', url },
        name: url,
        ...selection,
        user_metadata: body.user_metadata ?? null,
      };
    }
    if (trace) spec.trace = trace;
    return toParseJob(
      await this.deps.lifecycle.submitParse(principal.projectId, principal.userId, spec, cacheKey),
    );
  }

  private async find(principal: Principal, id: string): Promise<StoredParseJob> {
    const job = await this.deps.jobs.getParseJob(principal.projectId, id);
    if (!job) throw AppError.notFound(`Parse job ${id}`);
    return job;
  }

  async get(principal: Principal, id: string, expand: ParseExpansion[]): Promise<ParseResultResponse> {
    const job = await this.find(principal, id);
    const output =
      job.status === 'COMPLETED' && expand.length > 0 ? await this.deps.jobs.getParseOutput(id) : null;
    return parseResult(job, output, expand);
  }

  async list(principal: Principal, query: ParseListQuery): Promise<ListPage<ParseJob>> {
    const { jobs, page } = await this.deps.jobs.listParseJobs(principal.projectId, {
      pageSize: query.page_size,
      pageToken: query.page_token,
      status: query.status,
      jobIds: query.job_ids,
      createdOnOrAfterMs: toMs(query.created_at_on_or_after),
      createdOnOrBeforeMs: toMs(query.created_at_on_or_before),
    });
    return { items: jobs.map(toParseJob), next_page_token: page.nextPageToken, total_size: page.totalSize };
  }

  /** Classify jobs waiting on the parse are handed on, so they fail at once with a clear message. */
  async cancel(principal: Principal, id: string): Promise<ParseJob> {
    const result = await this.deps.lifecycle.cancelParse(
      await this.find(principal, id),
      'Cancelled by request',
    );
    if (!result.ok) {
      throw new AppError('conflict', `Parse job ${id} is ${result.current} and can no longer be cancelled`);
    }
    return toParseJob(await this.find(principal, id));
  }

  async delete(principal: Principal, id: string): Promise<{ id: string; project_id: string }> {
    const outcome = await this.deps.jobs.delete(principal.projectId, 'parse', id);
    if (outcome.deleted) return { id, project_id: principal.projectId };
    if (outcome.reason === 'not_found') throw AppError.notFound(`Parse job ${id}`);
    throw new AppError('conflict', `Parse job ${id} is ${outcome.status}; cancel it before deleting it`);
  }
}
