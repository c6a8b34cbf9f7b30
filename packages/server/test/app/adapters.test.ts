import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const directory = mkdtempSync(join(tmpdir(), 'overture-optional-'));
after(() => rmSync(directory, { recursive: true, force: true }));

/** Run the CLI from the sources with `hidden` packages made unresolvable; bounded by the test timeout. */
async function run(args: string[], env: Record<string, string>, hidden: string) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('NODE_TEST')));
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      join(import.meta.dirname, '../support/hide-packages.mjs'),
      join(import.meta.dirname, '../support/serve-child.ts'),
      ...args,
    ],
    {
      env: { ...clean, OVERTURE_DATA_DIR: directory, OVERTURE_HIDE_PACKAGES: hidden, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const [code] = await once(child, 'exit');
  return { code: code as number | null, output };
}

test('a shared adapter whose optional package is not installed stops the start and names the package', async () => {
  const postgres = await run(['migrate'], { DATABASE_URL: 'postgres://127.0.0.1:5432/test' }, 'pg');
  assert.notEqual(postgres.code, 0);
  assert.match(postgres.output, /DATABASE_URL=postgres:\/\/… needs the optional package pg: run `npm install pg`/);
  const serve = [['serve', '--role', 'api'], { PORT: '0', HOST: '127.0.0.1' }] as const;
  const s3 = await run([...serve[0]], { ...serve[1], MEDIA_URL: 's3://bucket/prefix?region=us-east-1' }, '@aws-sdk/client-s3');
  assert.notEqual(s3.code, 0, 'the server exits instead of serving without its media store');
  assert.match(s3.output, /npm install @aws-sdk\/client-s3 @aws-sdk\/lib-storage/);
  const redis = await run([...serve[0]], { ...serve[1], REDIS_URL: 'redis://127.0.0.1:6379' }, 'ioredis');
  assert.notEqual(redis.code, 0);
  assert.match(redis.output, /REDIS_URL=redis:\/\/… needs the optional package ioredis: run `npm install ioredis`/);
});

test('the default install path needs none of the optional packages', async () => {
  const hidden = 'pg,ioredis,@aws-sdk/client-s3,@aws-sdk/lib-storage';
  const migrated = await run(['migrate'], { DATABASE_URL: `sqlite:${join(directory, 'plain.sqlite')}` }, hidden);
  assert.equal(migrated.code, 0, migrated.output);
});
