// What the command-line entries of the long reliability runs (fault-main, fuzz-main) share.
import { freshSchema } from '../../support/postgres-schema.js';

/** The number after `--name` on the command line, or `fallback` when the flag is absent. */
export function numberArgument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

/**
 * Run one seed's `work` on SQLite (no database URL), or with `onPostgres` on a fresh schema of the
 * local test database (OVERTURE_TEST_DATABASE_URL) that is dropped once the work settles.
 */
export async function onFreshStore<T>(onPostgres: boolean, work: (databaseUrl: string | undefined) => Promise<T>): Promise<T> {
  const schema = onPostgres ? await freshSchema() : undefined;
  return work(schema?.url).finally(() => schema?.drop());
}
