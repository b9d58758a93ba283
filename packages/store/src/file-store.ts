import { createHash } from 'node:crypto';
import { FILE_LIST_ORDERS, type FileListOrder, type FileRecord } from '@classifyd/shared';
import type { Cluster, Redis } from 'ioredis';
import { indexMember, type StoreKeys, storeKeys } from './keys.js';
import { type IdPage, type PageRequest, pageFromIndex, pageFromMembers } from './list-index.js';

export interface StoredFile {
  record: FileRecord;
  sha256: string;
  /** The file's member in the list indexes; set by the store. */
  member?: string;
}

export interface FileListQuery extends PageRequest {
  fileIds?: string[] | undefined;
  fileName?: string | undefined;
  externalFileId?: string | undefined;
  orderBy?: FileListOrder | undefined;
}

const digest = (value: string) => createHash('sha1').update(value).digest('hex');

/**
 * A file's member in an index of the given order. Index members sort by bytes and end in
 * ":<id>"; a name is written in hex so that it holds no ":" and still sorts as its UTF-8 bytes.
 */
function orderMember(order: FileListOrder, record: FileRecord, timeMember: string): string {
  if (order === 'created_at') return timeMember;
  if (order === 'name') return `${Buffer.from(record.name, 'utf8').toString('hex')}:${record.id}`;
  return `i:${record.id}`;
}

/** File metadata per project; the bytes live in a BlobStore. */
/** How many file records a process remembers (see `getRemembered`). */
const REMEMBERED_FILES = 5_000;

export class FileStore {
  private readonly keys: StoreKeys;
  /** Records never change once stored: what this process stored or read, by file id, oldest first. */
  private readonly remembered = new Map<string, StoredFile>();

  constructor(
    private readonly redis: Redis | Cluster,
    queuePrefix: string,
  ) {
    this.keys = storeKeys(queuePrefix);
  }

  /** The facet a list query is served from: every file, one name, or one external id. */
  private facets(record: Pick<FileRecord, 'name' | 'external_file_id'>): string[][] {
    const facets = [[], ['name', digest(record.name)]];
    if (record.external_file_id) facets.push(['ext', digest(record.external_file_id)]);
    return facets;
  }

  private indexKey(projectId: string, facet: string[], order: FileListOrder): string {
    return this.keys.index('file', projectId, ...facet, ...(order === 'created_at' ? [] : ['by', order]));
  }

  /** Every (index, member) pair a file is listed under: each facet in each order. */
  private indexEntries(record: FileRecord, timeMember: string): Array<[string, string]> {
    return this.facets(record).flatMap((facet) =>
      FILE_LIST_ORDERS.map((order): [string, string] => [
        this.indexKey(record.project_id, facet, order),
        orderMember(order, record, timeMember),
      ]),
    );
  }

  async create(file: StoredFile): Promise<void> {
    const { record } = file;
    const member = indexMember(
      Date.parse(record.created_at),
      await this.redis.incr(this.keys.sequence()),
      record.id,
    );
    const tx = this.redis.multi();
    tx.hset(this.keys.file(record.id), {
      project_id: record.project_id,
      record: JSON.stringify(record),
      sha256: file.sha256,
      idx: member,
    });
    for (const [key, entry] of this.indexEntries(record, member)) tx.zadd(key, 0, entry);
    await tx.exec();
    this.remember({ ...file, member });
  }

  /**
   * The file as stored, from memory when this process has stored or read it before: a
   * record never changes, but the file may have been deleted since, so a caller that writes
   * on its strength checks in the same step that it still exists (the classify create
   * script does).
   */
  async getRemembered(projectId: string, id: string): Promise<StoredFile | null> {
    const file = this.remembered.get(id) ?? (await this.getAnyProject(id));
    if (file) this.remember(file);
    return file && file.record.project_id === projectId ? file : null;
  }

  private remember(file: StoredFile): void {
    this.remembered.delete(file.record.id);
    this.remembered.set(file.record.id, file);
    if (this.remembered.size > REMEMBERED_FILES) {
      const oldest = this.remembered.keys().next().value;
      if (oldest !== undefined) this.remembered.delete(oldest);
    }
  }

  async get(projectId: string, id: string): Promise<StoredFile | null> {
    const file = await this.getAnyProject(id);
    return file && file.record.project_id === projectId ? file : null;
  }

  /** For callers that authorised by other means (a signed link, a worker holding a job). */
  async getAnyProject(id: string): Promise<StoredFile | null> {
    const h = await this.redis.hgetall(this.keys.file(id));
    if (!h.record) return null;
    return { record: JSON.parse(h.record) as FileRecord, sha256: h.sha256 ?? '', member: h.idx ?? '' };
  }

  /** Returns false when the file is not the project's (or already gone). */
  async delete(projectId: string, id: string): Promise<boolean> {
    const h = await this.redis.hgetall(this.keys.file(id));
    if (h.project_id === projectId) this.remembered.delete(id);
    if (!h.record || h.project_id !== projectId) return false;
    const record = JSON.parse(h.record) as FileRecord;
    const tx = this.redis.multi();
    tx.del(this.keys.file(id));
    for (const [key, entry] of this.indexEntries(record, h.idx ?? '')) tx.zrem(key, entry);
    const replies = await tx.exec();
    return replies?.[0]?.[1] === 1;
  }

  async list(projectId: string, query: FileListQuery): Promise<{ files: FileRecord[]; page: IdPage }> {
    const order = query.orderBy ?? 'created_at';
    const fingerprint = JSON.stringify([
      'file',
      projectId,
      query.fileIds,
      query.fileName,
      query.externalFileId,
      order,
    ]);
    let page: IdPage;
    if (query.fileIds) {
      const found = await Promise.all([...new Set(query.fileIds)].map((id) => this.get(projectId, id)));
      const members = found
        .filter((f): f is StoredFile => f !== null)
        .filter(
          (f) =>
            (!query.fileName || f.record.name === query.fileName) &&
            (!query.externalFileId || f.record.external_file_id === query.externalFileId),
        )
        .map((f) => orderMember(order, f.record, f.member ?? ''));
      page = pageFromMembers(members, fingerprint, query);
    } else {
      const facet = query.externalFileId
        ? ['ext', digest(query.externalFileId)]
        : query.fileName
          ? ['name', digest(query.fileName)]
          : [];
      page = await pageFromIndex(this.redis, this.indexKey(projectId, facet, order), fingerprint, query);
    }
    const files = (await Promise.all(page.ids.map((id) => this.get(projectId, id))))
      .filter((f): f is StoredFile => f !== null)
      // Both filters may be given; the index served one, check the other here.
      .filter(
        (f) =>
          (!query.fileName || f.record.name === query.fileName) &&
          (!query.externalFileId || f.record.external_file_id === query.externalFileId),
      )
      .map((f) => f.record);
    return { files, page };
  }
}
