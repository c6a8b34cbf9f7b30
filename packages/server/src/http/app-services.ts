import type { Catalog } from '../domain/catalog.js';
import type { StatusPollPolicy } from '../domain/job-status.js';
import type { EngineRegistry } from '../engines/engine-registry.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { Metrics } from '../metrics/metrics.js';
import type { AccountService } from '../services/account-service.js';
import type { CostReportService } from '../services/cost-report.js';
import type { QueueService } from '../services/queue-service.js';
import type { SpeechService } from '../services/speech-service.js';
import type { VoiceDirectory } from '../services/voice-directory.js';
import type { WalletService } from '../services/wallet-service.js';
import type { AuthenticationOptions } from './authenticate.js';

/** Everything the routes use, built once by the composition root. */
export interface AppServices {
  readonly catalog: Catalog;
  readonly limiter: RateLimiter;
  readonly queue: QueueService;
  readonly speech: SpeechService;
  readonly accounts: AccountService;
  /** The operator's report of revenue against upstream cost per model. */
  readonly costs: CostReportService;
  /** The engine instances of this process, for their health in `/readyz`. */
  readonly engines: Pick<EngineRegistry, 'status'>;
  /** The voices of each model (`/audio/voices`), from the catalog or asked of the upstreams. */
  readonly voices: VoiceDirectory;
  /** x402 wallet access; undefined when disabled. */
  readonly wallets: WalletService | undefined;
  readonly metrics: Metrics;
  readonly authentication: AuthenticationOptions;
  readonly operatorToken: string | undefined;
  /** Bearer token `/metrics` requires; open when undefined. */
  readonly metricsToken?: string;
  readonly webhookAllowPrivate: boolean;
  /** How often a status event stream re-reads its job (`statusPollMs`). */
  readonly statusStream: StatusPollPolicy;
  readonly now: () => number;
  /** Is the process ready to serve (store reachable, not shutting down)? */
  readonly ready: () => Promise<boolean>;
}
