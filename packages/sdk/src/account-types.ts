/** Answer of `GET /billing/balance` (admin key). */
export interface BillingBalance {
  readonly canConsume: boolean;
  readonly consumptionCurrency: 'USD' | 'DIEM' | null;
  readonly balances: { readonly diem: number | null; readonly usd: number | null };
  readonly diemEpochAllocation: number;
}

/** Per-model limits in `GET /api_keys/rate_limits`. */
export interface ModelRateLimits {
  readonly apiModelId: string;
  readonly rateLimits: readonly { readonly amount: number; readonly type: 'RPM' | 'RPD' }[];
}

/** Answer of `GET /api_keys/rate_limits` (any key). */
export interface RateLimitsResponse {
  readonly data: {
    readonly accessPermitted: boolean;
    readonly apiTier: { readonly id: string; readonly isCharged: boolean };
    readonly balances: { readonly USD: number; readonly DIEM: number };
    /** ISO timestamp or null. */
    readonly keyExpiration: string | null;
    /** ISO timestamp of the next DIEM reset. */
    readonly nextEpochBegins: string;
    readonly rateLimits: readonly ModelRateLimits[];
  };
}

/** A spending cap per currency; null or missing means none. */
export interface ConsumptionLimit {
  readonly usd?: number | null;
  readonly diem?: number | null;
  readonly vcu?: number | null;
}

/** The kinds of API key. */
export type ApiKeyType = 'INFERENCE' | 'ADMIN';

/** Body of `POST /api_keys` (admin key). */
export interface CreateApiKeyRequest {
  readonly apiKeyType: ApiKeyType;
  readonly description: string;
  readonly consumptionLimit?: ConsumptionLimit;
  /** ISO date or datetime; empty or null means never. */
  readonly expiresAt?: string | null;
  /** Overture: where to send webhook events of jobs queued with this key (unless a job names its own). */
  readonly webhookUrl?: string;
}

/** Answer of `POST /api_keys`: the secret is shown only here. */
export interface CreatedApiKey {
  readonly success: true;
  readonly data: {
    readonly id: string;
    readonly apiKey: string;
    readonly apiKeyType: ApiKeyType;
    readonly description: string;
    readonly expiresAt: string | null;
    readonly consumptionLimit: ConsumptionLimit;
  };
}

/** One row of `GET /api_keys`. */
export interface ApiKeyInfo {
  readonly id: string;
  readonly apiKeyType: ApiKeyType;
  readonly description: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly last6Chars: string;
  readonly consumptionLimits: ConsumptionLimit;
  readonly usage: { readonly epoch: { readonly usd: number; readonly diem: number } };
}

/** Answer of `GET /api_keys`. */
export interface ApiKeyList {
  readonly object: 'list';
  readonly data: readonly ApiKeyInfo[];
}

/** Answer of `DELETE /api_keys?id=`. */
export interface DeleteApiKeyResponse {
  readonly success: boolean;
}

/** Answer of `GET /webhooks/secret` (Overture, admin key). */
export interface WebhookSecret {
  /** `whsec_` followed by the base64 signing key. */
  readonly secret: string;
}
