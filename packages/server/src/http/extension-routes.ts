import { hijackWithHead } from './request-basics.js';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../domain/api-error.js';
import { isPending } from '../domain/job-state.js';
import { statusEventId, statusPollMs } from '../domain/job-status.js';
import { cancelBodySchema } from '../domain/request-schemas.js';
import { parseOrThrow } from '../domain/validation-error.js';
import type { AppServices } from './app-services.js';
import { authenticate } from './authenticate.js';

const KEEP_ALIVE_MS = 15_000;

/**
 * Overture's extensions beyond the contract: cancel, job history, live status (JSON and Server-Sent
 * Events), a job's webhook delivery log, and the account's webhook signing secret.
 */
export function registerExtensionRoutes(app: FastifyInstance, services: AppServices): void {
  const keyed = authenticate(services.authentication);

  app.post('/api/v1/audio/cancel', { preHandler: keyed }, async (request) =>
    services.queue.cancel(request.principal!, parseOrThrow(cancelBodySchema, request.body)),
  );

  app.get<{ Params: { id: string } }>('/api/v1/audio/status/:id', { preHandler: keyed }, async (request) =>
    services.queue.status(request.principal!, request.params.id),
  );

  app.get('/api/v1/audio/jobs', { preHandler: keyed }, async (request) => services.queue.history(request.principal!, request.query));

  app.get<{ Params: { id: string } }>('/api/v1/audio/status/:id/webhooks', { preHandler: keyed }, async (request) =>
    services.queue.deliveries(request.principal!, request.params.id),
  );

  app.get('/api/v1/webhooks/secret', { preHandler: authenticate(services.authentication, { admin: true }) }, async (request) => ({
    secret: await services.accounts.webhookSecret(request.principal!.account.id),
  }));

  app.get<{ Params: { id: string } }>('/api/v1/audio/status/:id/events', { preHandler: keyed }, async (request, reply) => {
    const principal = request.principal!;
    let view = await services.queue.status(principal, request.params.id);
    const raw = hijackWithHead(reply, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    let closed = false;
    request.raw.once('close', () => (closed = true));
    raw.once('close', () => (closed = true));
    raw.write('retry: 1000\n\n');
    let lastId = typeof request.headers['last-event-id'] === 'string' ? request.headers['last-event-id'] : undefined;
    let lastWrite = Date.now();
    while (!closed) {
      const id = statusEventId(view);
      if (id !== lastId) {
        raw.write(`id: ${id}\nevent: status\ndata: ${JSON.stringify(view)}\n\n`);
        lastId = id;
        lastWrite = Date.now();
      } else if (Date.now() - lastWrite >= KEEP_ALIVE_MS) {
        raw.write(': keep-alive\n\n');
        lastWrite = Date.now();
      }
      if (!isPending(view.state)) break;
      await new Promise((resolve) => setTimeout(resolve, statusPollMs(view, services.statusStream)));
      try {
        view = await services.queue.status(principal, request.params.id);
      } catch (error) {
        if (!(error instanceof ApiError)) request.log.error({ err: error, reqId: request.id }, 'status stream failed');
        break;
      }
    }
    raw.end();
  });
}
