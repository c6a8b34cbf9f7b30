import type Database from 'better-sqlite3';

interface Pending {
  readonly work: () => unknown;
  readonly resolve: (value: never) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: writes that arrive in the same turn of the event loop run in one transaction,
 * each in its own savepoint, and are acknowledged only after the single (fsynced) commit.
 * One failing write rolls back its savepoint alone. This is how durable enqueues go past the
 * one-fsync-per-transaction ceiling.
 */
export class SqliteGroupCommit {
  private pending: Pending[] = [];
  private scheduled: Promise<void> | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly maxBatch = 256,
  ) {}

  /** Run `work` (synchronous SQL) in the next group; resolves with its result after commit. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: never) => void, reject });
      this.scheduled ??= new Promise<void>((done) =>
        setImmediate(() => {
          this.flush();
          done();
        }),
      );
    });
  }

  /** Wait until everything queued so far is committed. */
  async drain(): Promise<void> {
    while (this.scheduled) await this.scheduled;
  }

  private flush(): void {
    this.scheduled = undefined;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      const results: { ok: boolean; value: unknown }[] = [];
      try {
        this.db
          .transaction(() => {
            for (const item of batch) {
              try {
                results.push({ ok: true, value: this.db.transaction(item.work)() });
              } catch (error) {
                results.push({ ok: false, value: error });
              }
            }
          })
          .immediate();
      } catch (error) {
        for (const item of batch) item.reject(error);
        continue;
      }
      batch.forEach((item, index) => {
        const result = results[index] as { ok: boolean; value: unknown };
        if (result.ok) item.resolve(result.value as never);
        else item.reject(result.value);
      });
    }
  }
}
