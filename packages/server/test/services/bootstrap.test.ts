import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AccountService } from '../../src/services/account-service.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

test('first start: processes starting together on one empty database create one local account', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'overture-bootstrap-')), 'db.sqlite');
  const stores = [new SqliteStore({ path }), new SqliteStore({ path }), new SqliteStore({ path })];
  for (const store of stores) await store.migrate();
  const created = await Promise.all(stores.map((store) => new AccountService(store, Date.now).bootstrap(5, 1)));
  assert.equal(created.filter(Boolean).length, 1, 'keys are printed once');
  assert.equal(await stores[0]!.accounts.countAccounts(), 1);
  assert.equal(await new AccountService(stores[1]!, Date.now).bootstrap(5, 1), undefined, 'a later start creates nothing');
  for (const store of stores) await store.close();
});
