import type pg from 'pg';

/**
 * Sends `NOTIFY channel, '<engine>'` after enqueues commit, coalesced: at most one notification
 * per engine in flight, plus one more if enqueues committed meanwhile. A NOTIFY inside the
 * enqueue transaction would take PostgreSQL's database-wide notify lock across the commit's WAL
 * flush, so notifying enqueues would commit one at a time (measured here: half the enqueue rate).
 * Sent after the commit, a notification never announces a job that does not exist; one lost to
 * a crash in between only waits for the workers' next poll.
 */
export class PostgresNotifier {
  private readonly state = new Map<string, 'sending' | 'again'>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly channel: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Announce that a job of `engine` was committed. */
  notify(engine: string): void {
    if (this.state.has(engine)) {
      this.state.set(engine, 'again');
      return;
    }
    this.state.set(engine, 'sending');
    this.pool
      .query('SELECT pg_notify($1, $2)', [this.channel, engine])
      .catch(this.onError)
      .finally(() => {
        const again = this.state.get(engine) === 'again';
        this.state.delete(engine);
        if (again) this.notify(engine);
      });
  }
}
