import type Database from 'better-sqlite3';

const MAX_ENTRIES = 20_000;

/**
 * Answers repeated reads from memory while the database has not changed. The stamp is this
 * connection's `total_changes()` (every row it wrote, committed or not: read on every call, it
 * costs a tenth of a microsecond) and `data_version` (moves when another connection — another
 * process, the CLI — commits; read once per turn of the event loop, as it costs more than the
 * rest of a cached read). Any write empties the cache: this process sees its own writes at
 * once, and other processes' commits from the next turn of the event loop.
 *
 * Reads must not happen inside a transaction that may roll back (the store's public reads run
 * outside its synchronous transactions), and cached values are shared: callers must not mutate
 * them (the records are readonly).
 */
export class SqliteReadCache {
  private readonly changesStatement: Database.Statement;
  private readonly versionStatement: Database.Statement;
  private changes = -1;
  private version = -1;
  /** Whether data_version was read in this turn of the event loop. */
  private versionFresh = false;
  private readonly entries = new Map<string, unknown>();

  constructor(db: Database.Database) {
    // Two statements: reading both through the pragma_data_version table costs twice as much.
    this.changesStatement = db.prepare('SELECT total_changes()').pluck();
    this.versionStatement = db.prepare('PRAGMA data_version').pluck();
  }

  /** The value read under `key` since the last change, or `load()` now (and remembered). */
  read<T>(key: string, load: () => T): T {
    const changes = this.changesStatement.get() as number;
    const version = this.versionFresh ? this.version : this.readVersion();
    if (changes !== this.changes || version !== this.version) {
      this.entries.clear();
      this.changes = changes;
      this.version = version;
    } else if (this.entries.has(key)) {
      return this.entries.get(key) as T;
    }
    const value = load();
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }

  private readVersion(): number {
    this.versionFresh = true;
    setImmediate(() => {
      this.versionFresh = false;
    }).unref();
    return this.versionStatement.get() as number;
  }
}
