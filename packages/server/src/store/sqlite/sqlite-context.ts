import type Database from 'better-sqlite3';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import { SqliteReadCache } from './sqlite-read-cache.js';
import type { SqliteWalSync } from './sqlite-wal-sync.js';

/**
 * What the parts of the SQLite store (`sqlite-*-store.ts`) share: one connection, its read
 * cache, its group commit, and the two ways a write of theirs reaches the disk.
 */
export interface SqliteContext {
  /** The connection every part runs its statements on (compiled once each: `statement`). */
  readonly db: Database.Database;
  /** Job and balance reads, answered from memory until the next change (polls repeat them). */
  readonly reads: SqliteReadCache;
  /** Enqueues and reserves: the writes of one turn of the event loop, committed together. */
  readonly groupCommit: SqliteGroupCommit;
  /**
   * Run a write that may be lost in a power cut without moving money — a claim or a lease
   * renewal: a lost claim only runs the job again — without its own fsync. The next fully
   * synced commit makes it durable anyway (the WAL is written in order).
   */
  withoutSync<T>(work: () => T): T;
  /**
   * Commit `work` in an immediate transaction; the promise resolves once it is on disk. With a
   * write-ahead log to sync, the commit does not block the event loop on the disk: it is made
   * with synchronous=NORMAL and acknowledged after the log's fsync on another thread.
   */
  commitDurably<T>(work: () => T): Promise<T>;
  /** Tell the store's `onJobQueued` listeners that a new job of `engine` has committed. */
  jobQueued(engine: string): void;
}

/** How the store opened its connection. */
export interface SqliteContextOptions {
  readonly db: Database.Database;
  /** The connection's own `synchronous` setting, restored after each write made without sync. */
  readonly synchronous: 'FULL' | 'NORMAL';
  /** Set for fully synced files in WAL mode: durable commits wait for its fsync, off the event loop. */
  readonly walSync: SqliteWalSync | undefined;
  readonly jobQueued: (engine: string) => void;
}

/** The context the store's parts share, over a connection the store has opened. */
export function createSqliteContext(options: SqliteContextOptions): SqliteContext {
  const { db, synchronous, walSync } = options;
  const withoutSync = <T>(work: () => T): T => {
    if (synchronous === 'NORMAL') return work();
    db.pragma('synchronous = NORMAL');
    try {
      return work();
    } finally {
      db.pragma(`synchronous = ${synchronous}`);
    }
  };
  const commitDurably = async <T>(work: () => T): Promise<T> => {
    const transaction = db.transaction(work);
    if (!walSync) return transaction.immediate();
    const result = withoutSync(() => transaction.immediate());
    await walSync.sync();
    return result;
  };
  return {
    db,
    reads: new SqliteReadCache(db),
    groupCommit: new SqliteGroupCommit(db, walSync && { withoutSync, sync: () => walSync.sync() }),
    withoutSync,
    commitDurably,
    jobQueued: options.jobQueued,
  };
}
