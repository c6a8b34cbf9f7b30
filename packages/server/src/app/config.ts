import { resolve } from 'node:path';
import { z } from 'zod';
import { checkAmount, fromMicros, micros, toMicros } from '../domain/money.js';
import type { PaymentOffer } from '../domain/x402-payment.js';
import { parseEngineConcurrency } from '../engines/engine-concurrency.js';

const integer = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);
const decimal = (fallback: number) => z.coerce.number().nonnegative().default(fallback);
const positive = (fallback: number) => z.coerce.number().positive().default(fallback);
/** A USD or DIEM amount: the money rule (checkAmount), read from the text as typed. */
const money = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((text, context) => {
      const checked = checkAmount(text ?? String(fallback));
      if ('micros' in checked) return fromMicros(checked.micros);
      context.addIssue({ code: 'custom', message: checked.problem });
      return z.NEVER;
    });
/** `OVERTURE_ENGINE_CONCURRENCY`: calls at once per engine instance, by name. */
const engineConcurrency = z
  .string()
  .default('')
  .transform((text, context) => {
    const parsed = parseEngineConcurrency(text);
    if ('sizes' in parsed) return parsed.sizes;
    context.addIssue({ code: 'custom', message: parsed.problem });
    return z.NEVER;
  });
const urlOf = (schemes: RegExp, names: string) => z.string().regex(schemes, `must start with ${names}`).optional();

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
/** The default recipient: the zero address, which USDC refuses, so no development payment can ever settle. */
const X402_DEVELOPMENT_PAY_TO = '0x0000000000000000000000000000000000000000';
/** USDC on the networks x402 facilitators serve by default: contract, EIP-712 name and version. */
const USDC: Record<string, { asset: string; name: string; version: string }> = {
  'eip155:8453': { asset: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913', name: 'USD Coin', version: '2' },
  'eip155:84532': { asset: '0x036CbD53842c5426634e7929541eC2318f3dCF7e', name: 'USDC', version: '2' },
};

/** Every setting, its environment variable and default. Documented in docs/configuration.md. */
const configSchema = z.object({
  PORT: integer(8080),
  HOST: z.string().default('0.0.0.0'),
  OVERTURE_DATA_DIR: z.string().default('./data'),
  OVERTURE_CATALOG: z.string().default('default'),
  OVERTURE_ENGINES: z.string().optional(),
  OVERTURE_ENGINE_CONCURRENCY: engineConcurrency,
  OVERTURE_UPSTREAM_TIMEOUT_SECONDS: decimal(120),
  OVERTURE_UPSTREAM_MAX_BYTES: integer(536_870_912, 1024),
  OVERTURE_OPERATOR_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  OVERTURE_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  OVERTURE_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  OVERTURE_MEDIA_RETENTION_HOURS: decimal(24),
  OVERTURE_LEASE_SECONDS: decimal(30),
  OVERTURE_ATTEMPT_TIMEOUT_SECONDS: decimal(1800),
  OVERTURE_MAX_ATTEMPTS: integer(3, 1),
  OVERTURE_STARTING_CREDIT_USD: money(10),
  OVERTURE_STARTING_DIEM_DAILY: money(0),
  OVERTURE_RATE_LIMIT_QUEUE: integer(40, 1),
  OVERTURE_RATE_LIMIT_RETRIEVE: integer(120, 1),
  OVERTURE_RATE_LIMIT_OTHER: integer(600, 1),
  OVERTURE_RATE_LIMIT_AUTH_FAILURES: integer(30, 1),
  OVERTURE_BODY_LIMIT_BYTES: integer(1_048_576, 1024),
  OVERTURE_REQUEST_TIMEOUT_SECONDS: decimal(120),
  OVERTURE_SHUTDOWN_GRACE_SECONDS: decimal(10),
  OVERTURE_CONTENT_RULES: z.string().optional(),
  OVERTURE_SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
  DATABASE_URL: urlOf(/^(postgres|postgresql|sqlite):/, 'postgres://, postgresql:// or sqlite:'),
  MEDIA_URL: urlOf(/^(s3|file):/, 's3:// or file:'),
  REDIS_URL: urlOf(/^rediss?:\/\//, 'redis:// or rediss://'),
  OVERTURE_HEALTH_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  OVERTURE_EXTENSIONS: z.enum(['true', 'false']).default('false'),
  OVERTURE_WEBHOOK_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
  OVERTURE_ENGINE_THREADS: z.enum(['true', 'false']).default('true'),
  OVERTURE_WEBHOOK_RETRY_BASE_SECONDS: decimal(5),
  OVERTURE_IDEMPOTENCY_HOURS: decimal(24),
  OVERTURE_QUOTE_TTL_SECONDS: decimal(900),
  OVERTURE_VOICES_CACHE_SECONDS: decimal(300),
  OVERTURE_STATUS_POLL_MS: integer(250, 10),
  OVERTURE_STATUS_FINISHING_POLL_MS: integer(40, 10),
  OVERTURE_WORKER_POLL_MS: integer(500, 10),
  OVERTURE_REAPER_INTERVAL_MS: integer(1000, 10),
  OVERTURE_ORPHAN_HOLD_SECONDS: positive(600),
  OVERTURE_EXPIRING_NOTICE_SECONDS: z.coerce.number().positive().optional(),
  OVERTURE_WEBHOOK_POLL_MS: integer(1000, 10),
  OVERTURE_WEBHOOK_TIMEOUT_SECONDS: z.coerce
    .number()
    .positive()
    .max(60, "must be at most 60 (as a model's webhook_timeout_seconds)")
    .default(10),
  OVERTURE_TRUST_PROXY: z.string().default('false'),
  OVERTURE_CORS_ORIGIN: z.string().default('*'),
  OVERTURE_X402: z.enum(['true', 'false']).default('true'),
  OVERTURE_PLAYGROUND: z.enum(['true', 'false']).default('true'),
  OVERTURE_X402_NETWORK: z
    .string()
    .regex(/^eip155:\d{1,15}$/, 'must be an EVM CAIP-2 network such as eip155:8453')
    .default('eip155:8453'),
  OVERTURE_X402_ASSET: z.string().regex(ADDRESS, 'must be a 0x address').optional(),
  OVERTURE_X402_ASSET_NAME: z.string().min(1).optional(),
  OVERTURE_X402_ASSET_VERSION: z.string().min(1).optional(),
  OVERTURE_X402_PAY_TO: z.string().regex(ADDRESS, 'must be a 0x address').default(X402_DEVELOPMENT_PAY_TO),
  OVERTURE_X402_MIN_TOP_UP_USD: money(5),
  OVERTURE_X402_SUGGESTED_TOP_UP_USD: money(10),
  OVERTURE_X402_MAX_TOP_UP_USD: money(10_000),
  OVERTURE_X402_SIGN_IN_MAX_AGE_SECONDS: integer(300, 1),
  OVERTURE_X402_FACILITATOR_URL: urlOf(/^https?:\/\//, 'http:// or https://'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** The validated, frozen configuration every part of the server reads. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDirectory: string;
  readonly databasePath: string;
  readonly mediaDirectory: string;
  readonly catalog: string;
  /** Path of the engines file declaring engine instances (`OVERTURE_ENGINES`); unset: built-in engines only. */
  readonly enginesFile: string | undefined;
  /** Calls at once per engine instance (`OVERTURE_ENGINE_CONCURRENCY`), over the engines file and the built-in defaults. */
  readonly engineConcurrency: Readonly<Record<string, number>>;
  /** Default time one upstream request of a remote engine instance may take. */
  readonly upstreamTimeoutMs: number;
  /** Default largest answer accepted from an upstream, in bytes. */
  readonly upstreamMaxBytes: number;
  readonly operatorToken: string | undefined;
  /** Bearer token `/metrics` requires; open to anyone when undefined. */
  readonly metricsToken: string | undefined;
  readonly role: 'all' | 'api' | 'worker';
  readonly retentionMs: number;
  readonly leaseMs: number;
  readonly maxAttempts: number;
  readonly attemptTimeoutMs: number;
  readonly startingCreditUsd: number;
  readonly startingDiemDaily: number;
  readonly rateLimits: { readonly queue: number; readonly retrieve: number; readonly other: number; readonly authFailures: number };
  readonly bodyLimitBytes: number;
  readonly requestTimeoutMs: number;
  readonly shutdownGraceMs: number;
  readonly contentRulesPath: string | undefined;
  readonly sqliteSynchronous: 'FULL' | 'NORMAL';
  /** Where the store lives: `postgres://…` (shared) or `sqlite:PATH`; unset: SQLite in the data directory. */
  readonly databaseUrl: string | undefined;
  /** Where media lives: `s3://bucket…` (shared) or `file:PATH`; unset: the data directory's `media`. */
  readonly mediaUrl: string | undefined;
  /** `redis://…` to share rate limits across API processes; unset: each process limits on its own. */
  readonly redisUrl: string | undefined;
  /** A worker (`--role worker`) answers `GET /healthz` on this port when set. */
  readonly healthPort: number | undefined;
  readonly logLevel: string;
  readonly corsOrigin: string;
  /** Fastify's `trustProxy`: `false`, `true` or a comma-separated list of proxy addresses. */
  readonly trustProxy: boolean | string;
  /** Accept Overture's extension fields (webhook_url, quote_id) on every model, not only Overture's own. */
  readonly extensionsEverywhere: boolean;
  readonly webhookAllowPrivate: boolean;
  /** Serve the web playground at `/` (docs/playground.md). */
  readonly playground: boolean;
  /** Built-in engines run their generations on worker threads of their own (default), not the event loop's. */
  readonly engineThreads: boolean;
  readonly webhookRetryBaseMs: number;
  /** How often a process that runs jobs looks for queued ones it was not told about. */
  readonly workerPollMs: number;
  /** How often the reaper runs (lost leases, retention, orphaned holds, media purge). */
  readonly reaperIntervalMs: number;
  /** Open holds with no job older than this are released (what a crashed synchronous request leaves). */
  readonly orphanHoldMs: number;
  /** Jobs with a webhook get a `media.expiring` event this long before their media expires. */
  readonly expiringNoticeMs: number;
  /** How often due webhook deliveries are looked for. */
  readonly webhookPollMs: number;
  /** How long one webhook delivery may take, unless its model sets `webhook_timeout_seconds`. */
  readonly webhookTimeoutMs: number;
  readonly idempotencyMs: number;
  readonly quoteTtlMs: number;
  /** How long the voices an upstream lists are kept before it is asked again. */
  readonly voicesCacheMs: number;
  /** How often a status stream re-reads its job: normally, and while the job is about to finish. */
  readonly statusStream: { readonly pollMs: number; readonly finishingPollMs: number };
  /** x402 wallet access; undefined when `OVERTURE_X402=false`. */
  readonly x402: X402Config | undefined;
}

/** x402 settings: what a top-up must pay, how sign-ins are checked, who verifies payments. */
export interface X402Config {
  readonly offer: PaymentOffer;
  readonly signInMaxAgeMs: number;
  /** A remote x402 facilitator (`/verify`, `/settle`); unset: payments are verified locally. */
  readonly facilitatorUrl: string | undefined;
}

function x402Settings(values: z.infer<typeof configSchema>): X402Config {
  const known = USDC[values.OVERTURE_X402_NETWORK];
  const asset = values.OVERTURE_X402_ASSET ?? known?.asset;
  if (!asset)
    throw new ConfigError('Invalid configuration:\n  OVERTURE_X402_ASSET: required for networks other than Base and Base Sepolia');
  const minimumMicros = toMicros(values.OVERTURE_X402_MIN_TOP_UP_USD);
  const maximumMicros = toMicros(values.OVERTURE_X402_MAX_TOP_UP_USD);
  if (minimumMicros < 1 || maximumMicros < minimumMicros)
    throw new ConfigError('Invalid configuration:\n  OVERTURE_X402_MAX_TOP_UP_USD: must be at least OVERTURE_X402_MIN_TOP_UP_USD (> 0)');
  const offer: PaymentOffer = Object.freeze({
    network: values.OVERTURE_X402_NETWORK,
    chainId: Number(values.OVERTURE_X402_NETWORK.slice('eip155:'.length)),
    asset,
    assetName: values.OVERTURE_X402_ASSET_NAME ?? known?.name ?? 'USD Coin',
    assetVersion: values.OVERTURE_X402_ASSET_VERSION ?? known?.version ?? '2',
    payTo: values.OVERTURE_X402_PAY_TO,
    minimumMicros,
    maximumMicros,
    suggestedMicros: micros(Math.min(maximumMicros, Math.max(minimumMicros, toMicros(values.OVERTURE_X402_SUGGESTED_TOP_UP_USD)))),
    maxTimeoutSeconds: 300,
  });
  return Object.freeze({
    offer,
    signInMaxAgeMs: values.OVERTURE_X402_SIGN_IN_MAX_AGE_SECONDS * 1000,
    facilitatorUrl: values.OVERTURE_X402_FACILITATOR_URL,
  });
}

/** Thrown with every problem listed when the environment is not valid. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Read the configuration once from the environment (plus overrides, for tests and the CLI). */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const values = parsed.data;
  const dataDirectory = resolve(values.OVERTURE_DATA_DIR);
  return Object.freeze({
    port: values.PORT,
    host: values.HOST,
    dataDirectory,
    databasePath: resolve(dataDirectory, 'overture.sqlite'),
    mediaDirectory: resolve(dataDirectory, 'media'),
    catalog: values.OVERTURE_CATALOG,
    enginesFile: values.OVERTURE_ENGINES,
    engineConcurrency: values.OVERTURE_ENGINE_CONCURRENCY,
    upstreamTimeoutMs: values.OVERTURE_UPSTREAM_TIMEOUT_SECONDS * 1000,
    upstreamMaxBytes: values.OVERTURE_UPSTREAM_MAX_BYTES,
    operatorToken: values.OVERTURE_OPERATOR_TOKEN,
    metricsToken: values.OVERTURE_METRICS_TOKEN,
    role: values.OVERTURE_ROLE,
    retentionMs: values.OVERTURE_MEDIA_RETENTION_HOURS * 3_600_000,
    leaseMs: values.OVERTURE_LEASE_SECONDS * 1000,
    maxAttempts: values.OVERTURE_MAX_ATTEMPTS,
    attemptTimeoutMs: values.OVERTURE_ATTEMPT_TIMEOUT_SECONDS * 1000,
    startingCreditUsd: values.OVERTURE_STARTING_CREDIT_USD,
    startingDiemDaily: values.OVERTURE_STARTING_DIEM_DAILY,
    rateLimits: Object.freeze({
      queue: values.OVERTURE_RATE_LIMIT_QUEUE,
      retrieve: values.OVERTURE_RATE_LIMIT_RETRIEVE,
      other: values.OVERTURE_RATE_LIMIT_OTHER,
      authFailures: values.OVERTURE_RATE_LIMIT_AUTH_FAILURES,
    }),
    bodyLimitBytes: values.OVERTURE_BODY_LIMIT_BYTES,
    requestTimeoutMs: values.OVERTURE_REQUEST_TIMEOUT_SECONDS * 1000,
    shutdownGraceMs: values.OVERTURE_SHUTDOWN_GRACE_SECONDS * 1000,
    contentRulesPath: values.OVERTURE_CONTENT_RULES,
    sqliteSynchronous: values.OVERTURE_SQLITE_SYNCHRONOUS,
    databaseUrl: values.DATABASE_URL,
    mediaUrl: values.MEDIA_URL,
    redisUrl: values.REDIS_URL,
    healthPort: values.OVERTURE_HEALTH_PORT,
    logLevel: values.LOG_LEVEL,
    corsOrigin: values.OVERTURE_CORS_ORIGIN,
    trustProxy: ['true', 'false'].includes(values.OVERTURE_TRUST_PROXY)
      ? values.OVERTURE_TRUST_PROXY === 'true'
      : values.OVERTURE_TRUST_PROXY,
    extensionsEverywhere: values.OVERTURE_EXTENSIONS === 'true',
    webhookAllowPrivate: values.OVERTURE_WEBHOOK_ALLOW_PRIVATE === 'true',
    playground: values.OVERTURE_PLAYGROUND === 'true',
    engineThreads: values.OVERTURE_ENGINE_THREADS === 'true',
    webhookRetryBaseMs: values.OVERTURE_WEBHOOK_RETRY_BASE_SECONDS * 1000,
    workerPollMs: values.OVERTURE_WORKER_POLL_MS,
    reaperIntervalMs: values.OVERTURE_REAPER_INTERVAL_MS,
    orphanHoldMs: values.OVERTURE_ORPHAN_HOLD_SECONDS * 1000,
    // Unset: an hour, or a quarter of the retention when that is shorter.
    expiringNoticeMs:
      values.OVERTURE_EXPIRING_NOTICE_SECONDS === undefined
        ? Math.min(3_600_000, (values.OVERTURE_MEDIA_RETENTION_HOURS * 3_600_000) / 4)
        : values.OVERTURE_EXPIRING_NOTICE_SECONDS * 1000,
    webhookPollMs: values.OVERTURE_WEBHOOK_POLL_MS,
    webhookTimeoutMs: values.OVERTURE_WEBHOOK_TIMEOUT_SECONDS * 1000,
    idempotencyMs: Math.max(24, values.OVERTURE_IDEMPOTENCY_HOURS) * 3_600_000,
    quoteTtlMs: values.OVERTURE_QUOTE_TTL_SECONDS * 1000,
    voicesCacheMs: values.OVERTURE_VOICES_CACHE_SECONDS * 1000,
    statusStream: Object.freeze({ pollMs: values.OVERTURE_STATUS_POLL_MS, finishingPollMs: values.OVERTURE_STATUS_FINISHING_POLL_MS }),
    x402: values.OVERTURE_X402 === 'true' ? x402Settings(values) : undefined,
    ...overrides,
  });
}
