import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { batchResponseEnd } from '../../src/http/response-batch.js';

/** A stand-in with the one member batching touches: `end`, recording its calls in `log`. */
function fakeResponse(name: string, log: string[], fail = false): ServerResponse {
  const response = {
    end(this: ServerResponse, body?: string) {
      if (fail) throw new Error('socket gone');
      log.push(`${name}:${body}`);
      return this;
    },
    destroyed: undefined as Error | undefined,
    destroy(error: Error) {
      this.destroyed = error;
    },
  };
  return response as unknown as ServerResponse;
}

test('a held end is written after the turn, in order, with its arguments; its return value is the response', async () => {
  const log: string[] = [];
  const first = fakeResponse('a', log);
  const second = fakeResponse('b', log);
  batchResponseEnd(first);
  batchResponseEnd(second);
  assert.equal(second.end('2'), second);
  assert.equal(first.end('1'), first);
  assert.deepEqual(log, [], 'nothing is written within the turn');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(log, ['b:2', 'a:1']);
  // After its flush a response's end is its own again: a second end goes straight through.
  first.end('again');
  assert.deepEqual(log, ['b:2', 'a:1', 'a:again']);
});

test('an end that throws destroys its response and the others are still written', async () => {
  const log: string[] = [];
  const broken = fakeResponse('x', log, true);
  const fine = fakeResponse('y', log);
  batchResponseEnd(broken);
  batchResponseEnd(fine);
  broken.end('lost');
  fine.end('kept');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(log, ['y:kept']);
  assert.match(String((broken as unknown as { destroyed: Error }).destroyed), /socket gone/);
});

test('over real sockets, many concurrent requests each get their own complete answer', async () => {
  const server = createServer((request, response) => {
    batchResponseEnd(response);
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      const payload = JSON.stringify({ echo: body, url: request.url });
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
      response.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    const ask = (index: number) =>
      new Promise<{ echo: string; url: string }>((resolve, reject) => {
        const sent = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: `/r/${index}` }, (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            text += chunk;
          });
          response.on('end', () => resolve(JSON.parse(text)));
        });
        sent.on('error', reject);
        sent.end(`body ${index}`);
      });
    const answers = await Promise.all(Array.from({ length: 64 }, (_, index) => ask(index)));
    assert.deepEqual(
      answers,
      answers.map((_, index) => ({ echo: `body ${index}`, url: `/r/${index}` })),
    );
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
