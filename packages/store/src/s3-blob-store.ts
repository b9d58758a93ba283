import { pipeline, Readable } from 'node:stream';
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadBucketCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { AppError, isAppError } from '@classifyd/shared';
import { checkBlobId } from './blob-id.js';
import { meterUpload, type StoredBlob } from './blob-meter.js';

export interface S3BlobStoreOptions {
  bucket: string;
  region: string;
  /** An S3-compatible service (MinIO, R2, s3rver); unset: AWS itself. */
  endpoint?: string | undefined;
  /** `host/bucket/key` addressing, which most S3-compatible services need. */
  forcePathStyle: boolean;
  /**
   * Unset in the apps: the AWS SDK's provider chain finds them (AWS_ACCESS_KEY_ID and
   * AWS_SECRET_ACCESS_KEY, a profile, an instance or pod role).
   */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
}

interface S3Failure {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

const REFUSED = new Set(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken']);

/**
 * An S3 failure as an error that says what went wrong, built from the error's name and
 * status only: some S3 error bodies carry the access key id and the string that was signed.
 * A failure to reach S3, or S3 failing on its side, is `unavailable` (a 503, a retried job).
 */
function s3Failure(operation: string, bucket: string, error: unknown): Error {
  if (isAppError(error)) return error;
  const { name = 'Error', code, $metadata } = (error ?? {}) as S3Failure;
  const status = $metadata?.httpStatusCode;
  const what = `S3 ${operation} on bucket "${bucket}"`;
  if (name === 'CredentialsProviderError') {
    return new Error(
      `${what} found no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure the AWS SDK's provider chain`,
    );
  }
  // No status: S3 was never reached (refused, timed out). A HEAD request's error has no body,
  // so the SDK can only name it Unknown.
  const reason =
    status === undefined ? (code ?? name) : name === 'Unknown' ? `HTTP ${status}` : `${name}, HTTP ${status}`;
  if (status === undefined || status >= 500 || name === 'SlowDown') {
    return new AppError('unavailable', `The file store is unavailable (${what}: ${reason}); retry shortly`, {
      retryAfterSeconds: 2,
    });
  }
  if (status === 403 || REFUSED.has(name)) {
    return new Error(`${what} was refused (${reason}): check the S3 credentials and bucket policy`);
  }
  if (name === 'NoSuchBucket') return new Error(`${what} failed: the bucket does not exist`);
  if (status === 301 || name === 'PermanentRedirect') {
    return new Error(`${what} failed (${reason}): the bucket is in another region than S3_REGION`);
  }
  return new Error(`${what} failed (${reason})`);
}

/** A missing object: GetObject says NoSuchKey, HeadObject a bare 404. A missing bucket is not one. */
function isMissingObject(error: unknown): boolean {
  const { name, $metadata } = (error ?? {}) as S3Failure;
  return name === 'NoSuchKey' || (name !== 'NoSuchBucket' && $metadata?.httpStatusCode === 404);
}

/**
 * Uploaded bytes as objects `files/<id>` in one bucket, so that API replicas and parse
 * workers on any machine share nothing but Redis and the bucket.
 */
export class S3BlobStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly region: string;

  constructor(options: S3BlobStoreOptions) {
    this.bucket = options.bucket;
    this.region = options.region;
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle,
      ...(options.credentials ? { credentials: options.credentials } : {}),
      // Without timeouts a black-holed endpoint would hang an upload or a parse for good;
      // the socket timeout is for silence, so a long transfer that keeps moving is fine.
      requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
    });
  }

  private key(id: string): string {
    return `files/${checkBlobId(id)}`;
  }

  /** Creates the bucket when it does not exist yet; called once at startup. */
  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return;
    } catch (error) {
      if ((error as S3Failure).$metadata?.httpStatusCode !== 404)
        throw s3Failure('HeadBucket', this.bucket, error);
    }
    try {
      // Outside us-east-1, AWS wants the bucket's region named again.
      const location =
        this.region === 'us-east-1'
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: this.region as BucketLocationConstraint } };
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket, ...location }));
    } catch (error) {
      // Another replica starting at the same moment created it first.
      if ((error as S3Failure).name !== 'BucketAlreadyOwnedByYou') {
        throw s3Failure('CreateBucket', this.bucket, error);
      }
    }
  }

  /**
   * Streams to the bucket while hashing and counting (a multipart upload past 5 MB); past
   * `maxBytes` it throws a payload_too_large AppError and the multipart upload is aborted,
   * so no object and no parts are left behind.
   */
  async put(id: string, source: Readable, maxBytes: number): Promise<StoredBlob> {
    const key = this.key(id);
    const meter = meterUpload(maxBytes);
    // The input's own failures (the limit, a client gone mid-body) reach the meter as its
    // 'error', before the upload sees them; they are reported as they are, not as S3's.
    let inputError: unknown = null;
    meter.stream.once('error', (error) => {
      inputError = error;
    });
    pipeline(source, meter.stream, () => undefined);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: meter.stream },
    });
    try {
      await upload.done();
    } catch (error) {
      // S3 failed: stop reading the input too.
      meter.stream.destroy();
      throw inputError ?? s3Failure('PutObject', this.bucket, error);
    }
    return meter.result();
  }

  async read(id: string): Promise<Buffer | null> {
    const opened = await this.open(id);
    if (!opened) return null;
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
    } catch (error) {
      throw s3Failure('GetObject', this.bucket, error);
    }
    return Buffer.concat(chunks);
  }

  async size(id: string): Promise<number | null> {
    const key = this.key(id);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return head.ContentLength ?? 0;
    } catch (error) {
      if (isMissingObject(error)) return null;
      throw s3Failure('HeadObject', this.bucket, error);
    }
  }

  /** The bytes as a stream straight from S3, with their size. */
  async open(id: string): Promise<{ size: number; stream: Readable } | null> {
    const key = this.key(id);
    let object: GetObjectCommandOutput;
    try {
      object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (isMissingObject(error)) return null;
      throw s3Failure('GetObject', this.bucket, error);
    }
    // In Node the SDK's body is always a Readable; anything else is a broken client setup.
    if (!(object.Body instanceof Readable)) throw new Error('S3 GetObject returned no readable body');
    return { size: object.ContentLength ?? 0, stream: object.Body };
  }

  async remove(id: string): Promise<void> {
    const key = this.key(id);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      throw s3Failure('DeleteObject', this.bucket, error);
    }
  }
}
