import { createKeyBodySchema, deleteKeyQuerySchema } from '../../domain/request-schemas.js';
import type { OperationSpec } from './operation.js';

const paymentRequired = { $ref: '#/components/headers/PaymentRequired' };

/** Keys, balances, the webhook secret and x402 wallets under `/api/v1`. */
export const ACCOUNT_OPERATIONS: Record<string, Record<string, OperationSpec>> = {
  '/api/v1/api_keys': {
    get: { id: 'listApiKeys', summary: 'List keys (admin key)', tag: 'Keys', guard: 'admin-key', ok: { 200: 'ApiKeyList' } },
    post: {
      id: 'createApiKey',
      summary: 'Create a key (admin key)',
      tag: 'Keys',
      guard: 'admin-key',
      body: createKeyBodySchema,
      ok: { 200: 'CreatedApiKey' },
    },
    delete: {
      id: 'deleteApiKey',
      summary: 'Delete a key (admin key)',
      tag: 'Keys',
      guard: 'admin-key',
      query: deleteKeyQuerySchema,
      ok: { 200: 'Success' },
      errors: [404],
    },
  },
  '/api/v1/api_keys/rate_limits': {
    get: { id: 'getRateLimits', summary: 'Rate limits and balances', tag: 'Billing', guard: 'key', ok: { 200: 'RateLimits' } },
  },
  '/api/v1/billing/balance': {
    get: { id: 'getBalance', summary: 'Balance (admin key)', tag: 'Billing', guard: 'admin-key', ok: { 200: 'Balance' } },
  },
  '/api/v1/webhooks/secret': {
    get: {
      id: 'getWebhookSecret',
      summary: 'Overture: the webhook signing secret (admin key)',
      tag: 'Jobs',
      guard: 'admin-key',
      ok: { 200: 'WebhookSecret' },
    },
  },
  '/api/v1/x402/top-up': {
    post: {
      id: 'topUpWallet',
      summary: 'x402: top up a wallet',
      description:
        'Answers 402 with the payment options (`PAYMENT-REQUIRED`) until a `PAYMENT-SIGNATURE` header carries a payment. Only when x402 is enabled.',
      tag: 'x402',
      guard: 'public',
      parameters: [{ name: 'PAYMENT-SIGNATURE', in: 'header', required: false, schema: { type: 'string' } }],
      ok: {
        200: {
          description: 'Credited',
          headers: { 'payment-response': { description: 'The settlement, base64 JSON.', schema: { type: 'string' } } },
          content: { 'application/json': { schema: { $ref: '#/components/schemas/WalletAnswer' } } },
        },
        402: {
          description: 'The payment options',
          headers: { 'payment-required': paymentRequired },
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
      errors: [400, 429, 503],
    },
  },
  '/api/v1/x402/balance/{walletAddress}': {
    get: {
      id: 'getWalletBalance',
      summary: 'x402: a wallet balance (signed in as that wallet)',
      tag: 'x402',
      guard: 'wallet',
      path: ['walletAddress'],
      ok: { 200: 'WalletAnswer' },
    },
  },
};
