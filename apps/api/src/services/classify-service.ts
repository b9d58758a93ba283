import type { JobLifecycle } from '@classifyd/pipeline';
import {
  AppError,
  type ClassifyConfiguration,
  type ClassifyJob,
  type ClassifyListQuery,
  classifyCreateRequestSchema,
  DEFAULT_LANG,
  type DocumentInputType,
  documentInputType,
  type ListPage,
  parseCacheKey,
  parseOrThrow,
  type TraceContext,
  type WebhookConfiguration,
} from '@classifyd/shared';
import {
  type ConfigurationStore,
  type FileStore,
  type JobStore,
  type ParsePlan,
  toClassifyJob,
} from '@classifyd/store';
import type { Principal } from '../auth.js';
import { assertPageLimit } from './page-limit.js';
import { savedParameters } from './saved-configuration.js';
import { assertDeliverableWebhooks } from './webhook-targets.js';

export interface ClassifyServiceDeps {
  jobs: JobStore;
  files: FileStore;
  configurations: ConfigurationStore;
  lifecycle: JobLifecycle;
  /** ALLOW_PRIVATE_URLS: webhooks may go to loopback and private addresses. */
  allowPrivateUrls: boolean;
  /** MAX_PAGES_PER_PARSE: a selection asking for more is refused at create. */
  maxPagesPerParse: number;
  /** The saved webhook configurations `webhook_configuration_ids` names. */
  savedWebhooks: { resolve(projectId: string, ids: string[]): Promise<WebhookConfiguration[]> };
}

const toMs = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

export class ClassifyService {
  constructor(private readonly deps: ClassifyServiceDeps) {}

  /** `trace`: the request's span, which the job's stages continue (none when tracing is off). */
  async create(principal: Principal, rawBody: unknown, trace?: TraceContext): Promise<ClassifyJob> {
    const body = parseOrThrow(classifyCreateRequestSchema, rawBody, 'body');
    if (body.transaction_id) {
      // A retry gets its original job even when the file or configuration has gone since;
      // concurrent first creates are settled in the store's create script.
      const original = await this.deps.jobs.findByTransaction(principal.projectId, body.transaction_id);
      if (original) return toClassifyJob(original);
    }
    await assertDeliverableWebhooks(body.webhook_configurations ?? [], this.deps.allowPrivateUrls);
    // Saved ones were checked when saved; the job keeps a copy of each, after the inline ones.
    const saved = body.webhook_configuration_ids?.length
      ? await this.deps.savedWebhooks.resolve(principal.projectId, body.webhook_configuration_ids)
      : [];
    const configuration = await this.resolveConfiguration(
      principal,
      body.configuration,
      body.configuration_id,
    );
    assertPageLimit(
      configuration.parsing_configuration,
      this.deps.maxPagesPerParse,
      body.configuration ? ['body', 'configuration', 'parsing_configuration'] : ['body', 'configuration_id'],
      { saved: !body.configuration },
    );
    const fileInput = (body.file_input ?? body.file_id ?? body.parse_job_id) as string;
    const inputType = documentInputType(fileInput) as DocumentInputType;
    const parse = await this.planParse(principal, inputType, fileInput, configuration);
    if (trace && parse.mode === 'new') parse.spec.trace = trace;
    const outcome = await this.deps.lifecycle.submit({
      projectId: principal.projectId,
      userId: principal.userId,
      spec: {
        configuration,
        configuration_id: body.configuration_id ?? null,
        document_input_type: inputType,
        file_input: fileInput,
        transaction_id: body.transaction_id ?? null,
        webhooks: [...(body.webhook_configurations ?? []), ...saved],
        ...(trace && { trace }),
      },
      parse,
    });
    return toClassifyJob(outcome.job);
  }

  private async resolveConfiguration(
    principal: Principal,
    inline: ClassifyConfiguration | null | undefined,
    configurationId: string | null | undefined,
  ): Promise<ClassifyConfiguration> {
    if (inline) return inline;
    const saved = await savedParameters(
      this.deps.configurations,
      principal.projectId,
      configurationId as string,
      'classify_v2',
    );
    const { rules, mode, parsing_configuration } = saved;
    return { rules, mode, parsing_configuration: parsing_configuration ?? null };
  }

  private async planParse(
    principal: Principal,
    inputType: DocumentInputType,
    fileInput: string,
    configuration: ClassifyConfiguration,
  ): Promise<ParsePlan> {
    const pc = configuration.parsing_configuration;
    const selection = {
      target_pages: pc?.target_pages ?? null,
      max_pages: pc?.max_pages ?? null,
      lang: pc?.lang ?? DEFAULT_LANG,
    };
    if (inputType === 'parse_job_id') {
      const parseJob = await this.deps.jobs.getParseJob(principal.projectId, fileInput);
      if (!parseJob) throw AppError.notFound(`Parse job ${fileInput}`);
      return { mode: 'existing', parseJobId: parseJob.id };
    }
    if (inputType === 'url') {
      return {
        mode: 'new',
        cacheKey: null,
        spec: { source: { type: 'url', url: fileInput }, name: fileInput, ...selection },
      };
    }
    // From memory when this process stored or read it; the create script checks it still exists.
    const file = await this.deps.files.getRemembered(principal.projectId, fileInput);
    if (!file) throw AppError.notFound(`File ${fileInput}`);
    const cacheKey = parseCacheKey(file.sha256, {
      targetPages: selection.target_pages,
      maxPages: selection.max_pages,
      lang: selection.lang,
    });
    return {
      mode: 'new',
      cacheKey,
      spec: {
        source: { type: 'file', file_id: file.record.id, sha256: file.sha256 },
        name: file.record.name,
        ...selection,
      },
    };
  }

  async get(principal: Principal, id: string): Promise<ClassifyJob> {
    const job = await this.deps.jobs.getClassifyJob(principal.projectId, id);
    if (!job) throw AppError.notFound(`Classify job ${id}`);
    return toClassifyJob(job);
  }

  async list(principal: Principal, query: ClassifyListQuery): Promise<ListPage<ClassifyJob>> {
    const { jobs, page } = await this.deps.jobs.listClassifyJobs(principal.projectId, {
      pageSize: query.page_size,
      pageToken: query.page_token,
      status: query.status,
      configurationId: query.configuration_id,
      jobIds: query.job_ids,
      createdOnOrAfterMs: toMs(query.created_at_on_or_after),
      createdOnOrBeforeMs: toMs(query.created_at_on_or_before),
    });
    return {
      items: jobs.map(toClassifyJob),
      next_page_token: page.nextPageToken,
      total_size: page.totalSize,
    };
  }

  async cancel(principal: Principal, id: string): Promise<ClassifyJob> {
    const job = await this.deps.jobs.getClassifyJob(principal.projectId, id);
    if (!job) throw AppError.notFound(`Classify job ${id}`);
    const result = await this.deps.lifecycle.cancel(job);
    if (!result.ok && result.current !== 'CANCELLED') {
      throw new AppError(
        'conflict',
        `Classify job ${id} is ${result.current} and can no longer be cancelled`,
      );
    }
    if (!result.ok) throw new AppError('conflict', `Classify job ${id} is already CANCELLED`);
    return this.get(principal, id);
  }

  async delete(principal: Principal, id: string): Promise<{ id: string; project_id: string }> {
    const outcome = await this.deps.jobs.delete(principal.projectId, 'classify', id);
    if (outcome.deleted) return { id, project_id: principal.projectId };
    if (outcome.reason === 'not_found') throw AppError.notFound(`Classify job ${id}`);
    throw new AppError('conflict', `Classify job ${id} is ${outcome.status}; cancel it before deleting it`);
  }
}
