import { JOB_STATES } from '../../domain/job-state.js';

/** JSON Schema helpers for the answers (the requests come from the zod schemas that validate them). */
const string = { type: 'string' } as const;
const number = { type: 'number' } as const;
const integer = { type: 'integer' } as const;
const boolean = { type: 'boolean' } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });
const object = (properties: Record<string, object>, required: readonly string[] = Object.keys(properties)) => ({
  type: 'object',
  properties,
  required: [...required],
});
const list = (item: object, extra: Record<string, object> = {}) =>
  object({ object: { const: 'list' }, data: { type: 'array', items: item }, ...extra });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const jobStatusProperties = {
  queue_id: string,
  model: string,
  state: { type: 'string', enum: [...JOB_STATES] },
  attempt: integer,
  queue_position: nullable(integer),
  progress: { type: 'number', minimum: 0, maximum: 1 },
  stage: nullable(string),
  eta_ms: nullable(integer),
  price_usd: number,
  price_held_usd: number,
  currency: { type: 'string', enum: ['USD', 'DIEM'] },
  created_at: dateTime,
  started_at: nullable(dateTime),
  finished_at: nullable(dateTime),
  media_expires_at: nullable(dateTime),
  error: nullable({ type: 'object', properties: { status: integer, error: string }, additionalProperties: true }),
};

/** The reusable answer schemas of the document, by name. */
export const RESPONSE_SCHEMAS = {
  Error: {
    type: 'object',
    description: "The contract's error body: a message, and for some errors more fields.",
    properties: {
      error: string,
      details: { type: 'object', additionalProperties: true, description: 'Field-by-field problems of a 400 (zod `flatten()` shape).' },
      issues: { type: 'array', items: { type: 'object', additionalProperties: true }, description: 'The individual validation issues.' },
      suggested_prompt: { type: 'string', description: 'A content-policy refusal (422) may suggest a rewording.' },
      reason: { type: 'string', description: 'Why a wallet sign-in was refused.' },
    },
    required: ['error'],
    additionalProperties: true,
  },
  Model: object({
    id: string,
    type: string,
    object: { const: 'model' },
    owned_by: string,
    created: integer,
    model_spec: { type: 'object', additionalProperties: true, description: 'Pricing, constraints, voices and capabilities.' },
  }),
  ModelList: list(ref('Model'), { type: string }),
  Quote: object({ quote: number, quote_id: string, expires_at: dateTime }, ['quote']),
  QueueAnswer: object({ model: string, queue_id: string, status: { const: 'QUEUED' } }),
  Processing: object({
    status: { const: 'PROCESSING' },
    average_execution_time: { type: 'number', description: 'Milliseconds a job like this usually takes (p80).' },
    execution_duration: { type: 'number', description: 'Milliseconds since the job was queued.' },
  }),
  Success: object({ success: boolean }),
  CancelAnswer: {
    anyOf: [
      object({
        success: { const: true },
        queue_id: string,
        state: { const: 'cancelled' },
        was: { type: 'string', enum: ['queued', 'running'] },
      }),
      object({ success: { const: false }, queue_id: string, state: { type: 'string', enum: [...JOB_STATES] }, message: string }),
    ],
  },
  JobStatus: object(jobStatusProperties),
  JobHistoryEntry: object({
    ...jobStatusProperties,
    prompt: string,
    format: nullable(string),
    duration_seconds: nullable(number),
    media_available: boolean,
  }),
  JobHistoryPage: list(ref('JobHistoryEntry'), { has_more: boolean, next_cursor: nullable(string) }),
  WebhookDeliveries: list(
    object({
      id: string,
      event: string,
      url: string,
      state: string,
      attempts: integer,
      last_status: nullable(integer),
      last_error: nullable(string),
      created_at: dateTime,
      delivered_at: nullable(dateTime),
      next_attempt_at: nullable(dateTime),
    }),
  ),
  Voices: list(object({ id: string, name: string, language: nullable(string) }, ['id', 'name']), { model: string }),
  WebhookSecret: object({ secret: string }),
  Balance: object({
    canConsume: boolean,
    consumptionCurrency: nullable({ type: 'string', enum: ['USD', 'DIEM'] }),
    balances: object({ diem: number, usd: number }),
    diemEpochAllocation: number,
  }),
  RateLimits: object({ data: { type: 'object', additionalProperties: true } }),
  ApiKey: {
    type: 'object',
    additionalProperties: true,
    properties: { id: string, apiKeyType: { type: 'string', enum: ['ADMIN', 'INFERENCE'] } },
  },
  ApiKeyList: list(ref('ApiKey')),
  CreatedApiKey: object({ success: boolean, data: ref('ApiKey') }),
  WalletAnswer: object({ success: boolean, data: { type: 'object', additionalProperties: true } }),
  Health: object({ status: string }),
  Readiness: {
    type: 'object',
    properties: { status: { type: 'string', enum: ['ready', 'not ready'] } },
    required: ['status'],
    additionalProperties: true,
  },
  Account: object({
    account_id: string,
    name: string,
    pro: boolean,
    diem_daily: number,
    usd: { type: 'object', additionalProperties: number },
    diem: { type: 'object', additionalProperties: number },
  }),
  CreatedAccount: object({ account_id: string, admin_key: string, inference_key: string }),
  Payments: object({ data: { type: 'array', items: { type: 'object', additionalProperties: true } } }),
  Costs: object({
    from: dateTime,
    to: dateTime,
    data: { type: 'array', items: { type: 'object', additionalProperties: true } },
    total: { type: 'object', additionalProperties: true },
  }),
} as const;
