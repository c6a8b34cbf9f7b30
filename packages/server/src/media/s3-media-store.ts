import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { assertMediaKey, type MediaStore, type MediaWriter } from '../ports/media-store.js';

/** Where the S3 media store keeps objects and how it reaches the service. */
export interface S3MediaOptions {
  readonly bucket: string;
  /** Prepended to every key (e.g. `overture/`); empty by default. */
  readonly prefix?: string;
  /** Client settings: endpoint, region, forcePathStyle, credentials (default: the SDK's chain). */
  readonly client: S3ClientConfig;
  /** Multipart part size in bytes (at least 5 MiB); memory per upload is about partSize × queueSize. */
  readonly partSize?: number;
  readonly queueSize?: number;
}

/**
 * Read `s3://bucket/optional/prefix?endpoint=URL&region=R&forcePathStyle=true`. Credentials are
 * not part of the URL: the SDK reads `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (or its other sources).
 */
export function parseS3Url(url: string): S3MediaOptions {
  const parsed = new URL(url);
  if (parsed.protocol !== 's3:' || !parsed.hostname) throw new Error('MEDIA_URL must look like s3://bucket[/prefix][?endpoint=…&region=…]');
  const query = parsed.searchParams;
  const path = decodeURIComponent(parsed.pathname).replace(/^\/+/, '');
  return {
    bucket: parsed.hostname,
    prefix: path && !path.endsWith('/') ? `${path}/` : path,
    client: {
      region: query.get('region') ?? process.env.AWS_REGION ?? 'us-east-1',
      ...(query.get('endpoint') ? { endpoint: query.get('endpoint') as string } : {}),
      forcePathStyle: query.get('forcePathStyle') === 'true',
    },
  };
}

const isMissing = (error: unknown) => {
  const failure = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return failure.name === 'NoSuchKey' || failure.name === 'NotFound' || failure.$metadata?.httpStatusCode === 404;
};

/**
 * Media in an S3-compatible bucket. Uploads stream through a multipart upload (a small object
 * becomes one PUT), so memory stays flat whatever the size; an object exists only once the
 * upload completes, which is S3's own atomic step, so nothing is visible before `commit`.
 */
export class S3MediaStore implements MediaStore {
  private readonly client: S3Client;

  constructor(private readonly options: S3MediaOptions) {
    this.client = new S3Client(options.client);
  }

  private objectKey(key: string): string {
    assertMediaKey(key);
    return `${this.options.prefix ?? ''}${key}`;
  }

  async create(key: string): Promise<MediaWriter> {
    const body = new PassThrough({ highWaterMark: 1024 * 1024 });
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.options.bucket, Key: this.objectKey(key), Body: body },
      partSize: this.options.partSize ?? 8 * 1024 * 1024,
      queueSize: this.options.queueSize ?? 2,
      leavePartsOnError: false,
    });
    const done = upload.done();
    done.catch(() => undefined); // observed by commit or abort
    let bytes = 0;
    return {
      write: async (chunk) => {
        bytes += chunk.byteLength;
        if (!body.write(chunk)) await Promise.race([once(body, 'drain'), done.then(() => undefined)]);
      },
      commit: async () => {
        body.end();
        await done;
        return { bytes };
      },
      abort: async () => {
        await upload.abort().catch(() => undefined);
        body.destroy();
        await done.catch(() => undefined);
      },
    };
  }

  async open(key: string): Promise<{ stream: Readable; bytes: number } | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.objectKey(key) }));
      return { stream: object.Body as Readable, bytes: Number(object.ContentLength ?? 0) };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.objectKey(key) }));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  /** Close the HTTP connections of the client. */
  close(): void {
    this.client.destroy();
  }
}
