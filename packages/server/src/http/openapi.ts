import { z } from 'zod';
import {
  cancelBodySchema,
  completeBodySchema,
  createKeyBodySchema,
  queueBodySchema,
  quoteBodySchema,
  retrieveBodySchema,
  speechBodySchema,
} from '../domain/request-schemas.js';

const body = (schema: z.ZodType) => ({
  required: true,
  content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } },
});
const errorResponse = {
  description: 'Error',
  content: { 'application/json': { schema: { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] } } },
};
const json = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const audio = {
  description: 'Audio bytes',
  content: Object.fromEntries(
    ['audio/mpeg', 'audio/wav', 'audio/flac', 'audio/opus', 'audio/pcm'].map((type) => [
      type,
      { schema: { type: 'string', format: 'binary' } },
    ]),
  ),
};

const operation = (summary: string, schema: z.ZodType | undefined, ok: object, secured = true) => ({
  summary,
  ...(secured ? { security: [{ bearer: [] }] } : {}),
  ...(schema ? { requestBody: body(schema) } : {}),
  responses: {
    '200': ok,
    '400': errorResponse,
    '401': errorResponse,
    '402': errorResponse,
    '404': errorResponse,
    '429': errorResponse,
    '500': errorResponse,
  },
});

/** OpenAPI 3.1, generated from the same zod schemas that validate requests. */
export function buildOpenApi(): object {
  return {
    openapi: '3.1.0',
    info: { title: 'Overture audio API', version: '0.1.0', description: "Venice AI's asynchronous audio API, self-hosted." },
    servers: [{ url: '/api/v1' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths: {
      '/models': {
        get: {
          ...operation('List models', undefined, json('Model list'), false),
          parameters: [{ name: 'type', in: 'query', schema: { type: 'string' } }],
        },
      },
      '/audio/quote': { post: operation('Price a job', quoteBodySchema, json('{"quote": usd}'), false) },
      '/audio/queue': {
        post: operation('Queue a job (reserves its price)', queueBodySchema, json('{"model","queue_id","status":"QUEUED"}')),
      },
      '/audio/retrieve': {
        post: operation('Status, then the audio', retrieveBodySchema, { ...audio, description: 'PROCESSING JSON or the audio bytes' }),
      },
      '/audio/complete': { post: operation('Delete the media and finalise', completeBodySchema, json('{"success": bool}')) },
      '/audio/speech': { post: operation('Synchronous speech', speechBodySchema, audio) },
      '/audio/cancel': {
        post: operation('Overture: cancel a job and release its hold', cancelBodySchema, json('{"success","queue_id","state","was"}')),
      },
      '/audio/status/{queue_id}': {
        get: {
          ...operation('Overture: live status of a job', undefined, json('Status')),
          parameters: [{ name: 'queue_id', in: 'path', required: true, schema: { type: 'string' } }],
        },
      },
      '/audio/status/{queue_id}/events': {
        get: {
          ...operation('Overture: live status as Server-Sent Events', undefined, { description: 'text/event-stream' }),
          parameters: [{ name: 'queue_id', in: 'path', required: true, schema: { type: 'string' } }],
        },
      },
      '/audio/status/{queue_id}/webhooks': {
        get: {
          ...operation("Overture: the job's webhook delivery log", undefined, json('Deliveries')),
          parameters: [{ name: 'queue_id', in: 'path', required: true, schema: { type: 'string' } }],
        },
      },
      '/audio/voices': {
        get: {
          ...operation(
            "Overture: a model's voices (the row's, or its upstream's)",
            undefined,
            json('{"object":"list","model","data":[{"id","name","language"}]}'),
          ),
          parameters: [{ name: 'model', in: 'query', required: true, schema: { type: 'string' } }],
        },
      },
      '/webhooks/secret': { get: operation('Overture: the webhook signing secret (admin key)', undefined, json('{"secret":"whsec_…"}')) },
      '/billing/balance': { get: operation('Balance (admin key)', undefined, json('Balance')) },
      '/api_keys/rate_limits': { get: operation('Rate limits and balances', undefined, json('Rate limits')) },
      '/x402/top-up': {
        post: {
          ...operation(
            'x402: top up a wallet (402 with payment options until a PAYMENT-SIGNATURE header carries a payment)',
            undefined,
            json('{"success":true,"data":{"walletAddress","amountCredited","newBalance","paymentId"}}'),
            false,
          ),
          parameters: [{ name: 'PAYMENT-SIGNATURE', in: 'header', schema: { type: 'string' } }],
        },
      },
      '/x402/balance/{walletAddress}': {
        get: {
          ...operation('x402: a wallet balance (SIGN-IN-WITH-X of the same wallet)', undefined, json('{"success":true,"data":{…}}'), false),
          parameters: [
            { name: 'walletAddress', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'SIGN-IN-WITH-X', in: 'header', required: true, schema: { type: 'string' } },
          ],
        },
      },
      '/api_keys': {
        get: operation('List keys (admin key)', undefined, json('Keys')),
        post: operation('Create a key (admin key)', createKeyBodySchema, json('The new key, shown once')),
        delete: {
          ...operation('Delete a key (admin key)', undefined, json('{"success":true}')),
          parameters: [{ name: 'id', in: 'query', required: true, schema: { type: 'string' } }],
        },
      },
    },
  };
}

/** A self-contained HTML page listing the API from the OpenAPI document (no CDN). */
export function renderDocsPage(document: { paths: Record<string, Record<string, { summary: string }>> }): string {
  const rows = Object.entries(document.paths)
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(
        ([method, op]) =>
          `<tr><td><code>${method.toUpperCase()}</code></td><td><code>/api/v1${path}</code></td><td>${op.summary}</td></tr>`,
      ),
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Overture API</title>
<style>body{font-family:system-ui,sans-serif;max-width:900px;margin:2rem auto;padding:0 1rem}td{padding:.3rem .8rem;border-bottom:1px solid #ddd}</style></head>
<body><h1>Overture audio API</h1><p>The machine-readable description is at <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
<table>${rows}</table></body></html>`;
}
