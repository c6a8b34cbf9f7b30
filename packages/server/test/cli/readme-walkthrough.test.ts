/**
 * The root README's walk-through stays copy-pasteable: its shell blocks hold no `…` placeholders,
 * set every variable they use, and — run in order by bash against a real server (on a free
 * loopback port instead of :8080, every model on the fast `tone` engine) — make the files they
 * promise. The first block (`npm install && npm start`, `npm test`) is the server itself, not run.
 * `npx overture` runs this checkout's CLI (bin/overture.js, built by `npm test`'s typecheck).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { startTestApp, type TestApp } from '../support/test-app.js';

const root = resolve(import.meta.dirname, '../../../..');
const bin = resolve(import.meta.dirname, '../../bin/overture.js');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] as string);
const [serverBlock = '', ...walkthrough] = blocks;
const script = walkthrough.join('\n');

/** What a file starts with: a WAV's RIFF, or an MP3's ID3 tag or frame sync. */
const kind = (bytes: Buffer) =>
  bytes.subarray(0, 4).toString('latin1') === 'RIFF'
    ? 'wav'
    : bytes.subarray(0, 3).toString('latin1') === 'ID3' || (bytes[0] === 0xff && ((bytes[1] as number) & 0xe0) === 0xe0)
      ? 'mp3'
      : `unknown: ${bytes.subarray(0, 80).toString('latin1')}`;

test('the first screen starts the server, runs the tests and makes a track', () => {
  assert.match(serverBlock, /^npm install && npm start\b/m);
  assert.match(serverBlock, /^npm test\b/m);
  const firstScreen = readme.split('\n').slice(0, 40).join('\n');
  assert.match(firstScreen, /npx overture generate .* -o track\.wav/);
});

test('the walk-through has no placeholders and sets every variable it uses', () => {
  assert.ok(walkthrough.length >= 2, 'a CLI block and the step-by-step block');
  assert.doesNotMatch(script, /…|\.\.\./, 'no placeholders');
  const used = new Set([...script.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1]));
  const set = new Set([
    ...[...script.matchAll(/(?:^|[\s;(])(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((match) => match[1]),
    ...[...script.matchAll(/\bfor ([A-Za-z_][A-Za-z0-9_]*) in\b/g)].map((match) => match[1]),
  ]);
  assert.deepEqual(
    [...used].filter((name) => !set.has(name)),
    [],
    'every variable is set in the walk-through',
  );
});

let t: TestApp;
let directory: string;
before(async () => {
  t = await startTestApp({ env: { OVERTURE_RATE_LIMIT_QUEUE: '1000' } });
  await t.app.http.listen({ port: 0, host: '127.0.0.1' });
  directory = mkdtempSync(join(tmpdir(), 'overture-readme-'));
});
after(async () => {
  await t.close();
  rmSync(directory, { recursive: true, force: true });
});

test('run in order against a real server, the walk-through makes every file it promises', async () => {
  const { port } = t.app.http.server.address() as AddressInfo;
  const shim = `npx() { if [ "$1" = overture ]; then shift; node ${JSON.stringify(bin)} "$@"; else echo "npx $1 is not this checkout's" >&2; return 1; fi; }`;
  const env = {
    PATH: process.env.PATH,
    HOME: directory,
    OVERTURE_DATA_DIR: t.directory,
    OVERTURE_CATALOG: join(t.directory, 'catalog.json'),
    OVERTURE_BASE_URL: `http://127.0.0.1:${port}/api/v1`,
    LOG_LEVEL: 'silent',
  };
  const body = ['set -euo pipefail', shim, script.replaceAll('localhost:8080', `127.0.0.1:${port}`)].join('\n');
  // Not execFileSync: the server answers on this process's event loop.
  const { stdout } = await promisify(execFile)('bash', ['-c', body], {
    cwd: directory,
    env,
    encoding: 'latin1',
    timeout: 150_000,
    maxBuffer: 64 << 20,
  });
  for (const [file, expected] of [
    ['track.wav', 'wav'],
    ['song.mp3', 'mp3'],
    ['folk.mp3', 'mp3'],
    ['hello.mp3', 'mp3'],
  ] as const)
    assert.equal(kind(readFileSync(join(directory, file))), expected, file);
  assert.match(stdout, /\{"quote":0\.05\}/);
  assert.match(stdout, /\{"success":true\}/);
  assert.match(stdout, /"canConsume":true/);
});
