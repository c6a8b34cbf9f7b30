import type { ApiError } from '../domain/api-error.js';
import type { Principal } from '../services/principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on routes that take a key. */
    principal?: Principal;
    /** Set for wallet principals: turns a bearer-key 402 into x402's `PAYMENT_REQUIRED` answer. */
    rewriteError?: (error: ApiError) => ApiError;
  }
}
