import type {
  ApiKeyList,
  BillingBalance,
  CreateApiKeyRequest,
  CreatedApiKey,
  DeleteApiKeyResponse,
  RateLimitsResponse,
  WebhookSecret,
} from './account-types.js';
import type { ModelList, ModelType } from './model-types.js';
import type { RequestOptions, Transport } from './transport.js';

/** `GET /models`. */
export class ModelsResource {
  constructor(private readonly transport: Transport) {}

  /** The model rows, optionally of one type (no key needed). Retried on transient failures. */
  list(query: { type?: ModelType } = {}, options?: RequestOptions): Promise<ModelList> {
    return this.transport.json({ method: 'GET', path: '/models', query: { type: query.type }, retry: true, options });
  }
}

/** `GET /billing/balance`. */
export class BillingResource {
  constructor(private readonly transport: Transport) {}

  /** The account's balances (needs an admin key). */
  balance(options?: RequestOptions): Promise<BillingBalance> {
    return this.transport.json({ method: 'GET', path: '/billing/balance', retry: true, options });
  }
}

/** `/api_keys`: key management (admin key) and rate limits (any key). */
export class ApiKeysResource {
  constructor(private readonly transport: Transport) {}

  /** The account's keys (admin key). */
  list(options?: RequestOptions): Promise<ApiKeyList> {
    return this.transport.json({ method: 'GET', path: '/api_keys', retry: true, options });
  }

  /** Create a key; the secret is only in this answer (admin key). Not retried. */
  create(body: CreateApiKeyRequest, options?: RequestOptions): Promise<CreatedApiKey> {
    return this.transport.json({ method: 'POST', path: '/api_keys', body, retry: false, options });
  }

  /** Delete a key by id (admin key). Not retried (a repeat would answer 404). */
  delete(id: string, options?: RequestOptions): Promise<DeleteApiKeyResponse> {
    return this.transport.json({ method: 'DELETE', path: '/api_keys', query: { id }, retry: false, options });
  }

  /** The key's tier, balances and per-model rate limits (any key). */
  rateLimits(options?: RequestOptions): Promise<RateLimitsResponse> {
    return this.transport.json({ method: 'GET', path: '/api_keys/rate_limits', retry: true, options });
  }
}

/** `GET /webhooks/secret` (Overture). */
export class WebhooksResource {
  constructor(private readonly transport: Transport) {}

  /** The account's webhook signing secret, `whsec_…`, for `verifyWebhook()` (admin key). */
  secret(options?: RequestOptions): Promise<WebhookSecret> {
    return this.transport.json({ method: 'GET', path: '/webhooks/secret', retry: true, options });
  }
}
