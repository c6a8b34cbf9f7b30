import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { BatchedServerResponse } from '../../src/http/response-batch.js';

/** A response to a GET that is not attached to a socket: what it writes stays in its buffer. */
function detached<T extends BatchedServerResponse>(Kind: new (request: IncomingMessage) => T = BatchedServerResponse as never): T {
  return new Kind({ method: 'GET', httpVersionMajor: 1, httpVersionMinor: 1, headers: {} } as IncomingMessage);
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

test('a held end runs after the turn, in the order of the calls, with its arguments', async () => {
  const released: unknown[][] = [];
  class Recording extends BatchedServerResponse {
    override release(args: unknown[]): void {
      released.push(args);
      super.release(args);
    }
  }
  const first = detached(Recording);
  const second = detached(Recording);
  const callback = () => undefined;
  assert.equal(second.end('2', callback), second, 'end returns the response');
  assert.equal(first.end('1'), first);
  assert.equal(first.writableEnded, false, 'nothing is ended within the turn');
  assert.equal(second.writableEnded, false);
  assert.deepEqual(released, []);
  await nextTurn();
  assert.deepEqual(released, [['2', callback], ['1']]);
  assert.equal(first.writableEnded, true);
  assert.equal(second.writableEnded, true);
});

test('after its flush a response ends at once, like any other', async () => {
  const response = detached();
  response.end();
  await nextTurn();
  let error: unknown;
  response.once('error', (raised) => {
    error = raised;
  });
  response.end('more');
  await nextTurn();
  assert.match(String(error), /write after end/, 'a second end is refused by Node, not held again');
});

test('an end that throws destroys its response and the others are still written', async () => {
  class Failing extends BatchedServerResponse {
    override release(): void {
      throw new Error('socket gone');
    }
  }
  const broken = detached(Failing);
  const fine = detached();
  broken.end('lost');
  fine.end('kept');
  await nextTurn();
  assert.equal(broken.destroyed, true);
  assert.equal(fine.writableEnded, true);
});

test('over real sockets, many concurrent requests each get their own complete answer', async () => {
  const server = createServer({ ServerResponse: BatchedServerResponse }, (request, response) => {
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
