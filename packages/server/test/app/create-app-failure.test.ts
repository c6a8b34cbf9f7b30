import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { OpenedResources } from '../../src/app/opened-resources.js';

const directories: string[] = [];
after(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

/** Generous for a loaded machine; a start that left something open never ends on its own. */
const EXIT_LIMIT_MS = 60_000;

/**
 * Run a start in a child process, on a new data directory, with the settings `envOf` gives for
 * it: what the child printed, whether it ended by itself, and the data directory's files after.
 */
async function failingStart(envOf: (directory: string) => Record<string, string>) {
  const directory = mkdtempSync(join(tmpdir(), 'overture-failed-start-'));
  directories.push(directory);
  const inherited = Object.entries(process.env).filter(([key]) => !/^(OVERTURE_|NODE_TEST|DATABASE_URL|MEDIA_URL|REDIS_URL)/.test(key));
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'support/failing-start-child.ts')], {
    env: {
      ...Object.fromEntries(inherited),
      OVERTURE_DATA_DIR: directory,
      OVERTURE_CATALOG: 'test',
      LOG_LEVEL: 'silent',
      ...envOf(directory),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  let endedByItself = true;
  const limit = setTimeout(() => {
    endedByItself = false;
    child.kill('SIGKILL');
  }, EXIT_LIMIT_MS);
  await once(child, 'exit');
  clearTimeout(limit);
  return { output, endedByItself, files: readdirSync(directory).sort() };
}

test('a start that fails after the store is open closes it: the process ends by itself', async () => {
  // The media store cannot open (an s3:// URL without a bucket) after the store has.
  const media = await failingStart(() => ({ MEDIA_URL: 's3:///prefix' }));
  assert.match(media.output, /^refused: MEDIA_URL must look like s3:\/\/bucket/m);
  assert.ok(media.endedByItself, `still running ${EXIT_LIMIT_MS} ms after the failed start: something it opened is still open`);
  // The content rules cannot be read after the store is open and migrated.
  const rules = await failingStart((directory) => {
    writeFileSync(join(directory, 'rules.json'), '{not json');
    return { OVERTURE_CONTENT_RULES: join(directory, 'rules.json') };
  });
  assert.match(rules.output, /^refused: .*JSON/m);
  assert.ok(rules.endedByItself, `still running ${EXIT_LIMIT_MS} ms after the failed start: something it opened is still open`);
  assert.deepEqual(rules.files, ['overture.sqlite', 'rules.json'], 'the SQLite store was closed (its WAL checkpointed and removed)');
});

test('what a start opened is closed newest first, every one even when one fails, and the step error is thrown', async () => {
  const opened = new OpenedResources();
  const closed: string[] = [];
  opened.add(() => closed.push('engines'));
  assert.equal(await opened.step(() => 'catalog'), 'catalog', 'a step that succeeds closes nothing');
  opened.add(async () => {
    closed.push('store');
  });
  opened.add(() => {
    closed.push('media');
    throw new Error('media close failed');
  });
  await assert.rejects(
    opened.step(async () => {
      throw new Error('rate limiter refused');
    }),
    /rate limiter refused/,
  );
  assert.deepEqual(closed, ['media', 'store', 'engines']);
  await opened.closeAll();
  assert.equal(closed.length, 3, 'each is closed once');
});
