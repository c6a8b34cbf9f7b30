import { createAccountBodySchema, creditBodySchema } from '../../domain/request-schemas.js';
import { costsQuerySchema } from '../operator-routes.js';
import type { OperationSpec } from './operation.js';

/** The operator API under `/operator/v1` (only when `OVERTURE_OPERATOR_TOKEN` is set). */
export const OPERATOR_OPERATIONS: Record<string, Record<string, OperationSpec>> = {
  '/operator/v1/accounts': {
    post: {
      id: 'createAccount',
      summary: 'Create an account',
      tag: 'Operator',
      guard: 'operator',
      body: createAccountBodySchema,
      ok: { 201: 'CreatedAccount' },
    },
  },
  '/operator/v1/accounts/{id}': {
    get: {
      id: 'getAccount',
      summary: 'An account and its balances',
      tag: 'Operator',
      guard: 'operator',
      path: ['id'],
      ok: { 200: 'Account' },
      errors: [404],
    },
  },
  '/operator/v1/accounts/{id}/credit': {
    post: {
      id: 'creditAccount',
      summary: 'Credit an account in USD',
      tag: 'Operator',
      guard: 'operator',
      path: ['id'],
      body: creditBodySchema,
      ok: { 200: 'Success' },
      errors: [404],
    },
  },
  '/operator/v1/x402/payments': {
    get: {
      id: 'listWalletPayments',
      summary: 'Recorded x402 top-ups, newest first',
      tag: 'Operator',
      guard: 'operator',
      parameters: [{ name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } }],
      ok: { 200: 'Payments' },
    },
  },
  '/operator/v1/costs': {
    get: {
      id: 'getCosts',
      summary: 'Revenue against upstream cost per model',
      tag: 'Operator',
      guard: 'operator',
      query: costsQuerySchema,
      ok: { 200: 'Costs' },
      errors: [400],
    },
  },
};
