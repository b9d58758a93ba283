import {
  type ClassifyConfiguration,
  type ClassifyJob,
  type ClassifyResult,
  type DocumentInputType,
  isJobStatus,
  type JobStatus,
  type ParseJob,
  type TraceContext,
  type WebhookConfiguration,
} from '@classifyd/shared';

/** What a classify job keeps besides status: set at creation, never changed. */
export interface ClassifySpec {
  configuration: ClassifyConfiguration;
  configuration_id: string | null;
  document_input_type: DocumentInputType;
  file_input: string;
  transaction_id: string | null;
  webhooks: WebhookConfiguration[];
  /** Where the request that made the job was traced; absent when tracing is off. */
  trace?: TraceContext;
}

export type ParseSource = { type: 'file'; file_id: string; sha256: string } | { type: 'url'; url: string };

export interface ParseSpec {
  source: ParseSource;
  name: string | null;
  target_pages: string | null;
  max_pages: number | null;
  lang: string;
  user_metadata?: Record<string, string> | null;
  /** Where the request that made the job was traced; absent when tracing is off. */
  trace?: TraceContext;
}

/** The store's view of a job, shared by both kinds. */
interface StoredJobBase {
  id: string;
  projectId: string;
  userId: string;
  status: JobStatus;
  createdAtMs: number;
  updatedAtMs: number;
  errorMessage: string | null;
  /** The job's member in the list indexes. */
  member: string;
}

/** A user's word on what a finished job's document is, and the example it became. */
export interface StoredCorrection {
  type: string | null;
  created_at: string;
  example_id: string;
}

export interface StoredClassifyJob extends StoredJobBase {
  kind: 'classify';
  spec: ClassifySpec;
  parseJobId: string | null;
  result: ClassifyResult | null;
  usage: Record<string, number | string> | null;
  correction: StoredCorrection | null;
}

export interface StoredParseJob extends StoredJobBase {
  kind: 'parse';
  spec: ParseSpec;
  origin: string;
  /** The per-project content cache key, '' when the job may not share its output. */
  cacheKey: string;
  /** The parse job whose output this one copied instead of parsing, if any. */
  copiedFrom: string | null;
}

export type StoredJob = StoredClassifyJob | StoredParseJob;

/** What names a job's index keys: its kind, project and configuration ('' for none). */
export interface JobOwner {
  kind: 'classify' | 'parse';
  projectId: string;
  cfg: string;
}

/** A held job's owner, so that a status write need not read it again. */
export function ownerOf(job: StoredJob): JobOwner {
  return {
    kind: job.kind,
    projectId: job.projectId,
    cfg: job.kind === 'classify' ? (job.spec.configuration_id ?? '') : '',
  };
}

function parseJson<T>(value: string | undefined, fallback: T): T {
  return value ? (JSON.parse(value) as T) : fallback;
}

export function jobFromHash(id: string, h: Record<string, string>): StoredJob | null {
  if (!h.status || !isJobStatus(h.status) || !h.project_id) return null;
  const base: StoredJobBase = {
    id,
    projectId: h.project_id,
    userId: h.user_id ?? '',
    status: h.status,
    createdAtMs: Number(h.created_at),
    updatedAtMs: Number(h.updated_at),
    errorMessage: h.error_message || null,
    member: h.idx ?? '',
  };
  if (h.kind === 'parse') {
    return {
      ...base,
      kind: 'parse',
      spec: parseJson<ParseSpec>(h.spec, {} as ParseSpec),
      origin: h.origin ?? '',
      cacheKey: h.cache_key ?? '',
      copiedFrom: h.copied_from || null,
    };
  }
  return {
    ...base,
    kind: 'classify',
    spec: parseJson<ClassifySpec>(h.spec, {} as ClassifySpec),
    parseJobId: h.parse_job_id || null,
    result: parseJson<ClassifyResult | null>(h.result, null),
    usage: parseJson<Record<string, number | string> | null>(h.usage, null),
    correction: parseJson<StoredCorrection | null>(h.correction, null),
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

export function toClassifyJob(job: StoredClassifyJob): ClassifyJob {
  return {
    id: job.id,
    configuration: job.spec.configuration,
    configuration_id: job.spec.configuration_id,
    document_input_type: job.spec.document_input_type,
    file_input: job.spec.file_input,
    document_input_value: job.spec.file_input,
    project_id: job.projectId,
    user_id: job.userId,
    status: job.status,
    parse_job_id: job.parseJobId,
    result: job.status === 'COMPLETED' ? job.result : null,
    error_message: job.errorMessage,
    transaction_id: job.spec.transaction_id,
    correction: job.correction ? { type: job.correction.type, created_at: job.correction.created_at } : null,
    created_at: iso(job.createdAtMs),
    updated_at: iso(job.updatedAtMs),
  };
}

export function toParseJob(job: StoredParseJob): ParseJob {
  return {
    id: job.id,
    project_id: job.projectId,
    status: job.status,
    name: job.spec.name,
    tier: 'fast',
    error_message: job.errorMessage,
    user_metadata: job.spec.user_metadata ?? null,
    created_at: iso(job.createdAtMs),
    updated_at: iso(job.updatedAtMs),
  };
}
