import type { OperationSpec } from './operation.js';

const text = (type: string, description: string) => ({ description, content: { [type]: { schema: { type: 'string' } } } });

/** Health, metrics, the reference itself, the playground and engine callbacks. */
export const OPERATIONS_OPERATIONS: Record<string, Record<string, OperationSpec>> = {
  '/healthz': { get: { id: 'getHealth', summary: 'Liveness', tag: 'Operations', guard: 'public', ok: { 200: 'Health' } } },
  '/readyz': {
    get: {
      id: 'getReadiness',
      summary: 'Readiness: 200 while the store answers, with engine health',
      tag: 'Operations',
      guard: 'public',
      ok: {
        200: 'Readiness',
        503: { description: 'Not ready', content: { 'application/json': { schema: { $ref: '#/components/schemas/Readiness' } } } },
      },
    },
  },
  '/metrics': {
    get: {
      id: 'getMetrics',
      summary: 'Prometheus metrics',
      tag: 'Operations',
      guard: 'metrics',
      ok: { 200: text('text/plain', 'Prometheus text format 0.0.4') },
    },
  },
  '/openapi.json': {
    get: {
      id: 'getOpenApi',
      summary: 'This document',
      tag: 'Operations',
      guard: 'public',
      ok: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } },
    },
  },
  '/docs': {
    get: {
      id: 'getApiReference',
      summary: 'The interactive API reference',
      tag: 'Operations',
      guard: 'public',
      ok: { 200: text('text/html', 'The page') },
    },
  },
  '/docs/assets/{file}': {
    get: {
      id: 'getApiReferenceAsset',
      summary: "The reference page's scripts and styles",
      tag: 'Operations',
      guard: 'public',
      path: ['file'],
      ok: {
        200: {
          description: 'A script or a stylesheet',
          content: { 'text/javascript': { schema: { type: 'string' } }, 'text/css': { schema: { type: 'string' } } },
        },
      },
      errors: [404],
    },
  },
  '/': {
    get: {
      id: 'getPlayground',
      summary: 'The web playground',
      tag: 'Operations',
      guard: 'public',
      ok: { 200: text('text/html', 'The page'), 503: { $ref: '#/components/responses/Error503' } },
    },
  },
  '/playground/playground.js': {
    get: {
      id: 'getPlaygroundScript',
      summary: "The playground's script",
      tag: 'Operations',
      guard: 'public',
      ok: { 200: text('text/javascript', 'The script') },
    },
  },
  '/playground/playground.css': {
    get: {
      id: 'getPlaygroundStyles',
      summary: "The playground's styles",
      tag: 'Operations',
      guard: 'public',
      ok: { 200: text('text/css', 'The stylesheet') },
    },
  },
  '/engines/cog/webhooks/{id}': {
    post: {
      id: 'deliverCogWebhook',
      summary: 'Callback of a Cog upstream (the `token` query authenticates it)',
      tag: 'Engines',
      guard: 'none',
      path: ['id'],
      parameters: [
        {
          name: 'token',
          in: 'query',
          required: false,
          description: 'HMAC of the prediction id under the instance key.',
          schema: { type: 'string' },
        },
      ],
      ok: { 204: { description: 'Taken' } },
      errors: [404],
    },
  },
};
