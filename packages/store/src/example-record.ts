import type { Example, ExampleStatus } from '@classifyd/shared';

/** The store's view of an example: the public record plus what the worker and classifier need. */
export interface StoredExample {
  id: string;
  projectId: string;
  configurationId: string;
  type: string | null;
  fileInput: string;
  status: ExampleStatus;
  errorMessage: string | null;
  createdAtMs: number;
  updatedAtMs: number;
  /** The parse job its text comes from. */
  parseJobId: string;
  /** The document's file name, for a classifier's reasoning. */
  name: string;
  member: string;
}

export function toExample(example: StoredExample): Example {
  return {
    id: example.id,
    configuration_id: example.configurationId,
    type: example.type,
    file_input: example.fileInput,
    status: example.status,
    error_message: example.errorMessage,
    created_at: new Date(example.createdAtMs).toISOString(),
    updated_at: new Date(example.updatedAtMs).toISOString(),
  };
}

/** A stored hash as an example; `type` is kept as JSON so that null (a negative example) stays apart from any string. */
export function exampleFromHash(id: string, h: Record<string, string>): StoredExample | null {
  if (!h.status || !h.project_id || !h.configuration_id) return null;
  return {
    id,
    projectId: h.project_id,
    configurationId: h.configuration_id,
    type: JSON.parse(h.type ?? 'null') as string | null,
    fileInput: h.file_input ?? '',
    status: h.status as ExampleStatus,
    errorMessage: h.error_message || null,
    createdAtMs: Number(h.created_at),
    updatedAtMs: Number(h.updated_at),
    parseJobId: h.parse_job_id ?? '',
    name: h.name ?? '',
    member: h.idx ?? '',
  };
}
