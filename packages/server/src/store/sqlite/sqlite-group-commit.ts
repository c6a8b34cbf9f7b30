import type Database from 'better-sqlite3';

/** How a group is made durable without blocking the event loop on the disk. */
export interface GroupDurability {
  /** Run the group's transaction without waiting for the disk at commit. */
  withoutSync<T>(work: () => T): T;
  /** Resolves when what was committed is on disk. */
  sync(): Promise<void>;
}

interface Pending {
  readonly work: () => unknown;
  readonly committed: ((value: never) => void) | undefined;
  readonly resolve: (value: never) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: writes that arrive in the same turn of the event loop run in one transaction,
 * each in its own savepoint, and are acknowledged only after the single (fsynced) commit.
 * One failing write rolls back its savepoint alone. This is how durable enqueues go past the
 * one-fsync-per-transaction ceiling. With `durability`, the commit does not wait for the disk:
 * the group is acknowledged after an fsync on another thread, while the next group forms.
 */
export class SqliteGroupCommit {
  private pending: Pending[] = [];
  private scheduled: Promise<void> | undefined;
  private readonly syncing = new Set<Promise<void>>();

  constructor(
    private readonly db: Database.Database,
    private readonly durability?: GroupDurability,
    private readonly maxBatch = 256,
  ) {}

  /**
   * Run `work` (synchronous SQL) in the next group; resolves with its result once the commit is
   * durable. `committed` is called with the result as soon as the group commits (its rows are
   * visible to other statements), before the disk has confirmed it.
   */
  run<T>(work: () => T, committed?: (value: T) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({
        work,
        committed: committed as ((value: never) => void) | undefined,
        resolve: resolve as (value: never) => void,
        reject,
      });
      this.scheduled ??= new Promise<void>((done) =>
        setImmediate(() => {
          this.flush();
          done();
        }),
      );
    });
  }

  /** Wait until everything queued so far is committed and acknowledged. */
  async drain(): Promise<void> {
    while (this.scheduled || this.syncing.size > 0) {
      await this.scheduled;
      await Promise.allSettled([...this.syncing]);
    }
  }

  private flush(): void {
    this.scheduled = undefined;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      const results: { ok: boolean; value: unknown }[] = [];
      const group = this.db.transaction(() => {
        for (const item of batch) {
          try {
            results.push({ ok: true, value: this.db.transaction(item.work)() });
          } catch (error) {
            results.push({ ok: false, value: error });
          }
        }
      });
      try {
        if (this.durability) this.durability.withoutSync(() => group.immediate());
        else group.immediate();
      } catch (error) {
        for (const item of batch) item.reject(error);
        continue;
      }
      batch.forEach((item, index) => {
        const result = results[index] as { ok: boolean; value: unknown };
        if (result.ok) item.committed?.(result.value as never);
      });
      const acknowledge = () =>
        batch.forEach((item, index) => {
          const result = results[index] as { ok: boolean; value: unknown };
          if (result.ok) item.resolve(result.value as never);
          else item.reject(result.value);
        });
      if (!this.durability) acknowledge();
      else {
        const refuse = (error: unknown) => {
          for (const item of batch) item.reject(error);
        };
        this.track(this.durability.sync().then(acknowledge, refuse));
      }
    }
  }

  private track(syncing: Promise<void>): void {
    this.syncing.add(syncing);
    void syncing.finally(() => this.syncing.delete(syncing));
  }
}
