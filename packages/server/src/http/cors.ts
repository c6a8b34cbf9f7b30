import type { FastifyReply, FastifyRequest } from 'fastify';

const EXPOSED = [
  'x-venice-audio-format',
  'x-venice-audio-duration',
  'x-venice-inference-time',
  'x-venice-model-id',
  'x-venice-balance-usd',
  'x-venice-balance-diem',
  'x-ratelimit-limit-requests',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-reset-requests',
  'retry-after',
  'x-request-id',
  'idempotent-replayed',
  'x-audio-sample-rate',
  'x-audio-channels',
  'x-audio-encoding',
  'x-balance-remaining',
  'payment-required',
  'payment-response',
].join(', ');

/**
 * CORS for browser clients: every origin may call the API with a bearer key (no cookies are
 * used, so credentials are never allowed); preflights answer 204. Returns the per-request step
 * (run from the server's one onRequest hook); it is true when it answered the request itself.
 */
export function corsStep(allowedOrigin: string): (request: FastifyRequest, reply: FastifyReply) => boolean {
  return (request, reply) => {
    const origin = request.headers.origin;
    if (!origin) return false;
    reply.header('access-control-allow-origin', allowedOrigin === '*' ? '*' : allowedOrigin);
    reply.header('access-control-expose-headers', EXPOSED);
    if (allowedOrigin !== '*') reply.header('vary', 'Origin');
    if (request.method !== 'OPTIONS') return false;
    reply.header('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS');
    reply.header(
      'access-control-allow-headers',
      'authorization, content-type, idempotency-key, last-event-id, sign-in-with-x, x-sign-in-with-x, payment-signature, x-payment',
    );
    reply.header('access-control-max-age', '86400');
    reply.code(204).send();
    return true;
  };
}
