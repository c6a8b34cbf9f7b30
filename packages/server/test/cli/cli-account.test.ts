import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildIfStale, type CliServer, startCliServer } from './cli-harness.js';

let server: CliServer;
let admin: Record<string, string>;

before(async () => {
  buildIfStale();
  server = await startCliServer();
  admin = { OVERTURE_API_KEY: server.test.account.admin_key };
});
after(() => server.close());

test('models prints a table, filters by type, and --json passes the list through', async () => {
  const table = await server.run(['models']);
  assert.equal(table.code, 0, table.stderr);
  const [header, rule, ...rows] = table.stdout.trimEnd().split('\n');
  assert.match(header ?? '', /^ID\s+TYPE\s+PRICE \(USD\)\s+DURATION\s+FORMATS$/);
  assert.match(rule ?? '', /^-+\s+-+/);
  assert.ok(
    rows.some((row) => /^overture-sketch\s+music\s+\$0\.0001 \/ s\s+1-600 s \(10\)\s+wav, mp3, flac$/.test(row)),
    table.stdout,
  );
  assert.ok(rows.some((row) => /^overture-tts\s+tts\s+\$2\.00 \/ 1M chars/.test(row)));
  const tts = await server.run(['models', '--type', 'tts', '--json']);
  const list = JSON.parse(tts.stdout);
  assert.equal(list.object, 'list');
  assert.ok(list.data.length > 0 && list.data.every((model: { type: string }) => model.type === 'tts'));
  assert.equal((await server.run(['models', '--type', 'video'])).code, 2);
});

test('quote prints the price; unknown models exit 5', async () => {
  const quote = await server.run(['quote', '--model', 'overture-sketch', '--duration', '20']);
  assert.equal(quote.code, 0, quote.stderr);
  assert.equal(quote.stdout, '$0.002 USD\n');
  const json = await server.run(['quote', '--model', 'overture-narrator', '--characters', '2000', '--json']);
  assert.equal(JSON.parse(json.stdout).quote, 0.1);
  const unknown = await server.run(['quote', '--model', 'no-such-model', '--json']);
  assert.equal(unknown.code, 5);
  assert.deepEqual(Object.keys(JSON.parse(unknown.stdout).error).sort(), ['code', 'exit_code', 'message', 'status']);
  assert.equal((await server.run(['quote'])).code, 2, '--model is required');
});

test('balance needs an admin key and prints both currencies', async () => {
  const human = await server.run(['balance'], { env: admin });
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /^USD\s+\$\d+\.\d+\nDIEM\s+/);
  const json = JSON.parse((await server.run(['balance', '--json'], { env: admin })).stdout);
  assert.deepEqual(Object.keys(json).sort(), ['balances', 'canConsume', 'consumptionCurrency', 'diemEpochAllocation']);
  const inference = await server.run(['balance']);
  assert.equal(inference.code, 3, 'an inference key is not enough');
  assert.match(inference.stderr, /Admin API key required/);
  assert.equal((await server.run(['balance', '--api-key', 'ovt_wrong'])).code, 3);
});

test('keys create, list and delete', async () => {
  const created = await server.run(['keys', 'create', '--description', 'ci runner', '--limit-usd', '1.5', '--json'], { env: admin });
  assert.equal(created.code, 0, created.stdout + created.stderr);
  const key = JSON.parse(created.stdout).data;
  assert.equal(key.apiKeyType, 'INFERENCE');
  assert.equal(key.consumptionLimit.usd, 1.5);
  const human = await server.run(['keys', 'create', '--description', 'second', '--type', 'admin'], { env: admin });
  assert.match(human.stdout, /^\S+\n$/, 'only the secret on stdout');
  assert.match(human.stderr, /Created ADMIN key/);
  const listed = await server.run(['keys', 'list'], { env: admin });
  assert.equal(listed.code, 0);
  assert.match(listed.stdout, new RegExp(`^${key.id}\\s+INFERENCE\\s+…${key.apiKey.slice(-6)}.*\\$1\\.50\\s+ci runner$`, 'm'));
  const works = await server.run(['quote', '--model', 'overture-sketch'], { env: { OVERTURE_API_KEY: key.apiKey } });
  assert.equal(works.code, 0, 'the new key authenticates');
  const deleted = await server.run(['keys', 'delete', key.id, '--json'], { env: admin });
  assert.deepEqual(JSON.parse(deleted.stdout), { success: true });
  const after = JSON.parse((await server.run(['keys', 'list', '--json'], { env: admin })).stdout);
  assert.ok(!after.data.some((row: { id: string }) => row.id === key.id));
  assert.equal((await server.run(['keys', 'rotate'], { env: admin })).code, 2);
});

test('speak writes the audio in the format the file name asks for', async () => {
  const result = await server.run([
    'speak',
    'Hello from the command line.',
    '-o',
    'hello.wav',
    '--model',
    'overture-tts',
    '--voice',
    'oscar',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const bytes = readFileSync(join(server.test.directory, 'hello.wav'));
  assert.equal(bytes.subarray(0, 4).toString('latin1'), 'RIFF');
  assert.match(result.stdout, /Wrote hello\.wav .*audio\/wav.* with overture-tts/);
  const json = await server.run(['speak', '-', '-o', 'stdin.mp3', '--json'], { input: 'Read from standard input.' });
  assert.equal(json.code, 0, json.stdout);
  assert.deepEqual(JSON.parse(json.stdout), {
    file: 'stdin.mp3',
    bytes: readFileSync(join(server.test.directory, 'stdin.mp3')).length,
    content_type: 'audio/mpeg',
    model: 'overture-tts',
    characters: 25,
  });
  assert.equal((await server.run(['speak', 'no output file'])).code, 2);
  assert.equal((await server.run(['speak', 'x', '-o', 'x.wav', '--voice', 'nobody'])).code, 6);
});

test('help, usage errors and unreachable servers', async () => {
  const help = await server.run(['--help']);
  assert.equal(help.code, 0);
  for (const word of ['generate', 'speak', 'keys', 'serve', 'Exit codes', '130']) assert.ok(help.stdout.includes(word), word);
  const generateHelp = await server.run(['generate', '--help']);
  assert.match(generateHelp.stdout, /--max-price USD/);
  assert.equal((await server.run(['help', 'keys'])).code, 0);
  assert.equal((await server.run([])).code, 2);
  const unknown = await server.run(['dance', '--json']);
  assert.equal(unknown.code, 2);
  assert.equal(JSON.parse(unknown.stdout).error.code, 'usage');
  assert.match((await server.run(['models', '--colour'])).stderr, /Unknown option --colour/);
  const down = await server.run(['models', '--base-url', 'http://127.0.0.1:9/api/v1', '--json']);
  assert.equal(down.code, 9);
});
