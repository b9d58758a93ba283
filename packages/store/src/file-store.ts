import { createHash } from 'node:crypto';
import type { FileRecord } from '@classifyd/shared';
import type { Redis } from 'ioredis';
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
}

const digest = (value: string) => createHash('sha1').update(value).digest('hex');

/** File metadata per project; the bytes live in a BlobStore. */
export class FileStore {
  private readonly keys: StoreKeys;

  constructor(
    private readonly redis: Redis,
    queuePrefix: string,
  ) {
    this.keys = storeKeys(queuePrefix);
  }

  private facetKeys(record: FileRecord): string[] {
    const keys = [
      this.keys.index('file', record.project_id),
      this.keys.index('file', record.project_id, 'name', digest(record.name)),
    ];
    if (record.external_file_id) {
      keys.push(this.keys.index('file', record.project_id, 'ext', digest(record.external_file_id)));
    }
    return keys;
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
    for (const key of this.facetKeys(record)) tx.zadd(key, 0, member);
    await tx.exec();
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
    if (!h.record || h.project_id !== projectId) return false;
    const record = JSON.parse(h.record) as FileRecord;
    const tx = this.redis.multi();
    tx.del(this.keys.file(id));
    for (const key of this.facetKeys(record)) tx.zrem(key, h.idx ?? '');
    const replies = await tx.exec();
    return replies?.[0]?.[1] === 1;
  }

  async list(projectId: string, query: FileListQuery): Promise<{ files: FileRecord[]; page: IdPage }> {
    const fingerprint = JSON.stringify([
      'file',
      projectId,
      query.fileIds,
      query.fileName,
      query.externalFileId,
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
        .map((f) => f.member ?? '');
      page = pageFromMembers(members, fingerprint, query);
    } else {
      const facet = query.externalFileId
        ? ['ext', digest(query.externalFileId)]
        : query.fileName
          ? ['name', digest(query.fileName)]
          : [];
      page = await pageFromIndex(
        this.redis,
        this.keys.index('file', projectId, ...facet),
        fingerprint,
        query,
      );
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
