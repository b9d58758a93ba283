import {
  AppError,
  type FileListQuery,
  type FileRecord,
  fileListQuerySchema,
  fileQueryBodySchema,
  fileUploadFieldsSchema,
  type ListPage,
  legacyUploadFieldsSchema,
  newId,
  type PresignedUrl,
  parseOrThrow,
} from '@classifyd/shared';
import type { BlobDownload, BlobStore, FileStore } from '@classifyd/store';
import type { Principal } from '../auth.js';
import { receiveUpload, type UploadBody } from '../multipart-upload.js';
import type { UrlSigner } from '../signed-url.js';
import { downloadName, storedName } from './file-names.js';

export interface FileServiceDeps {
  files: FileStore;
  blobs: BlobStore;
  signer: UrlSigner;
  maxUploadBytes: number;
}

function extensionOf(name: string): string | null {
  const match = /\.([A-Za-z0-9]{1,10})$/.exec(name);
  return match ? (match[1] as string).toLowerCase() : null;
}

export class FileService {
  constructor(private readonly deps: FileServiceDeps) {}

  /**
   * `POST /api/v1/beta/files`, or with `legacyQuery` `POST /api/v1/files`: field
   * `upload_file`, no purpose, and fields that may come in the query string.
   */
  async upload(
    principal: Principal,
    body: UploadBody,
    legacyQuery?: Record<string, unknown>,
  ): Promise<FileRecord> {
    const { record } = await this.receive(principal, body, legacyQuery ? 'upload_file' : 'file', (fields) =>
      legacyQuery
        ? { purpose: null, ...parseOrThrow(legacyUploadFieldsSchema, { ...fields, ...legacyQuery }, 'body') }
        : parseOrThrow(fileUploadFieldsSchema, fields, 'body'),
    );
    return record;
  }

  /**
   * Streams a multipart upload into a new file of the project. `readFields` validates the
   * other form fields (throwing a 422 removes the stored bytes again) and gives the purpose.
   */
  async receive<F extends { purpose: FileRecord['purpose']; external_file_id?: string | null | undefined }>(
    principal: Principal,
    body: UploadBody,
    fileField: string,
    readFields: (fields: Record<string, string>) => F,
  ): Promise<{ record: FileRecord; sha256: string; fields: F }> {
    const id = newId('file');
    const upload = await receiveUpload(body, this.deps.blobs, id, fileField, this.deps.maxUploadBytes);
    try {
      const fields = readFields(upload.fields);
      const now = new Date().toISOString();
      const record: FileRecord = {
        id,
        name: storedName(upload.fileName),
        project_id: principal.projectId,
        external_file_id: fields.external_file_id ?? null,
        file_type: extensionOf(upload.fileName),
        file_size: upload.blob.size,
        purpose: fields.purpose,
        created_at: now,
        updated_at: now,
        last_modified_at: now,
        expires_at: null,
        data_source_id: null,
      };
      await this.deps.files.create({ record, sha256: upload.blob.sha256 });
      return { record, sha256: upload.blob.sha256, fields };
    } catch (error) {
      await this.deps.blobs.remove(id);
      throw error;
    }
  }

  async get(principal: Principal, id: string): Promise<FileRecord> {
    const file = await this.deps.files.get(principal.projectId, id);
    if (!file) throw AppError.notFound(`File ${id}`);
    return file.record;
  }

  async list(principal: Principal, query: FileListQuery): Promise<ListPage<FileRecord>> {
    const { files, page } = await this.deps.files.list(principal.projectId, {
      pageSize: query.page_size,
      pageToken: query.page_token,
      fileIds: query.file_ids,
      fileName: query.file_name,
      externalFileId: query.external_file_id,
      orderBy: query.order_by,
    });
    return { items: files, next_page_token: page.nextPageToken, total_size: page.totalSize };
  }

  /** The deprecated `files.query`: the list, its query given as a JSON body. */
  async query(principal: Principal, rawBody: unknown): Promise<ListPage<FileRecord>> {
    const body = parseOrThrow(fileQueryBodySchema, rawBody ?? {}, 'body');
    const filter = body.filter ?? {};
    if (filter.data_source_id != null) return { items: [], next_page_token: null, total_size: 0 };
    // Through the list's own schema, for its defaults (page size) and limits.
    const given = {
      page_size: body.page_size,
      page_token: body.page_token,
      file_ids: filter.file_ids,
      file_name: filter.file_name,
      external_file_id: filter.external_file_id,
      order_by: body.order_by,
    };
    const defined = Object.fromEntries(Object.entries(given).filter(([, value]) => value != null));
    return this.list(principal, parseOrThrow(fileListQuerySchema, defined, 'body'));
  }

  async delete(principal: Principal, id: string): Promise<void> {
    if (!(await this.deps.files.delete(principal.projectId, id))) throw AppError.notFound(`File ${id}`);
    await this.deps.blobs.remove(id);
  }

  async contentUrl(
    principal: Principal,
    id: string,
    baseUrl: string,
    ttlSeconds: number,
  ): Promise<PresignedUrl> {
    await this.get(principal, id);
    const { expires, signature } = this.deps.signer.sign(id, ttlSeconds);
    return {
      url: `${baseUrl}/api/v1/beta/files/${id}/download?expires=${expires}&signature=${signature}`,
      expires_at: new Date(expires * 1000).toISOString(),
      form_fields: null,
    };
  }

  /**
   * Serves a signed link: the signature is the authorisation, so no API key is needed. The
   * bytes come as a stream from the blob store, which the caller must consume or destroy.
   */
  async download(id: string, expires: number, signature: string): Promise<BlobDownload & { name: string }> {
    if (!this.deps.signer.verify(id, expires, signature)) {
      throw new AppError('forbidden', 'The download link is invalid or has expired');
    }
    const file = await this.deps.files.getAnyProject(id);
    if (!file) throw AppError.notFound(`File ${id}`);
    const blob = await this.deps.blobs.open(id);
    if (!blob) throw AppError.notFound(`File ${id}`);
    return { ...blob, name: downloadName(file.record.name) };
  }
}
