import type { FastifyInstance } from 'fastify';
import { cogWebhooks } from '../engines/cog/cog-webhooks.js';

/**
 * Callbacks from upstreams that push their results instead of being polled: Cog posts a
 * prediction's state to `webhook_url/<prediction id>?token=…` (the `cog` adapter's webhook mode),
 * and this hands it to the engine call waiting on it in this process. 204 when taken, 404 when
 * the token does not match or nothing here can use it (Cog retries terminal webhooks).
 * Outside `/api/v1`: no API key, the token (an HMAC of the id under the instance's key) is the check.
 */
export function registerEngineCallbackRoutes(app: FastifyInstance, options: { readonly bodyLimit: number }): void {
  app.post<{ Params: { id: string }; Querystring: { token?: string } }>(
    '/engines/cog/webhooks/:id',
    { bodyLimit: options.bodyLimit },
    async (request, reply) => {
      const taken = cogWebhooks.deliver(request.params.id, request.query.token, request.body);
      return reply.code(taken ? 204 : 404).send();
    },
  );
}
