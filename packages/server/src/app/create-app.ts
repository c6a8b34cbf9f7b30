import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { openMedia, openPaymentFacilitator, openRateLimiter, openStore } from './adapters.js';
import { loadCatalog } from './catalog-loader.js';
import type { Config } from './config.js';
import { OpenedResources } from './opened-resources.js';
import { type ContentRule, createContentPolicy, DEFAULT_CONTENT_RULES } from '../domain/content-policy.js';
import { openEngines } from '../engines/engine-adapters.js';
import { type EngineRegistry, routeOf } from '../engines/engine-registry.js';
import { registerAudioRoutes } from '../http/audio-routes.js';
import type { AppServices } from '../http/app-services.js';
import { registerBillingRoutes } from '../http/billing-routes.js';
import { createHttpServer } from '../http/http-server.js';
import { registerKeyRoutes } from '../http/key-routes.js';
import { registerModelRoutes } from '../http/model-routes.js';
import { registerOperationsRoutes } from '../http/operations-routes.js';
import { registerOperatorRoutes } from '../http/operator-routes.js';
import { registerPlaygroundRoutes } from '../http/playground-routes.js';
import { registerEngineCallbackRoutes } from '../http/engine-callback-routes.js';
import { registerExtensionRoutes } from '../http/extension-routes.js';
import { type AuthenticationOptions, lookUpKey } from '../http/authenticate.js';
import { registerVoiceRoutes } from '../http/voice-routes.js';
import { registerX402Routes } from '../http/x402-routes.js';
import { Reaper } from '../jobs/reaper.js';
import { WebhookDispatcher } from '../jobs/webhook-dispatcher.js';
import { WorkerPool } from '../jobs/worker-pool.js';
import { Metrics } from '../metrics/metrics.js';
import type { Engine } from '../ports/engine.js';
import type { EngineAdapter } from '../ports/engine-adapter.js';
import type { MediaStore } from '../ports/media-store.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { Store } from '../ports/store/store.js';
import { AccountService } from '../services/account-service.js';
import { CostReportService } from '../services/cost-report.js';
import { CredentialService } from '../services/credential-service.js';
import { ExecutionEstimates } from '../services/execution-estimates.js';
import { checkOnRoute } from '../services/engine-check.js';
import { QueueService } from '../services/queue-service.js';
import { SpeechService } from '../services/speech-service.js';
import { VoiceDirectory } from '../services/voice-directory.js';
import { WalletService } from '../services/wallet-service.js';

/**
 * Replaceable parts, for tests and for adapters chosen elsewhere. The app's `close()` closes the
 * store, media store and rate limiter given here; a `createApp` that fails leaves them to the caller.
 */
export interface AppParts {
  readonly now?: () => number;
  readonly engines?: readonly Engine[];
  readonly store?: Store;
  readonly media?: MediaStore;
  readonly limiter?: RateLimiter;
  /** Adapters of the application's own, which the engines file may name besides the shipped ones. */
  readonly adapters?: Readonly<Record<string, EngineAdapter>>;
  /** Where remote engine instances read `api_key_env` variables (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The HTTP client of remote engine instances (default the global `fetch`). */
  readonly fetch?: typeof fetch;
  /** Where the JSON log lines go instead of stdout (tests capture them to look for secrets). */
  readonly logStream?: { write(line: string): void };
}

/** A composed server: HTTP app, worker pool and reaper over one store. */
export interface App {
  readonly config: Config;
  readonly http: FastifyInstance;
  readonly store: Store;
  /** The engine instances this process runs, with their health. */
  readonly engines: EngineRegistry;
  readonly services: AppServices;
  readonly pool: WorkerPool | undefined;
  readonly reaper: Reaper;
  readonly webhooks: WebhookDispatcher;
  /** Start background work (worker pool, reaper) and listen when the role serves HTTP. */
  start(): Promise<void>;
  /** Graceful shutdown: stop listening, finish or give back running jobs, close the store. */
  close(): Promise<void>;
}

/** The composition root: config → adapters → services → HTTP. */
export async function createApp(config: Config, parts: AppParts = {}): Promise<App> {
  const now = parts.now ?? Date.now;
  const engines = openEngines({
    enginesFile: config.enginesFile,
    concurrency: config.engineConcurrency,
    threads: config.engineThreads,
    extra: parts.engines,
    adapters: parts.adapters,
    env: parts.env ?? process.env,
    now,
    requestTimeoutMs: config.upstreamTimeoutMs,
    maxResponseBytes: config.upstreamMaxBytes,
    fetch: parts.fetch,
  });
  // Each step below can stop the start; what was opened before it is then closed, newest first.
  const opened = new OpenedResources();
  opened.add(() => engines.close());
  const catalog = await opened.step(() => loadCatalog(config.catalog, engines.descriptions()));
  // The shared adapters import their optional packages here: one not installed stops the start too.
  const store = parts.store ?? (await opened.step(() => openStore(config)));
  if (!parts.store) opened.add(() => store.close());
  const media = parts.media ?? (await opened.step(() => openMedia(config)));
  if (!parts.media) opened.add(() => media.close?.());
  const limiter = parts.limiter ?? (await opened.step(() => openRateLimiter(config)));
  if (!parts.limiter) opened.add(() => limiter.close?.());
  await opened.step(() => store.migrate());
  const rules = await opened.step((): readonly ContentRule[] =>
    config.contentRulesPath ? JSON.parse(readFileSync(config.contentRulesPath, 'utf8')) : DEFAULT_CONTENT_RULES,
  );
  const contentPolicy = createContentPolicy(rules);
  const http = createHttpServer({
    ...config,
    logStream: parts.logStream,
    onResponse: (route, method, status, ms) => metrics.observeHttp(route, method, status, ms),
  });
  const runsJobs = config.role !== 'api';
  // Every failover list the catalog uses whose instances this process runs.
  const routes = [...new Set(catalog.models.filter((model) => model.type === 'music').map((model) => model.engine))];
  const pool = runsJobs
    ? new WorkerPool({
        store,
        media,
        engines,
        routes,
        catalog,
        leaseMs: config.leaseMs,
        attemptTimeoutMs: config.attemptTimeoutMs,
        retentionMs: config.retentionMs,
        pollMs: config.workerPollMs,
        now,
        log: http.log,
        onAttempt: (attempt) => metrics.observeJob(attempt.model, attempt.engine, attempt.outcome, attempt.milliseconds),
        onUpstreamCost: (instance, micros) => metrics.observeUpstreamCost(instance, micros),
      })
    : undefined;
  if (pool && store.onJobQueued) store.onJobQueued((route) => pool.serves(route) && pool.wake());
  const metrics = new Metrics({
    openJobs: () => store.statistics.countOpenJobs(),
    routes,
    activeJobs: () => pool?.active ?? 0,
    instances: () => engines.status(),
    now,
  });
  const reaper = new Reaper(
    store,
    media,
    now,
    {
      orphanHoldMs: config.orphanHoldMs,
      expiringNoticeMs: config.expiringNoticeMs,
      // A partial write outlives its attempt (or synchronous request) only after a crash.
      abandonedPartialMs: Math.max(config.attemptTimeoutMs, config.requestTimeoutMs) + 60_000,
    },
    http.log,
  );
  const webhooks = new WebhookDispatcher({
    store,
    now,
    allowPrivate: config.webhookAllowPrivate,
    retryBaseMs: config.webhookRetryBaseMs,
    timeoutMs: config.webhookTimeoutMs,
    timeoutOf: (modelId) => {
      const seconds = catalog.find(modelId)?.webhook_timeout_seconds;
      return seconds === undefined ? undefined : seconds * 1000;
    },
    log: http.log,
    onDelivery: (outcome) => metrics.observeDelivery(outcome),
  });
  let closing = false;
  const authentication: AuthenticationOptions = { credentials: new CredentialService(store), limiter, limits: config.rateLimits, now };
  const x402 = config.x402;
  const wallets = x402
    ? new WalletService({
        store,
        offer: x402.offer,
        signInMaxAgeMs: x402.signInMaxAgeMs,
        facilitator: openPaymentFacilitator(x402),
        now,
        lookUpKey: (hash) => lookUpKey(authentication, hash, now()),
      })
    : undefined;
  authentication.wallets = wallets;
  const voices = new VoiceDirectory({ catalog, engines, now, cacheMs: config.voicesCacheMs });
  const services: AppServices = {
    catalog,
    limiter,
    metrics,
    authentication,
    now,
    operatorToken: config.operatorToken,
    metricsToken: config.metricsToken,
    webhookAllowPrivate: config.webhookAllowPrivate,
    statusStream: config.statusStream,
    accounts: new AccountService(store, now),
    costs: new CostReportService(store, now),
    engines,
    wallets,
    voices,
    queue: new QueueService({
      store,
      media,
      catalog,
      contentPolicy,
      estimates: new ExecutionEstimates(store, now, engines),
      maxAttempts: config.maxAttempts,
      now,
      // Stores that announce new jobs themselves wake the pool earlier than the acknowledgement.
      onQueued: (job) => {
        http.log.info({ jobId: job.id, model: job.modelId, engine: job.engine, attempt: job.attempt }, 'job queued');
        if (!store.onJobQueued) pool?.wake();
      },
      onCancelled: (jobId) => {
        http.log.info({ jobId }, 'job cancelled');
        pool?.abort(jobId);
      },
      extensionsEverywhere: config.extensionsEverywhere,
      webhookAllowPrivate: config.webhookAllowPrivate,
      idempotencyMs: config.idempotencyMs,
      quoteTtlMs: config.quoteTtlMs,
      concurrencyOf: (route) => engines.concurrency(routeOf(route)),
      voices,
      check: (route, request) => checkOnRoute(engines, route, request),
    }),
    speech: new SpeechService({ store, media, catalog, engines, contentPolicy, now, idempotencyMs: config.idempotencyMs, voices }),
    ready: async () => !closing && (await store.accounts.countAccounts()) >= 0,
  };
  for (const register of [
    registerModelRoutes,
    registerAudioRoutes,
    registerBillingRoutes,
    registerKeyRoutes,
    registerExtensionRoutes,
    registerVoiceRoutes,
    registerOperatorRoutes,
    registerOperationsRoutes,
    registerX402Routes,
  ])
    register(http, services);
  // Cog's webhooks can carry the audio as a data URL: as large as an upstream answer may be.
  registerEngineCallbackRoutes(http, { bodyLimit: config.upstreamMaxBytes });
  if (config.playground) registerPlaygroundRoutes(http);

  return {
    config,
    http,
    store,
    engines,
    services,
    pool,
    reaper,
    webhooks,
    async start() {
      // Bind first: a process that cannot listen must not run workers a supervisor takes for healthy.
      if (config.role !== 'worker') await listenOn(http, config.port, config.host);
      reaper.start(config.reaperIntervalMs);
      // A worker-only process has no listening socket: its pool's timer is what keeps it running.
      pool?.start(config.role === 'worker');
      if (runsJobs) webhooks.start(config.webhookPollMs);
    },
    async close() {
      closing = true;
      await http.close();
      await pool?.stop(config.shutdownGraceMs);
      await reaper.stop();
      await webhooks.stop();
      await engines.close();
      await limiter.close?.();
      await media.close?.();
      await store.close();
    },
  };
}

/** Listen, or fail with a message that names the address and why (a port in use, a privileged one). */
async function listenOn(http: FastifyInstance, port: number, host: string): Promise<void> {
  try {
    await http.listen({ port, host });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'it is already in use' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new Error(`Cannot listen on port ${port} of ${host}: ${why}${code ? ` (${code})` : ''}`, { cause: error });
  }
}
