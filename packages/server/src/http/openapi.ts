import { ACCOUNT_OPERATIONS } from './openapi/account-paths.js';
import { API_OPERATIONS } from './openapi/api-paths.js';
import { COMPONENTS } from './openapi/components.js';
import { JOB_OPERATIONS } from './openapi/job-paths.js';
import { pathItems } from './openapi/operation.js';
import { OPERATIONS_OPERATIONS } from './openapi/operations-paths.js';
import { OPERATOR_OPERATIONS } from './openapi/operator-paths.js';

const TAGS = [
  ['Audio', "Venice's asynchronous audio API: quote, queue, retrieve, complete, and synchronous speech."],
  ['Jobs', "Overture's extensions: history, cancel, live status, webhooks."],
  ['Models', 'The catalog and its voices.'],
  ['Keys', 'API keys (admin key).'],
  ['Billing', 'Balances and rate limits.'],
  ['x402', 'Wallet payments (only when x402 is enabled).'],
  ['Operator', 'The operator API (only when `OVERTURE_OPERATOR_TOKEN` is set).'],
  ['Operations', 'Health, metrics, this reference and the playground.'],
  ['Engines', 'Callbacks from upstream engines.'],
] as const;

/**
 * The OpenAPI 3.1 document of every route the server registers, generated from the zod schemas
 * that validate the requests (bodies and queries), so it cannot drift from the code.
 */
export function buildOpenApi(version = '0.1.0') {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Overture audio API',
      version,
      description: "Venice AI's asynchronous audio API, self-hosted, with Overture's extensions.",
      license: { name: 'GPL-3.0-or-later', identifier: 'GPL-3.0-or-later' },
    },
    servers: [{ url: '/', description: 'This server' }],
    security: [{ apiKey: [] }],
    tags: TAGS.map(([name, description]) => ({ name, description })),
    paths: {
      ...pathItems(API_OPERATIONS),
      ...pathItems(JOB_OPERATIONS),
      ...pathItems(ACCOUNT_OPERATIONS),
      ...pathItems(OPERATOR_OPERATIONS),
      ...pathItems(OPERATIONS_OPERATIONS),
    },
    components: COMPONENTS,
  };
}

/** The OpenAPI document's type. */
export type OpenApiDocument = ReturnType<typeof buildOpenApi>;
