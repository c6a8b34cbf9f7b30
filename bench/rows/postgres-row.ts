import { execFileSync } from 'node:child_process';
import { ROOT } from '../support/child.js';
import type { Row } from '../support/context.js';
import { type Figure, unavailable } from '../support/result.js';

const ADAPTERS = 'packages/server/src/adapters.ts';

/** Whether the PostgreSQL store is committed (the adapter chooser is in `git log`). */
function postgresStoreCommitted(): boolean {
  try {
    return execFileSync('git', ['log', '--oneline', '-1', '--', ADAPTERS], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
  } catch {
    return false;
  }
}

/**
 * Durable `/audio/queue` on PostgreSQL against raw PostgreSQL insert transactions. Reported as
 * "not yet available" until the PostgreSQL store lands (`packages/server/src/adapters.ts`).
 */
export const postgresRow: Row = {
  id: 'postgres',
  async run(): Promise<Figure[]> {
    const name = 'durable /audio/queue, PostgreSQL: req/s';
    if (!postgresStoreCommitted()) return [unavailable('postgres', name, '≥ 1,000/s', `not yet available (${ADAPTERS} not committed)`)];
    if (!process.env.DATABASE_URL) return [unavailable('postgres', name, '≥ 1,000/s', 'DATABASE_URL not set')];
    return [unavailable('postgres', name, '≥ 1,000/s', 'the PostgreSQL store landed: this row still needs writing')];
  },
};
