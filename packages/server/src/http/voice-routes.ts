import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseOrThrow } from '../domain/validation-error.js';
import type { AppServices } from './app-services.js';
import { authenticate } from './authenticate.js';

/** `GET /audio/voices?model=` */
export const voicesQuerySchema = z.object({ model: z.string().min(1) });

/**
 * Overture's `GET /api/v1/audio/voices?model=<id>` (any key): `{"object":"list","model","data":[{id,name,language}]}`,
 * the row's `voices`, or those its upstream lists when the row lists none; unknown models are the contract's 404.
 */
export function registerVoiceRoutes(app: FastifyInstance, services: AppServices): void {
  app.get('/api/v1/audio/voices', { preHandler: authenticate(services.authentication) }, async (request) =>
    services.voices.list(parseOrThrow(voicesQuerySchema, request.query).model),
  );
}
