import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildIfStale, type CliServer, GATED_MODEL, startCliServer } from './cli-harness.js';

let server: CliServer & { readonly fakes: { release(): void; waitingCount(): number } };

before(async () => {
  buildIfStale();
  server = await startCliServer({ gated: true });
});
after(() => server.close());

/** Queue a job on the gated model and wait until the engine holds it. */
async function runningJob(): Promise<string> {
  const waiting = server.fakes.waitingCount();
  const queued = (
    await server.test.request('POST', '/api/v1/audio/queue', { model: GATED_MODEL, prompt: 'rain on a tin roof', duration_seconds: 1 })
  ).json();
  for (let i = 0; i < 3000 && server.fakes.waitingCount() === waiting; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return queued.queue_id;
}

test('status shows a running job; watch follows it until cancel; cancel twice exits 10', async () => {
  const id = await runningJob();
  const status = await server.run(['status', id]);
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, new RegExp(`^${id} \\(${GATED_MODEL}\\): running · \\d+%.* held`));
  const json = JSON.parse((await server.run(['status', id, '--json'])).stdout);
  assert.equal(json.state, 'running');
  assert.ok(json.price_held_usd > 0);
  const watching = server.run(['watch', id, '--json']);
  await new Promise((resolve) => setTimeout(resolve, 700));
  const cancelled = await server.run(['cancel', id, '--json']);
  assert.equal(cancelled.code, 0, cancelled.stdout);
  assert.deepEqual(JSON.parse(cancelled.stdout), { success: true, queue_id: id, state: 'cancelled', was: 'running' });
  const watched = await watching;
  assert.equal(watched.code, 10, 'a cancelled job ends watch with 10');
  assert.equal(JSON.parse(watched.stdout).state, 'cancelled');
  assert.equal(watched.stderr, '');
  const again = await server.run(['cancel', id, '--model', GATED_MODEL, '--json']);
  assert.equal(again.code, 10);
  assert.equal(JSON.parse(again.stdout).error.code, 'not_cancellable');
  assert.equal((await server.run(['cancel', '00000000-0000-4000-8000-000000000000', '--model', GATED_MODEL])).code, 5);
  assert.equal((await server.run(['status', '00000000-0000-4000-8000-000000000000'])).code, 5);
});

test('watch prints each state on stderr without a terminal and exits 0 when the job is done', async () => {
  const id = await runningJob();
  let sawRunning: () => void = () => undefined;
  const running = new Promise<void>((resolve) => (sawRunning = resolve));
  const watching = server.run(['watch', id], { onStderr: (text) => text.includes('running') && sawRunning() });
  await Promise.race([running, watching]);
  server.fakes.release();
  const watched = await watching;
  assert.equal(watched.code, 0, watched.stderr);
  assert.match(watched.stderr, /^running · /m);
  assert.match(watched.stdout, new RegExp(`^${id} \\(${GATED_MODEL}\\): done · `));
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are what the test looks for
  assert.doesNotMatch(watched.stderr, /\r|\u001b\[/);
});

const usd = async () =>
  (await server.test.request('GET', '/api/v1/billing/balance', undefined, server.test.account.admin_key)).json().balances.usd as number;

/** Run `overture generate` on the gated model and send it SIGINT once it is running on the server. */
function interruptedGenerate(extra: readonly string[] = []) {
  let interrupted = false;
  return server.run(['generate', 'thunder far away', '--model', GATED_MODEL, '--duration', '1', '--yes', ...extra], {
    onStderr: (text, interrupt) => {
      if (!interrupted && /^running/m.test(text)) {
        interrupted = true;
        interrupt();
      }
    },
  });
}

test('Ctrl-C while generate waits cancels the job on the server: exit 130 and the hold is released', async () => {
  const before = await usd();
  const result = await interruptedGenerate();
  assert.equal(result.code, 130, result.stderr);
  const id = /Queued ([0-9a-f-]{36})/.exec(result.stderr)?.[1] ?? '';
  assert.match(result.stderr, new RegExp(`Cancelled job ${id} on the server; its \\$[0-9.]+ USD hold is released`));
  const status = (await server.test.request('GET', `/api/v1/audio/status/${id}`)).json();
  assert.equal(status.state, 'cancelled');
  assert.equal(await usd(), before, 'the whole price is back');
});

test('Ctrl-C with --keep-running exits 130 and says how to get the job later', async () => {
  const result = await interruptedGenerate(['--keep-running']);
  assert.equal(result.code, 130, result.stderr);
  assert.match(result.stderr, /Job [0-9a-f-]{36} keeps running: overture fetch [0-9a-f-]{36} --wait -o FILE/);
  const id = /Queued ([0-9a-f-]{36})/.exec(result.stderr)?.[1] ?? '';
  assert.equal((await server.test.request('GET', `/api/v1/audio/status/${id}`)).json().state, 'running');
  assert.equal((await server.run(['cancel', id])).code, 0);
});
