import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runStoreConformance } from './store-conformance.js';

runStoreConformance('sqlite', async () => {
  const store = new SqliteStore({ path: join(mkdtempSync(join(tmpdir(), 'overture-store-')), 'test.sqlite'), synchronous: 'NORMAL' });
  await store.migrate();
  return store;
});
