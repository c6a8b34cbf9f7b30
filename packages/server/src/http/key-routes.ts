import type { FastifyInstance } from 'fastify';
import { ApiError } from '../domain/api-error.js';
import { fromMicros, type Micros } from '../domain/money.js';
import { createKeyBodySchema, deleteKeyQuerySchema } from '../domain/request-schemas.js';
import { invalidParameters, parseOrThrow } from '../domain/validation-error.js';
import { checkWebhookUrl } from '../services/webhook-target.js';
import type { AppServices } from './app-services.js';
import { authenticate } from './authenticate.js';

const limitsOf = (usd: Micros | null, diem: Micros | null) => ({
  usd: usd === null ? null : fromMicros(usd),
  diem: diem === null ? null : fromMicros(diem),
  vcu: null,
});

/** Key management with an admin key: `POST /api_keys`, `GET /api_keys`, `DELETE /api_keys?id=`. */
export function registerKeyRoutes(app: FastifyInstance, services: AppServices): void {
  const admin = authenticate(services.authentication, { admin: true });

  app.post('/api/v1/api_keys', { preHandler: admin }, async (request) => {
    const body = parseOrThrow(createKeyBodySchema, request.body);
    const expiresAt = body.expiresAt ? Date.parse(body.expiresAt) : null;
    const webhookProblem = body.webhookUrl === undefined ? undefined : checkWebhookUrl(body.webhookUrl, services.webhookAllowPrivate);
    if (webhookProblem) throw invalidParameters([{ path: ['webhookUrl'], message: webhookProblem }]);
    const { secret, key } = await services.accounts.keys.issue(request.principal!.account.id, {
      type: body.apiKeyType,
      description: body.description,
      limits: body.consumptionLimit ?? {},
      expiresAt,
      webhookUrl: body.webhookUrl ?? null,
    });
    return {
      success: true,
      data: {
        id: key.id,
        apiKey: secret,
        apiKeyType: key.type,
        description: key.description,
        expiresAt: key.expiresAt === null ? null : new Date(key.expiresAt).toISOString(),
        consumptionLimit: limitsOf(key.limitUsd, key.limitDiem),
        ...(key.webhookUrl ? { webhookUrl: key.webhookUrl } : {}),
      },
    };
  });

  app.get('/api/v1/api_keys', { preHandler: admin }, async (request) => {
    const keys = await services.accounts.keys.list(request.principal!.account.id);
    const data = keys.map(({ key, usage }) => ({
      id: key.id,
      apiKeyType: key.type,
      description: key.description,
      createdAt: new Date(key.createdAt).toISOString(),
      expiresAt: key.expiresAt === null ? null : new Date(key.expiresAt).toISOString(),
      last6Chars: key.lastChars,
      consumptionLimits: limitsOf(key.limitUsd, key.limitDiem),
      usage: { epoch: { usd: fromMicros(usage.usd), diem: fromMicros(usage.diem) } },
    }));
    return { object: 'list', data };
  });

  app.delete('/api/v1/api_keys', { preHandler: admin }, async (request) => {
    const { id } = parseOrThrow(deleteKeyQuerySchema, request.query);
    // No key id holds a NUL byte, and PostgreSQL refuses one in any text: an unknown key, not a 500.
    if (id.includes('\u0000')) throw new ApiError('key_not_found');
    if (!(await services.accounts.keys.delete(request.principal!.account.id, id))) throw new ApiError('key_not_found');
    services.authentication.credentials.forgetKey(id);
    return { success: true };
  });
}
