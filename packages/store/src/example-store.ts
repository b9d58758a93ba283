import { createHash } from 'node:crypto';
import {
  AppError,
  EXAMPLE_STATUSES,
  type ExampleStatus,
  type LabelledExample,
  newId,
  type ParsedPage,
} from '@classifyd/shared';
import type { Cluster, Redis } from 'ioredis';
import { exampleFromHash, type StoredExample } from './example-record.js';
import { type ExampleScriptRunner, registerExampleScripts } from './example-scripts.js';
import { examplePages } from './example-text.js';
import { indexMember, type StoreKeys, storeKeys } from './keys.js';
import { type IdPage, type PageRequest, pageFromIndex } from './list-index.js';
import { loadReadySet, type ReadyExamples, type ReadySetKeys, readReadyExamples } from './ready-examples.js';

export type { ReadyExamples } from './ready-examples.js';

export interface NewExample {
  projectId: string;
  configurationId: string;
  type: string | null;
  fileInput: string;
  parseJobId: string;
  name: string;
  /** MAX_EXAMPLES_PER_CONFIGURATION: the configuration's examples, counted atomically with the add. */
  limit: number;
}

export interface ExampleListQuery extends PageRequest {
  /** A rule type; null: the negative examples; undefined: every type. */
  type?: string | null | undefined;
  status?: ExampleStatus | undefined;
}

const digest = (value: string) => createHash('sha1').update(value).digest('hex');

/** A type as an index facet: rule types may hold any character, a facet may not hold ':'. */
const typeFacet = (type: string | null) => (type === null ? 'none' : `t${digest(type)}`);

const DELETE_BATCH = 500;

/**
 * Labelled example documents of saved classify configurations. Nothing here has a TTL:
 * an example keeps its text after its file and its parse job are gone, and retention
 * sweeps never touch it; it goes when it or its configuration is deleted.
 */
export class ExampleStore {
  private readonly keys: StoreKeys;
  private readonly run: ExampleScriptRunner;

  constructor(
    private readonly redis: Redis | Cluster,
    queuePrefix: string,
  ) {
    this.keys = storeKeys(queuePrefix);
    this.run = registerExampleScripts(redis);
  }

  private index(projectId: string, configurationId: string, ...facets: string[]): string {
    return this.keys.index('exm', projectId, configurationId, ...facets);
  }

  private statusIndex(e: Pick<StoredExample, 'projectId' | 'configurationId'>, status: ExampleStatus) {
    return this.index(e.projectId, e.configurationId, 'status', status);
  }

  private typeStatusIndex(
    e: Pick<StoredExample, 'projectId' | 'configurationId' | 'type'>,
    status: ExampleStatus,
  ) {
    return this.index(e.projectId, e.configurationId, 'type', typeFacet(e.type), 'status', status);
  }

  /** Adds a PENDING example; 404 when the configuration is not the project's, 409 over the limit. */
  async create(input: NewExample): Promise<StoredExample> {
    const now = Date.now();
    const id = newId('example');
    const member = indexMember(now, await this.redis.incr(this.keys.sequence()), id);
    const fields: Record<string, string> = {
      project_id: input.projectId,
      configuration_id: input.configurationId,
      type: JSON.stringify(input.type),
      file_input: input.fileInput,
      status: 'PENDING',
      error_message: '',
      created_at: String(now),
      updated_at: String(now),
      parse_job_id: input.parseJobId,
      name: input.name,
      idx: member,
    };
    const reply = await this.run(
      'cdCreateExample',
      [
        this.keys.configuration(input.configurationId),
        this.keys.example(id),
        this.index(input.projectId, input.configurationId),
        this.index(input.projectId, input.configurationId, 'type', typeFacet(input.type)),
        this.statusIndex(input, 'PENDING'),
        this.typeStatusIndex(input, 'PENDING'),
      ],
      [input.projectId, input.limit, member, ...Object.entries(fields).flat()],
    );
    if (reply === 'no_configuration') throw AppError.notFound(`Configuration ${input.configurationId}`);
    if (reply === 'limit') {
      throw new AppError(
        'conflict',
        `Configuration ${input.configurationId} already has ${input.limit} examples, the most one configuration may hold (MAX_EXAMPLES_PER_CONFIGURATION); delete some before adding more`,
      );
    }
    return exampleFromHash(id, fields) as StoredExample;
  }

  /** An example of the project, or null: another project's is indistinguishable from none. */
  async getAnyConfiguration(projectId: string, id: string): Promise<StoredExample | null> {
    const example = exampleFromHash(id, await this.redis.hgetall(this.keys.example(id)));
    return example?.projectId === projectId ? example : null;
  }

  async get(projectId: string, configurationId: string, id: string): Promise<StoredExample | null> {
    const example = await this.getAnyConfiguration(projectId, id);
    return example?.configurationId === configurationId ? example : null;
  }

  async list(
    projectId: string,
    configurationId: string,
    query: ExampleListQuery,
  ): Promise<{ examples: StoredExample[]; page: IdPage }> {
    const facets: string[] = [];
    if (query.type !== undefined) facets.push('type', typeFacet(query.type));
    if (query.status) facets.push('status', query.status);
    const fingerprint = JSON.stringify(['exm', projectId, configurationId, query.type, query.status]);
    const page = await pageFromIndex(
      this.redis,
      this.index(projectId, configurationId, ...facets),
      fingerprint,
      query,
    );
    const pipeline = this.redis.pipeline();
    for (const id of page.ids) pipeline.hgetall(this.keys.example(id));
    const replies = (await pipeline.exec()) ?? [];
    // An example can go between the index read and the record read (deleted); skip it.
    const examples = replies
      .map(([error, hash], i) => {
        if (error) throw error;
        return exampleFromHash(page.ids[i] as string, hash as Record<string, string>);
      })
      .filter((e): e is StoredExample => e !== null);
    return { examples, page };
  }

  /**
   * Keeps the document's text (the pages the parse read, cut to EXAMPLE_TEXT_CHARS) and
   * makes the example READY. False when it had already settled or was deleted.
   */
  async markReady(example: StoredExample, pages: readonly ParsedPage[], name?: string): Promise<boolean> {
    const kept = examplePages(pages);
    return this.settle(example, 'READY', JSON.stringify(kept), '', name ?? '');
  }

  async markFailed(example: StoredExample, message: string): Promise<boolean> {
    return this.settle(example, 'FAILED', '', message, '');
  }

  private async settle(
    example: StoredExample,
    target: 'READY' | 'FAILED',
    text: string,
    message: string,
    name: string,
  ): Promise<boolean> {
    const reply = await this.run(
      'cdSettleExample',
      [
        this.keys.example(example.id),
        this.keys.exampleText(example.id),
        this.statusIndex(example, 'PENDING'),
        this.statusIndex(example, target),
        this.typeStatusIndex(example, 'PENDING'),
        this.typeStatusIndex(example, target),
        this.keys.exampleVersion(example.configurationId),
      ],
      [target, Date.now(), text, message, name],
    );
    return reply === 'ok';
  }

  private deleteKeys(example: StoredExample): string[] {
    return [
      this.keys.example(example.id),
      this.keys.exampleText(example.id),
      this.keys.exampleVersion(example.configurationId),
      this.index(example.projectId, example.configurationId),
      this.index(example.projectId, example.configurationId, 'type', typeFacet(example.type)),
      ...EXAMPLE_STATUSES.map((s) => this.statusIndex(example, s)),
      ...EXAMPLE_STATUSES.map((s) => this.typeStatusIndex(example, s)),
    ];
  }

  /** True when the example was there. */
  async delete(example: StoredExample): Promise<boolean> {
    return (await this.run('cdDeleteExample', this.deleteKeys(example), [])) === 1;
  }

  /**
   * Deletes every example of a configuration. Called once the configuration itself is
   * gone, when no example can be added to it any more (the add script checks), so that
   * emptying its index until nothing is left misses none.
   */
  async deleteAllOf(projectId: string, configurationId: string): Promise<number> {
    const all = this.index(projectId, configurationId);
    let deleted = 0;
    for (;;) {
      const members = await this.redis.zrange(all, '0', String(DELETE_BATCH - 1));
      if (members.length === 0) break;
      const ids = members.map((m) => m.slice(m.indexOf(':') + 1));
      const read = this.redis.pipeline();
      for (const id of ids) read.hgetall(this.keys.example(id));
      const examples = ((await read.exec()) ?? []).map(([, hash], i) =>
        exampleFromHash(ids[i] as string, (hash ?? {}) as Record<string, string>),
      );
      const remove = this.redis.pipeline() as unknown as Record<
        'cdDeleteExample',
        (...args: string[]) => unknown
      > & { exec(): Promise<unknown>; zrem(key: string, ...members: string[]): unknown };
      examples.forEach((example, i) => {
        if (example) remove.cdDeleteExample(...this.deleteKeys(example));
        // A member whose record is already gone is only dropped from the index.
        else remove.zrem(all, members[i] as string);
      });
      await remove.exec();
      deleted += examples.filter((e) => e !== null).length;
    }
    await this.redis.del(this.keys.exampleVersion(configurationId));
    return deleted;
  }

  private readySet(projectId: string, configurationId: string): ReadySetKeys {
    return {
      readyIndex: this.index(projectId, configurationId, 'status', 'READY'),
      version: this.keys.exampleVersion(configurationId),
      example: this.keys.example,
      text: this.keys.exampleText,
    };
  }

  /** The configuration's READY examples: their count and the version of the set, in one round trip. */
  readyExamples(projectId: string, configurationId: string): Promise<ReadyExamples> {
    return readReadyExamples(this.redis, this.readySet(projectId, configurationId));
  }

  /**
   * Every READY example of the configuration, text and all, exactly as the set was at
   * `version` (from readyExamples); null when it has changed since (see loadReadySet).
   */
  loadReady(projectId: string, configurationId: string, version: number): Promise<LabelledExample[] | null> {
    return loadReadySet(this.redis, this.readySet(projectId, configurationId), version);
  }
}
