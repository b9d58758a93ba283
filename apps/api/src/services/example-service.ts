import { enqueueExample, type JobLifecycle, type Queues, settleExample } from '@classifyd/pipeline';
import {
  AppError,
  type ClassifyV2Parameters,
  DEFAULT_LANG,
  type Example,
  type ExampleListQuery,
  exampleCreateRequestSchema,
  isId,
  type ListPage,
  parseCacheKey,
  parseOrThrow,
  type ValidationIssue,
} from '@classifyd/shared';
import {
  type ConfigurationStore,
  type ExampleStore,
  type FileStore,
  type JobStore,
  type StoredExample,
  type StoredFile,
  toExample,
} from '@classifyd/store';
import type { Principal } from '../auth.js';

export interface ExampleServiceDeps {
  jobs: JobStore;
  files: FileStore;
  configurations: ConfigurationStore;
  examples: ExampleStore;
  queues: Queues;
  lifecycle: JobLifecycle;
  /** MAX_EXAMPLES_PER_CONFIGURATION. */
  maxExamplesPerConfiguration: number;
}

/** Where an example's text comes from: a parse job, and what the user named. */
export interface ExampleSource {
  parseJobId: string;
  fileInput: string;
  name: string;
}

const invalid = (issue: ValidationIssue) => AppError.validation([issue]);

export class ExampleService {
  constructor(private readonly deps: ExampleServiceDeps) {}

  /** A classify_v2 configuration of the project; another project's is not found, another product's is a 422. */
  async classifyConfiguration(projectId: string, configurationId: string): Promise<ClassifyV2Parameters> {
    const saved = await this.deps.configurations.get(projectId, configurationId);
    if (!saved) throw AppError.notFound(`Configuration ${configurationId}`);
    if (saved.parameters.product_type !== 'classify_v2') {
      throw invalid({
        loc: ['path', 'configuration_id'],
        msg: `configuration ${configurationId} is a ${saved.parameters.product_type} configuration; examples belong to classify_v2 configurations`,
        type: 'value_error',
      });
    }
    return saved.parameters;
  }

  /** A type must be one of the configuration's rule types as they are now; null is always one. */
  assertRuleType(configuration: ClassifyV2Parameters, type: string | null): void {
    if (type === null || configuration.rules.some((rule) => rule.type === type)) return;
    const types = configuration.rules.map((rule) => `"${rule.type}"`).join(', ');
    throw invalid({
      loc: ['body', 'type'],
      msg: `type "${type}" is not one of the configuration's rule types (${types}); give null for a document that fits none of them`,
      type: 'value_error',
    });
  }

  async create(principal: Principal, configurationId: string, rawBody: unknown): Promise<Example> {
    // The configuration in the path first: another project's is a 404 whatever the body says.
    const configuration = await this.classifyConfiguration(principal.projectId, configurationId);
    const body = parseOrThrow(exampleCreateRequestSchema, rawBody, 'body');
    this.assertRuleType(configuration, body.type);
    const source = await this.sourceOf(principal, body.file_input, configuration);
    return toExample(await this.add(principal.projectId, configurationId, body.type, source));
  }

  private async sourceOf(
    principal: Principal,
    fileInput: string,
    configuration: ClassifyV2Parameters,
  ): Promise<ExampleSource> {
    const notHere = (what: string) =>
      invalid({
        loc: ['body', 'file_input'],
        msg: `file_input ${fileInput} is not ${what} of this project`,
        type: 'value_error',
      });
    if (isId('parseJob', fileInput)) {
      const parse = await this.deps.jobs.getParseJob(principal.projectId, fileInput);
      if (!parse) throw notHere('a parse job');
      return { parseJobId: parse.id, fileInput, name: parse.spec.name ?? parse.id };
    }
    if (isId('file', fileInput)) {
      const file = await this.deps.files.get(principal.projectId, fileInput);
      if (!file) throw notHere('a file');
      return this.sourceFromFile(principal, file, configuration);
    }
    throw invalid({
      loc: ['body', 'file_input'],
      msg: 'file_input must be a file id (dfl-...) or a parse job id (pjb-...)',
      type: 'value_error',
    });
  }

  /**
   * The file read as the configuration's classify jobs read it (its page selection and
   * language), so that a finished parse of the same bytes is used as it is, and a new one
   * shares the parse cache with them.
   */
  async sourceFromFile(
    principal: Principal,
    file: StoredFile,
    configuration: ClassifyV2Parameters,
  ): Promise<ExampleSource> {
    const pc = configuration.parsing_configuration;
    const selection = {
      target_pages: pc?.target_pages ?? null,
      max_pages: pc?.max_pages ?? null,
      lang: pc?.lang ?? DEFAULT_LANG,
    };
    const cacheKey = parseCacheKey(file.sha256, {
      targetPages: selection.target_pages,
      maxPages: selection.max_pages,
      lang: selection.lang,
    });
    const source = { fileInput: file.record.id, name: file.record.name };
    const cached = await this.deps.jobs.findCachedParse(principal.projectId, cacheKey);
    if (cached?.status === 'COMPLETED' && (await this.deps.jobs.hasParseOutput(cached.id))) {
      return { ...source, parseJobId: cached.id };
    }
    // A parse of its own, owned like one the parse API made (so cancelling a classify job
    // never cancels it); the parse worker still copies or waits for an identical one.
    const parse = await this.deps.lifecycle.submitParse(
      principal.projectId,
      principal.userId,
      {
        source: { type: 'file', file_id: file.record.id, sha256: file.sha256 },
        name: file.record.name,
        ...selection,
      },
      cacheKey,
    );
    return { ...source, parseJobId: parse.id };
  }

  /**
   * Adds the example; when its parse has already ended it settles here (READY at once for
   * a finished parse), else the example stage settles it once the parse ends.
   */
  async add(
    projectId: string,
    configurationId: string,
    type: string | null,
    source: ExampleSource,
  ): Promise<StoredExample> {
    const example = await this.deps.examples.create({
      projectId,
      configurationId,
      type,
      ...source,
      limit: this.deps.maxExamplesPerConfiguration,
    });
    const status = await settleExample(this.deps, example);
    if (status === 'PENDING') await enqueueExample(this.deps.queues, example.id, projectId);
    return (await this.deps.examples.get(projectId, configurationId, example.id)) ?? example;
  }

  async get(principal: Principal, configurationId: string, id: string): Promise<Example> {
    return toExample(await this.find(principal, configurationId, id));
  }

  private async find(principal: Principal, configurationId: string, id: string): Promise<StoredExample> {
    await this.classifyConfiguration(principal.projectId, configurationId);
    const example = await this.deps.examples.get(principal.projectId, configurationId, id);
    if (!example) throw AppError.notFound(`Example ${id}`);
    return example;
  }

  async list(
    principal: Principal,
    configurationId: string,
    query: ExampleListQuery,
  ): Promise<ListPage<Example>> {
    await this.classifyConfiguration(principal.projectId, configurationId);
    const { examples, page } = await this.deps.examples.list(principal.projectId, configurationId, {
      pageSize: query.page_size,
      pageToken: query.page_token,
      // `type=` (empty) asks for the negative examples, whose type is null.
      type: query.type === undefined ? undefined : query.type === '' ? null : query.type,
      status: query.status,
    });
    return {
      items: examples.map(toExample),
      next_page_token: page.nextPageToken,
      total_size: page.totalSize,
    };
  }

  async delete(principal: Principal, configurationId: string, id: string): Promise<void> {
    const example = await this.find(principal, configurationId, id);
    if (!(await this.deps.examples.delete(example))) throw AppError.notFound(`Example ${id}`);
  }
}
