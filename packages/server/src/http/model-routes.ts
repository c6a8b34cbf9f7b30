import type { FastifyInstance } from 'fastify';
import { modelsQuerySchema } from '../domain/request-schemas.js';
import { parseOrThrow } from '../domain/validation-error.js';
import type { AppServices } from './app-services.js';
import { authenticate } from './authenticate.js';

/** `GET /models?type=`: the public rows of the catalog (engine bindings stay private). */
export function registerModelRoutes(app: FastifyInstance, services: AppServices): void {
  const rows = services.catalog.models.map((model) => ({
    id: model.id,
    type: model.type,
    object: 'model' as const,
    owned_by: model.owned_by,
    created: model.created,
    model_spec: model.model_spec,
  }));
  app.get('/api/v1/models', { preHandler: authenticate(services.authentication, { optional: true }) }, async (request) => {
    const { type } = parseOrThrow(modelsQuerySchema, request.query);
    return { object: 'list', type, data: type === 'all' ? rows : rows.filter((row) => row.type === type) };
  });
}
