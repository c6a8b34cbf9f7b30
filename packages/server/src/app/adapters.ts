import { fileURLToPath } from 'node:url';
import type { Config, X402Config } from './config.js';
import { FsMediaStore } from '../media/fs-media-store.js';
import { HttpPaymentFacilitator } from '../payments/http-payment-facilitator.js';
import { LocalPaymentFacilitator } from '../payments/local-payment-facilitator.js';
import type { MediaStore } from '../ports/media-store.js';
import type { PaymentFacilitator } from '../ports/payment-facilitator.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { Store } from '../ports/store/store.js';
import { MemoryRateLimiter } from '../rate-limit/memory-rate-limiter.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';

/** Where connection failures of the shared adapters are reported (a JSON line on stderr). */
export type AdapterErrorSink = (component: string, error: unknown) => void;

const toStderr: AdapterErrorSink = (component, error) =>
  process.stderr.write(`${JSON.stringify({ level: 50, time: Date.now(), component, msg: String((error as Error)?.message ?? error) })}\n`);

/** The path of a `sqlite:` or `file:` URL (`file:///abs`, `sqlite:relative/path` or `sqlite:///abs`). */
function pathOf(url: string): string {
  if (url.startsWith('file://')) return fileURLToPath(url);
  return url.replace(/^(sqlite|file):(\/\/)?/, '');
}

type Factories<T> = Record<string, (url: string) => T | Promise<T>>;

/** Pick the adapter whose scheme starts the URL; an unknown scheme is a configuration error. */
async function choose<T>(kind: string, url: string, factories: Factories<T>): Promise<T> {
  const scheme = url.slice(0, url.indexOf(':'));
  const factory = factories[scheme];
  if (!factory) throw new Error(`${kind}: unsupported URL scheme "${scheme}:" (expected one of ${Object.keys(factories).join(', ')})`);
  return factory(url);
}

/** A shared adapter's optional npm packages are missing: what to install, named in the message. */
export class MissingPackageError extends Error {
  override name = 'MissingPackageError';
}

/**
 * Import an adapter module whose npm packages are optional (peer dependencies a default install
 * leaves out); when one is missing, fail with the setting that needs it and the command to run.
 */
async function loadOptional<T>(setting: string, packages: readonly string[], load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = String((error as Error)?.message);
    const missing = packages.filter((name) => message.includes(`'${name}'`) || message.includes(`"${name}"`));
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && missing.length > 0)
      throw new MissingPackageError(
        `${setting} needs the optional package ${packages.join(' and ')}: run \`npm install ${packages.join(' ')}\``,
      );
    throw error;
  }
}

/**
 * The store named by `DATABASE_URL`: `postgres://` or `postgresql://` for PostgreSQL (shared by
 * many processes; needs the optional package `pg`), `sqlite:PATH` for SQLite; unset, SQLite in the
 * data directory.
 */
export function openStore(config: Config, onError: AdapterErrorSink = toStderr): Promise<Store> {
  const sqlite = (path: string): Store => new SqliteStore({ path, synchronous: config.sqliteSynchronous });
  const postgres = async (url: string): Promise<Store> => {
    const { PostgresStore } = await loadOptional('DATABASE_URL=postgres://…', ['pg'], () => import('../store/postgres/postgres-store.js'));
    return new PostgresStore(url, (error) => onError('postgres', error));
  };
  return choose<Store>('DATABASE_URL', config.databaseUrl ?? `sqlite:${config.databasePath}`, {
    postgres,
    postgresql: postgres,
    sqlite: (url) => sqlite(pathOf(url)),
  });
}

/**
 * The media store named by `MEDIA_URL`: `s3://bucket…` (needs the optional packages
 * `@aws-sdk/client-s3` and `@aws-sdk/lib-storage`) or `file:PATH`; unset, the data directory's `media/`.
 */
export function openMedia(config: Config): Promise<MediaStore> {
  return choose<MediaStore>('MEDIA_URL', config.mediaUrl ?? `file:${config.mediaDirectory}`, {
    s3: async (url) => {
      const packages = ['@aws-sdk/client-s3', '@aws-sdk/lib-storage'];
      const { S3MediaStore, parseS3Url } = await loadOptional('MEDIA_URL=s3://…', packages, () => import('../media/s3-media-store.js'));
      return new S3MediaStore(parseS3Url(url));
    },
    file: (url) => new FsMediaStore(pathOf(url)),
  });
}

/** Rate limits shared through `REDIS_URL` (needs the optional package `ioredis`) when set; otherwise counted in this process alone. */
export async function openRateLimiter(config: Config, onError: AdapterErrorSink = toStderr): Promise<RateLimiter> {
  if (!config.redisUrl) return new MemoryRateLimiter();
  const redis = async (url: string): Promise<RateLimiter> => {
    const { RedisRateLimiter } = await loadOptional(
      'REDIS_URL=redis://…',
      ['ioredis'],
      () => import('../rate-limit/redis-rate-limiter.js'),
    );
    return new RedisRateLimiter({ url, onError: (error) => onError('redis', error) });
  };
  return choose('REDIS_URL', config.redisUrl, { redis, rediss: redis });
}

/**
 * Who verifies and settles x402 payments: the remote facilitator at `OVERTURE_X402_FACILITATOR_URL`
 * when set; otherwise signatures are checked here and nothing is sent on chain.
 */
export function openPaymentFacilitator(x402: X402Config): PaymentFacilitator {
  return x402.facilitatorUrl ? new HttpPaymentFacilitator(x402.facilitatorUrl) : new LocalPaymentFacilitator(x402.offer);
}
