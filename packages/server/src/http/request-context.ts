import type { Principal } from '../services/principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on routes that take a key. */
    principal?: Principal;
  }
}
