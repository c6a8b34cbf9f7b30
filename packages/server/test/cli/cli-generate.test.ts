import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { waitForMedia } from '../support/test-app.js';
import { buildIfStale, type CliServer, startCliServer } from './cli-harness.js';

let server: CliServer;
const PROMPT = 'calm piano in A minor at 90 bpm';

before(async () => {
  buildIfStale();
  server = await startCliServer();
});
after(() => server.close());

const usd = async () =>
  (await server.test.request('GET', '/api/v1/billing/balance', undefined, server.test.account.admin_key)).json().balances.usd as number;
const isWav = (bytes: Buffer) => bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WAVE';

test('generate writes a WAV end to end and reports what it did', async () => {
  const before = await usd();
  const result = await server.run(['generate', PROMPT, '--model', 'overture-sketch', '--duration', '2', '-o', 'track.wav', '--yes']);
  assert.equal(result.code, 0, result.stderr);
  const bytes = readFileSync(join(server.test.directory, 'track.wav'));
  assert.ok(isWav(bytes), 'RIFF/WAVE header');
  assert.ok(bytes.length > 44 + 2 * 8000, `a 2 s file, got ${bytes.length} bytes`);
  assert.match(result.stdout, /Wrote track\.wav .* job [0-9a-f-]{36} completed/);
  assert.match(result.stderr, /overture-sketch, 2 s, wav: quote \$0\.0002 USD/);
  assert.match(result.stderr, /Queued [0-9a-f-]{36}/);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are what the test looks for
  assert.doesNotMatch(result.stderr, /\r|\u001b\[/, 'no progress bar or colour without a terminal');
  assert.ok(Math.abs(before - (await usd()) - 0.0002) < 1e-9, 'charged the quote');
});

test('generate --json prints one document, names the file after the job and completes it', async () => {
  const result = await server.run(['generate', PROMPT, '--model', 'overture-sketch', '--duration', '1', '--yes', '--json']);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.equal(result.stderr, '', 'nothing on stderr with --json');
  const data = JSON.parse(result.stdout);
  assert.deepEqual(Object.keys(data).sort(), [
    'bytes',
    'content_type',
    'duration_seconds',
    'file',
    'format',
    'inference_seconds',
    'model',
    'queue_id',
    'quote',
  ]);
  assert.equal(data.file, `${data.queue_id}.wav`);
  assert.equal(data.content_type, 'audio/wav');
  assert.equal(data.quote, 0.0001);
  assert.equal(readFileSync(join(server.test.directory, data.file)).length, data.bytes);
  const fetched = await server.run(['fetch', data.queue_id, '--model', 'overture-sketch', '--json']);
  assert.equal(fetched.code, 5, 'completed: the media is gone');
  assert.equal(JSON.parse(fetched.stdout).error.code, 'not_found');
});

test('generate refuses to charge without --yes when stdin is not a terminal', async () => {
  const before = await usd();
  const result = await server.run(['generate', PROMPT, '--model', 'overture-sketch', '--duration', '1']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /pass --yes/);
  assert.equal(await usd(), before, 'nothing charged');
});

test('generate: budget, validation, unknown model, wrong key and format map to exit codes', async () => {
  const budget = await server.run([
    'generate',
    PROMPT,
    '--model',
    'overture-sketch',
    '--duration',
    '20',
    '--max-price',
    '0.001',
    '--yes',
    '--json',
  ]);
  assert.equal(budget.code, 4);
  assert.equal(JSON.parse(budget.stdout).error.code, 'budget_exceeded');
  const invalid = await server.run(['generate', PROMPT, '--model', 'overture-sketch', '--duration', '100000', '--yes', '--json']);
  assert.equal(invalid.code, 6);
  assert.equal(JSON.parse(invalid.stdout).error.status, 400);
  assert.match(
    JSON.parse(invalid.stdout).error.message,
    /^Invalid request parameters: duration_seconds: Must be between 1 and 600 seconds$/,
  );
  const unknown = await server.run(['generate', PROMPT, '--model', 'no-such-model', '--yes']);
  assert.equal(unknown.code, 5);
  assert.match(unknown.stderr, /not found/i);
  const wrongKey = await server.run(['generate', PROMPT, '--model', 'overture-sketch', '--yes', '--api-key', 'ovt_wrong']);
  assert.equal(wrongKey.code, 3, wrongKey.stderr);
  assert.match(
    wrongKey.stderr,
    /Authentication failed: the server refused the key ovt_…? from --api-key\. Get an inference key .*OVERTURE_API_KEY/,
  );
  const format = await server.run(['generate', PROMPT, '--model', 'overture-sketch', '--format', 'mp3', '--yes']);
  assert.equal(format.code, 6);
  assert.match(format.stderr, /produces wav/);
});

test('an authentication failure names the key, where it came from and how to get one', async () => {
  const fromEnvironment = await server.run(['balance', '--json'], { env: { OVERTURE_API_KEY: 'ovt_0123456789abcdefwxyz' } });
  assert.equal(fromEnvironment.code, 3);
  const error = JSON.parse(fromEnvironment.stdout).error;
  assert.equal(error.code, 'authentication');
  assert.equal(error.key_source, 'OVERTURE_API_KEY');
  assert.match(error.message, /the key ovt_0123…wxyz from OVERTURE_API_KEY\. Get an inference key/);
  assert.ok(!error.message.includes('ovt_0123456789abcdefwxyz'), 'the key is not printed whole');
  const none = await server.run(['balance'], { env: { OVERTURE_API_KEY: undefined, VENICE_API_KEY: undefined } });
  assert.equal(none.code, 3);
  assert.match(none.stderr, /no API key was given\. .*--api-key KEY or `export OVERTURE_API_KEY=…`/);
  const inference = await server.run(['balance']);
  assert.equal(inference.code, 3);
  assert.match(inference.stderr, /Admin API key required \(used the key ovt_\S+ from OVERTURE_API_KEY\)/);
});

test('generate reads lyrics from a file and rejects them for a model without lyrics', async () => {
  writeFileSync(join(server.test.directory, 'lyrics.txt'), 'la la la\n');
  const result = await server.run(['generate', PROMPT, '--model', 'overture-sketch', '--lyrics', 'lyrics.txt', '--yes', '--json']);
  assert.equal(result.code, 6);
  assert.deepEqual(JSON.parse(result.stdout).error.issues[0].path, ['lyrics_prompt']);
});

test('status, fetch and complete work on a job queued elsewhere', async () => {
  const queued = (
    await server.test.request('POST', '/api/v1/audio/queue', { model: 'overture-sketch', prompt: PROMPT, duration_seconds: 1 })
  ).json();
  await waitForMedia(server.test, 'overture-sketch', queued.queue_id);
  const status = await server.run(['status', queued.queue_id, '--json']);
  assert.equal(status.code, 0, status.stdout + status.stderr);
  assert.equal(JSON.parse(status.stdout).state, 'done');
  const contract = await server.run(['status', queued.queue_id, '--model', 'overture-sketch', '--retrieve', '--json']);
  assert.equal(JSON.parse(contract.stdout).status, 'COMPLETED', 'the contract route, for servers without the status route');
  const fetched = await server.run(['fetch', queued.queue_id, '-o', 'fetched.wav']);
  assert.equal(fetched.code, 0, fetched.stderr);
  assert.ok(isWav(readFileSync(join(server.test.directory, 'fetched.wav'))));
  const completed = await server.run(['complete', queued.queue_id, '--json']);
  assert.equal(completed.code, 0);
  assert.deepEqual(JSON.parse(completed.stdout), { queue_id: queued.queue_id, success: true });
  assert.equal((await server.run(['complete', queued.queue_id, '--model', 'overture-sketch'])).code, 0, 'completing twice is fine');
  const missing = await server.run(['status', '00000000-0000-4000-8000-000000000000', '--model', 'overture-sketch']);
  assert.equal(missing.code, 5);
  assert.ok(!existsSync(join(server.test.directory, `${queued.queue_id}.wav`)));
});
