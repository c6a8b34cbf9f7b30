/**
 * The CLI against a server of the plain contract: a loopback proxy in front of the real server
 * that answers Overture's status routes (`/audio/status/…`, and so its event stream) with the 404
 * of an unknown route, as Venice's API does — its public audio API is quote, queue, retrieve and
 * complete only (/work/shared/spec/contract.md; docs/api.md). Everything else is forwarded.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildIfStale, type CliServer, GATED_MODEL, startCliServer } from './cli-harness.js';

let server: CliServer & { readonly fakes: { release(): void; waitingCount(): number } };
let proxy: Server;
let proxyUrl = '';
const seen: string[] = [];

before(async () => {
  buildIfStale();
  server = await startCliServer({ gated: true });
  const target = new URL(server.baseUrl).origin;
  proxy = createServer(async (request, response) => {
    seen.push(request.url ?? '');
    if ((request.url ?? '').includes('/audio/status/')) {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Not found' }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'host'),
    );
    const method = request.method ?? 'GET';
    const answer = await fetch(`${target}${request.url}`, { method, headers, body: chunks.length > 0 ? Buffer.concat(chunks) : undefined });
    const body = Buffer.from(await answer.arrayBuffer());
    const forwarded: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name)) forwarded[name] = value;
    });
    response.writeHead(answer.status, { ...forwarded, 'content-length': String(body.length) }).end(body);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/api/v1`;
});
after(async () => {
  await new Promise((resolve) => proxy.close(resolve));
  await server.close();
});

async function runningJob(): Promise<string> {
  const waiting = server.fakes.waitingCount();
  const body = { model: GATED_MODEL, prompt: 'rain on a tin roof', duration_seconds: 1 };
  const queued = (await server.test.request('POST', '/api/v1/audio/queue', body)).json();
  for (let i = 0; i < 3000 && server.fakes.waitingCount() === waiting; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return queued.queue_id;
}

test('without a status route, watch and fetch need --model and then poll retrieve until the job is done', async () => {
  const id = await runningJob();
  const env = { OVERTURE_BASE_URL: proxyUrl };
  const noModel = await server.run(['watch', id], { env });
  assert.equal(noModel.code, 2, noModel.stderr);
  assert.match(noModel.stderr, /no status stream: pass --model M/);
  assert.equal((await server.run(['fetch', id, '--wait'], { env })).code, 2);
  let polled: () => void = () => undefined;
  const polling = new Promise<void>((resolve) => (polled = resolve));
  const watching = server.run(['watch', id, '--model', GATED_MODEL, '--json'], { env });
  const fetching = server.run(['fetch', id, '--model', GATED_MODEL, '--wait', '-o', 'polled.wav'], {
    env,
    onStderr: (text) => text.includes('processing') && polled(),
  });
  await polling;
  server.fakes.release();
  const watched = await watching;
  assert.equal(watched.code, 0, watched.stderr + watched.stdout);
  assert.equal(JSON.parse(watched.stdout).status, 'COMPLETED');
  const fetched = await fetching;
  assert.equal(fetched.code, 0, fetched.stderr);
  assert.equal(readFileSync(join(server.test.directory, 'polled.wav')).subarray(0, 4).toString('latin1'), 'RIFF');
  assert.ok(
    seen.some((url) => url.endsWith('/audio/status/' + id + '/events')),
    'the stream was tried first',
  );
  assert.ok(seen.filter((url) => url.endsWith('/audio/retrieve')).length >= 3, 'then retrieve was polled');
});
