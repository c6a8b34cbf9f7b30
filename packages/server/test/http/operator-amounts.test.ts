import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { freshSchema, TEST_DATABASE_URL } from '../support/postgres-schema.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const TOKEN = 'operator-token-for-amount-tests';
const drops: (() => Promise<void>)[] = [];
after(async () => {
  for (const drop of drops) await drop();
});

/** What the database holds, read beside the server: exact text and, on SQLite, the stored type. */
interface Peek {
  usd(accountId: string): Promise<{ available: string; granted: string; type: string }>;
  accounts(): Promise<string>;
  close(): Promise<void>;
}

const USD_LINE = `SELECT CAST(available AS TEXT) available, CAST(granted AS TEXT) granted, typeof(available) type
  FROM balances WHERE account_id = ? AND currency = 'usd'`;

async function sqliteApp(): Promise<{ t: TestApp; peek: Peek }> {
  const t = await startTestApp({ env: { OVERTURE_OPERATOR_TOKEN: TOKEN } });
  const db = new Database(join(t.directory, 'overture.sqlite'), { readonly: true });
  return {
    t,
    peek: {
      usd: async (id) => db.prepare(USD_LINE).get(id) as { available: string; granted: string; type: string },
      accounts: async () => String(db.prepare('SELECT COUNT(*) FROM accounts').pluck().get()),
      close: async () => {
        db.close();
      },
    },
  };
}

async function postgresApp(): Promise<{ t: TestApp; peek: Peek }> {
  const { url, schema, drop } = await freshSchema();
  drops.push(drop);
  const t = await startTestApp({ env: { OVERTURE_OPERATOR_TOKEN: TOKEN, DATABASE_URL: url } });
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(`SET search_path TO ${schema}`);
  const line = USD_LINE.replace('typeof(available)', 'pg_typeof(available)::text').replace('?', '$1');
  return {
    t,
    peek: {
      usd: async (id) => (await client.query(line, [id])).rows[0],
      accounts: async () => (await client.query('SELECT COUNT(*)::text n FROM accounts')).rows[0].n,
      close: () => client.end(),
    },
  };
}

/** A raw JSON body (so that `1e400`, which JSON.stringify cannot write, reaches the server as typed). */
const post = (t: TestApp, url: string, payload: string) =>
  t.app.http.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, payload });

const BROKEN_USD = [
  '1e308',
  '1e300',
  '1e400',
  '1e15',
  '1e10',
  '1e-7',
  '0.0000001',
  '1.0000005',
  '-1',
  '"NaN"',
  '"10"',
  'null',
  'true',
  '1000000000.000001',
];

function assertContract400(response: { statusCode: number; json(): unknown }, field: string | string[], label: string) {
  assert.equal(response.statusCode, 400, label);
  const body = response.json() as { error: string; details: unknown; issues: { path: unknown[]; message: string }[] };
  assert.equal(body.error, 'Invalid request parameters', label);
  assert.ok(body.details, label);
  assert.deepEqual(body.issues[0]?.path, Array.isArray(field) ? field : [field], label);
  return body.issues[0]?.message ?? '';
}

for (const [name, open] of [
  ['sqlite', sqliteApp],
  ['postgres', postgresApp],
] as const) {
  test(`${name}: operator credit and create refuse amounts outside the rule with a 400 that changes nothing`, async () => {
    const { t, peek } = await open();
    try {
      const id = t.account.account_id;
      const start = await peek.usd(id);
      assert.deepEqual(start, { available: '10000000', granted: '10000000', type: name === 'sqlite' ? 'integer' : 'bigint' });
      const accounts = await peek.accounts();
      for (const usd of [...BROKEN_USD, '0']) {
        const message = assertContract400(await post(t, `/operator/v1/accounts/${id}/credit`, `{"usd":${usd}}`), 'usd', usd);
        if (['1e308', '1e15', '1000000000.000001'].includes(usd)) assert.match(message, /at most 1000000000/);
        if (usd === '1e-7') assert.match(message, /more than 6 decimals/);
      }
      for (const usd of BROKEN_USD) {
        assertContract400(await post(t, '/operator/v1/accounts', `{"name":"n","usd":${usd}}`), 'usd', `create ${usd}`);
        assertContract400(await post(t, '/operator/v1/accounts', `{"name":"n","diem_daily":${usd}}`), 'diem_daily', `diem ${usd}`);
      }
      assert.deepEqual(await peek.usd(id), start, 'the balance is unchanged, an exact integer');
      assert.equal(await peek.accounts(), accounts, 'no account was created');

      assert.equal((await post(t, `/operator/v1/accounts/${id}/credit`, '{"usd":0.000001}')).statusCode, 200);
      assert.deepEqual(await peek.usd(id), { ...start, available: '10000001', granted: '10000001' }, 'one micro-unit, exactly');
      const created = await post(t, '/operator/v1/accounts', '{"name":"n","usd":1000000000,"diem_daily":0.5}');
      assert.equal(created.statusCode, 201, created.body);
      assert.equal((await peek.usd(created.json().account_id)).available, '1000000000000000');
    } finally {
      await peek.close();
      await t.close();
    }
  });

  test(`${name}: a credit that would take a balance past $9,000,000,000 is a 400 that changes nothing`, async () => {
    const { t, peek } = await open();
    try {
      const id = t.account.account_id;
      for (let credit = 0; credit < 8; credit++)
        assert.equal((await post(t, `/operator/v1/accounts/${id}/credit`, '{"usd":1000000000}')).statusCode, 200);
      const before = await peek.usd(id);
      assert.equal(before.granted, '8000000010000000');
      const message = assertContract400(await post(t, `/operator/v1/accounts/${id}/credit`, '{"usd":1000000000}'), 'usd', 'past max');
      assert.match(message, /9000000000/);
      assert.deepEqual(await peek.usd(id), before);
      assert.equal((await post(t, `/operator/v1/accounts/${id}/credit`, '{"usd":999999990}')).statusCode, 200);
      const account = await t.app.http.inject({
        method: 'GET',
        url: `/operator/v1/accounts/${id}`,
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      assert.equal(account.json().usd.available, 9_000_000_000, 'the whole balance reads back exactly');
    } finally {
      await peek.close();
      await t.close();
    }
  });
}

test('a consumption limit outside the money rule is a 400 and no key is made', async () => {
  const { t, peek } = await sqliteApp();
  try {
    const admin = (await post(t, '/operator/v1/accounts', '{"name":"limits","usd":1}')).json().admin_key;
    for (const usd of [1e308, 1e-7, -1]) {
      const response = await t.request(
        'POST',
        '/api/v1/api_keys',
        { apiKeyType: 'INFERENCE', description: 'k', consumptionLimit: { usd } },
        admin,
      );
      assertContract400(response, ['consumptionLimit', 'usd'], String(usd));
    }
    const keys = (await t.request('GET', '/api/v1/api_keys', undefined, admin)).json().data;
    assert.equal(keys.length, 2, 'only the admin and inference keys the account was created with');
  } finally {
    await peek.close();
    await t.close();
  }
});
