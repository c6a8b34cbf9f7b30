/** Baseline child: a bare `node:http` hello-world that reads the body and answers a small JSON. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const payload = Buffer.from('{"status":"ok"}');
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': payload.length });
    response.end(payload);
  });
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
