import { WEBHOOK_RETRY_WINDOW_MS, webhookRetryDelayMs } from '../domain/webhook-events.js';
import type { Store } from '../ports/store/store.js';
import type { WebhookDelivery } from '../ports/store/store-records.js';
import { newWebhookSecret, signWebhook } from '../services/webhook-signature.js';
import { resolvesPublic } from '../services/webhook-target.js';

export interface WebhookDispatcherOptions {
  readonly store: Pick<Store, 'webhooks' | 'accounts'>;
  readonly now: () => number;
  readonly allowPrivate: boolean;
  readonly retryBaseMs: number;
  readonly timeoutMs: number;
  /** A model's own delivery timeout in ms (catalog `webhook_timeout_seconds`), when it has one. */
  readonly timeoutOf?: (modelId: string) => number | undefined;
  readonly log: { info(object: object, message: string): void; error(object: object, message: string): void };
  /** Called when a delivery attempt ends, with how (for metrics). */
  readonly onDelivery?: (outcome: 'delivered' | 'retrying' | 'gave_up') => void;
}

/**
 * Sends queued webhook events (the outbox), signed per Standard Webhooks, and retries failures
 * with growing delays for at least 25 hours. Each delivery is leased so one process sends it.
 */
export class WebhookDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly options: WebhookDispatcherOptions) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.runOnce(), intervalMs);
    this.timer.unref();
  }

  /** One pass over due deliveries; concurrent calls share it. */
  runOnce(): Promise<void> {
    this.running ??= this.pass()
      .catch((error) => this.options.log.error({ err: error }, 'webhook pass failed'))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<void> {
    const due = await this.options.store.webhooks.claimDeliveries(this.options.now(), 20, this.options.timeoutMs * 2);
    await Promise.all(due.map((delivery) => this.deliver(delivery)));
  }

  private async deliver(delivery: WebhookDelivery): Promise<void> {
    const { store, now } = this.options;
    let status: number | null = null;
    let error: string | null = null;
    try {
      if (!this.options.allowPrivate && !(await resolvesPublic(delivery.url))) throw new Error('private address refused');
      const secret = await store.accounts.webhookSecret(delivery.accountId, newWebhookSecret);
      const timestamp = Math.floor(now() / 1000);
      const response = await fetch(delivery.url, {
        method: 'POST',
        redirect: 'manual',
        signal: this.timeoutSignal(delivery),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Overture-Webhooks/1',
          'webhook-id': delivery.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(secret, delivery.id, timestamp, delivery.payload),
        },
        body: delivery.payload,
      });
      status = response.status;
      await response.body?.cancel();
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (caught) {
      error = (caught as Error).message.slice(0, 200);
    }
    const attempt = delivery.attempts + 1;
    const next = now() + webhookRetryDelayMs(attempt, this.options.retryBaseMs);
    const giveUp = next - delivery.createdAt > WEBHOOK_RETRY_WINDOW_MS;
    // A customer's endpoint failing is theirs to fix, not the operator's: info, and counted.
    if (error) this.options.log.info({ deliveryId: delivery.id, jobId: delivery.jobId, attempt, error, giveUp }, 'webhook delivery failed');
    await store.webhooks.recordDelivery(delivery.id, { status, error, nextAttemptAt: error && !giveUp ? next : null }, now());
    this.options.onDelivery?.(error ? (giveUp ? 'gave_up' : 'retrying') : 'delivered');
  }

  /** Aborts after the delivery's timeout: its model's, else the dispatcher's; a timeout of 0 has already fired. */
  private timeoutSignal(delivery: WebhookDelivery): AbortSignal {
    let modelId: unknown;
    try {
      modelId = JSON.parse(delivery.payload)?.data?.model;
    } catch {
      modelId = undefined;
    }
    const ms = (typeof modelId === 'string' ? this.options.timeoutOf?.(modelId) : undefined) ?? this.options.timeoutMs;
    return ms > 0
      ? AbortSignal.timeout(ms)
      : AbortSignal.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
