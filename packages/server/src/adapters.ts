import { fileURLToPath } from 'node:url';
import type { Config } from './config.js';
import { FsMediaStore } from './media/fs-media-store.js';
import { parseS3Url, S3MediaStore } from './media/s3-media-store.js';
import type { MediaStore } from './ports/media-store.js';
import type { RateLimiter } from './ports/rate-limiter.js';
import type { Store } from './ports/store-port.js';
import { MemoryRateLimiter } from './rate-limit/memory-rate-limiter.js';
import { RedisRateLimiter } from './rate-limit/redis-rate-limiter.js';
import { PostgresStore } from './store/postgres/postgres-store.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';

/** Where connection failures of the shared adapters are reported (a JSON line on stderr). */
export type AdapterErrorSink = (component: string, error: unknown) => void;

const toStderr: AdapterErrorSink = (component, error) =>
  process.stderr.write(`${JSON.stringify({ level: 50, time: Date.now(), component, msg: String((error as Error)?.message ?? error) })}\n`);

/** The path of a `sqlite:` or `file:` URL (`file:///abs`, `sqlite:relative/path` or `sqlite:///abs`). */
function pathOf(url: string): string {
  if (url.startsWith('file://')) return fileURLToPath(url);
  return url.replace(/^(sqlite|file):(\/\/)?/, '');
}

type Factories<T> = Record<string, (url: string) => T>;

/** Pick the adapter whose scheme starts the URL; an unknown scheme is a configuration error. */
function choose<T>(kind: string, url: string, factories: Factories<T>): T {
  const scheme = url.slice(0, url.indexOf(':'));
  const factory = factories[scheme];
  if (!factory) throw new Error(`${kind}: unsupported URL scheme "${scheme}:" (expected one of ${Object.keys(factories).join(', ')})`);
  return factory(url);
}

/**
 * The store named by `DATABASE_URL`: `postgres://` or `postgresql://` for PostgreSQL (shared by
 * many processes), `sqlite:PATH` for SQLite; unset, SQLite in the data directory.
 */
export function openStore(config: Config, onError: AdapterErrorSink = toStderr): Store {
  const sqlite = (path: string): Store => new SqliteStore({ path, synchronous: config.sqliteSynchronous });
  const postgres = (url: string): Store => new PostgresStore(url, (error) => onError('postgres', error));
  return choose<Store>('DATABASE_URL', config.databaseUrl ?? `sqlite:${config.databasePath}`, {
    postgres,
    postgresql: postgres,
    sqlite: (url) => sqlite(pathOf(url)),
  });
}

/** The media store named by `MEDIA_URL`: `s3://bucket…` or `file:PATH`; unset, the data directory's `media/`. */
export function openMedia(config: Config): MediaStore {
  return choose<MediaStore>('MEDIA_URL', config.mediaUrl ?? `file:${config.mediaDirectory}`, {
    s3: (url) => new S3MediaStore(parseS3Url(url)),
    file: (url) => new FsMediaStore(pathOf(url)),
  });
}

/** Rate limits shared through `REDIS_URL` when set; otherwise counted in this process alone. */
export function openRateLimiter(config: Config, onError: AdapterErrorSink = toStderr): RateLimiter {
  if (!config.redisUrl) return new MemoryRateLimiter();
  const redis = (url: string): RateLimiter => new RedisRateLimiter({ url, onError: (error) => onError('redis', error) });
  return choose('REDIS_URL', config.redisUrl, { redis, rediss: redis });
}
