import type { Readable, Writable } from 'node:stream';
import type { ByteSink } from './engine.js';

/** A file being written. Nothing is visible under its key until `commit` resolves. */
export interface MediaWriter extends ByteSink {
  /** Make the bytes durable and visible; resolves with the size written. */
  commit(): Promise<{ bytes: number }>;
  /** Throw away what was written. Safe to call after a failed write. */
  abort(): Promise<void>;
}

/** An object's bytes as a stream. */
export interface MediaStream extends Readable {
  /**
   * Capability: copy the rest to `destination` (not ending it) through a few reused buffers,
   * resolving when all was written, instead of a new buffer per chunk left to the garbage
   * collector. Adapters that read local files offer it.
   */
  pumpTo?(destination: Writable): Promise<void>;
}

/**
 * The media port: where finished audio lives until it is completed or expires.
 * Keys are opaque, made of `[A-Za-z0-9._-]`; adapters must refuse anything else.
 */
export interface MediaStore {
  /** Start writing a new object under `key` (replacing any earlier one on commit). */
  create(key: string): Promise<MediaWriter>;
  /** Stream an object, or undefined when it does not exist. Memory stays flat whatever the size. */
  open(key: string): Promise<{ stream: MediaStream; bytes: number } | undefined>;
  /** Delete an object; deleting a missing one is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Capability: delete partial writes last touched before `before` (ms since the epoch), which a
   * crash left behind (a live writer touches its file more often); resolves with how many.
   * Adapters whose partial writes clean up after themselves leave it out.
   */
  sweepPartials?(before: number): Promise<number>;
  /** Release connections (optional: the file system needs none). */
  close?(): void | Promise<void>;
}

/** Keys allowed by every adapter. */
export function assertMediaKey(key: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/.test(key) || key.includes('..')) throw new Error(`Invalid media key: ${JSON.stringify(key)}`);
}
