import { AppError, type ClassifyJob, correctionRequestSchema, parseOrThrow } from '@classifyd/shared';
import {
  type ExampleStore,
  type FileStore,
  type JobStore,
  type StoredClassifyJob,
  toClassifyJob,
} from '@classifyd/store';
import type { Principal } from '../auth.js';
import type { ExampleService, ExampleSource } from './example-service.js';

export interface CorrectionServiceDeps {
  jobs: JobStore;
  files: FileStore;
  examples: ExampleStore;
  exampleService: ExampleService;
}

/**
 * `POST /api/v2/classify/{id}/correction`: a user says what a finished job's document is,
 * and the document becomes an example of that type in the job's saved configuration.
 */
export class CorrectionService {
  constructor(private readonly deps: CorrectionServiceDeps) {}

  async correct(principal: Principal, jobId: string, rawBody: unknown): Promise<ClassifyJob> {
    // The job in the path first: another project's is a 404 whatever the body says.
    const job = await this.deps.jobs.getClassifyJob(principal.projectId, jobId);
    if (!job) throw AppError.notFound(`Classify job ${jobId}`);
    const body = parseOrThrow(correctionRequestSchema, rawBody, 'body');
    if (job.status !== 'COMPLETED') {
      throw new AppError(
        'conflict',
        `Classify job ${jobId} is ${job.status}; only a COMPLETED job can be corrected`,
      );
    }
    const configurationId = job.spec.configuration_id;
    if (!configurationId) {
      throw AppError.validation([
        {
          loc: ['path', 'job_id'],
          msg: `classify job ${jobId} has no configuration_id (it was given an inline configuration); corrections become examples of a saved configuration, so classify with configuration_id to correct`,
          type: 'value_error',
        },
      ]);
    }
    const configuration = await this.deps.exampleService
      .classifyConfiguration(principal.projectId, configurationId)
      .catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'not_found') {
          throw new AppError(
            'conflict',
            `Configuration ${configurationId}, which classified job ${jobId}, no longer exists`,
          );
        }
        throw error;
      });
    this.deps.exampleService.assertRuleType(configuration, body.type);
    const source = await this.documentOf(principal, job, configuration);

    const example = await this.deps.exampleService.add(
      principal.projectId,
      configurationId,
      body.type,
      source,
    );
    const recorded = await this.deps.jobs.setCorrection(principal.projectId, jobId, {
      type: body.type,
      created_at: new Date().toISOString(),
      example_id: example.id,
    });
    if (!recorded.ok) {
      // The job was deleted meanwhile: the example it was to be recorded with goes too.
      await this.deps.examples.delete(example);
      throw AppError.notFound(`Classify job ${jobId}`);
    }
    if (recorded.previous) {
      const replaced = await this.deps.examples.getAnyConfiguration(
        principal.projectId,
        recorded.previous.example_id,
      );
      if (replaced) await this.deps.examples.delete(replaced);
    }
    return toClassifyJob((await this.deps.jobs.getClassifyJob(principal.projectId, jobId)) ?? job);
  }

  /** The job's document: the text its parse kept, else its file parsed again, else a 409. */
  private async documentOf(
    principal: Principal,
    job: StoredClassifyJob,
    configuration: Parameters<ExampleService['sourceFromFile']>[2],
  ): Promise<ExampleSource> {
    const parse = job.parseJobId
      ? await this.deps.jobs.getParseJob(principal.projectId, job.parseJobId)
      : null;
    if (parse?.status === 'COMPLETED' && (await this.deps.jobs.hasParseOutput(parse.id))) {
      return { parseJobId: parse.id, fileInput: parse.id, name: parse.spec.name ?? parse.id };
    }
    const fileId =
      job.spec.document_input_type === 'file_id'
        ? job.spec.file_input
        : parse?.spec.source.type === 'file'
          ? parse.spec.source.file_id
          : null;
    const file = fileId ? await this.deps.files.get(principal.projectId, fileId) : null;
    if (file) return this.deps.exampleService.sourceFromFile(principal, file, configuration);
    throw new AppError(
      'conflict',
      `The document of classify job ${job.id} is no longer kept (its parse text has expired and its file is gone); upload it again and add it with POST /api/v1/beta/configurations/${job.spec.configuration_id}/examples`,
    );
  }
}
