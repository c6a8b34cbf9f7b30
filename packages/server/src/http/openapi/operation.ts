import { z } from 'zod';

/** How a route is guarded, which fixes its `security` and the headers its answers carry. */
export type Guard = 'public' | 'optional-key' | 'key' | 'admin-key' | 'wallet' | 'operator' | 'metrics' | 'none';

/** What one operation of the document says, before it is expanded. */
export interface OperationSpec {
  readonly id: string;
  readonly summary: string;
  readonly tag: string;
  readonly guard: Guard;
  readonly description?: string;
  readonly body?: z.ZodType;
  readonly query?: z.ZodObject;
  readonly path?: readonly string[];
  /** Header (or hand-written query) parameters. */
  readonly parameters?: readonly object[];
  /** The success answers by status; a schema name means JSON of that component schema. */
  readonly ok: Readonly<Record<string, string | object>>;
  /** Error statuses besides those the guard brings (400 is implied by a body or query). */
  readonly errors?: readonly number[];
}

const toSchema = (schema: z.ZodType) => {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return json;
};
const header = (name: string) => ({ $ref: `#/components/headers/${name}` });
const RATE_HEADERS = {
  'x-ratelimit-limit-requests': header('RateLimitLimit'),
  'x-ratelimit-remaining-requests': header('RateLimitRemaining'),
  'x-ratelimit-reset-requests': header('RateLimitReset'),
};
const BALANCE_HEADERS = { 'x-venice-balance-usd': header('BalanceUsd'), 'x-venice-balance-diem': header('BalanceDiem') };
const keyed = (guard: Guard) => ['optional-key', 'key', 'admin-key', 'wallet'].includes(guard);
const SECURITY: Record<Guard, object[]> = {
  public: [],
  none: [],
  'optional-key': [{}, { apiKey: [] }],
  key: [{ apiKey: [] }],
  'admin-key': [{ apiKey: [] }],
  wallet: [{ signInWithX: [] }],
  operator: [{ operatorToken: [] }],
  metrics: [{}, { metricsToken: [] }],
};
const GUARD_ERRORS: Record<Guard, number[]> = {
  public: [],
  none: [],
  'optional-key': [401, 429],
  key: [401, 429],
  'admin-key': [401, 429],
  wallet: [401, 402, 429],
  operator: [401],
  metrics: [401],
};

/** The headers every keyed answer carries: the rate limit of the route's family and the balance. */
export function keyedHeaders(guard: Guard): Record<string, object> {
  return keyed(guard) ? { ...RATE_HEADERS, ...BALANCE_HEADERS } : {};
}

/** One path parameter. */
export const pathParameter = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });

/** Query parameters from the zod object schema that validates the query. */
export function queryParameters(schema: z.ZodObject) {
  const json = toSchema(schema) as { properties?: Record<string, { description?: string }>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    ...(property.description ? { description: property.description } : {}),
    schema: property,
  }));
}

/** Expand a spec into an OpenAPI operation object. */
export function operation(spec: OperationSpec): object {
  const extra = keyedHeaders(spec.guard);
  const responses: Record<string, object> = {};
  for (const [status, answer] of Object.entries(spec.ok)) {
    if (typeof answer === 'string')
      responses[status] = {
        description: answer,
        headers: extra,
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${answer}` } } },
      };
    else if ('$ref' in answer) responses[status] = answer;
    else responses[status] = { ...answer, headers: { ...extra, ...((answer as { headers?: object }).headers ?? {}) } };
  }
  const errors = new Set([...GUARD_ERRORS[spec.guard], ...(spec.errors ?? [])]);
  if (spec.body || spec.query) errors.add(400);
  if (spec.body) errors.add(415).add(413);
  for (const status of [...errors].sort()) responses[String(status)] = { $ref: `#/components/responses/Error${status}` };
  responses['500'] = { $ref: '#/components/responses/Error500' };
  const parameters = [
    ...(spec.path ?? []).map(pathParameter),
    ...(spec.query ? queryParameters(spec.query) : []),
    ...(spec.parameters ?? []),
  ];
  return {
    operationId: spec.id,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    security: SECURITY[spec.guard],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(spec.body) } } } } : {}),
    responses,
  };
}

/** Expand a table of specs into OpenAPI path items. */
export function pathItems(table: Record<string, Record<string, OperationSpec>>): Record<string, Record<string, object>> {
  return Object.fromEntries(
    Object.entries(table).map(([path, methods]) => [
      path,
      Object.fromEntries(Object.entries(methods).map(([method, spec]) => [method, operation(spec)])),
    ]),
  );
}
