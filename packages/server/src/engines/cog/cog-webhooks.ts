import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long, and how many, finished predictions nobody waits for (yet) are kept for a resumed attempt. */
const UNCLAIMED_MS = 10 * 60_000;
const UNCLAIMED_MAX = 32;

interface Delivery {
  readonly token: string | undefined;
  readonly body: unknown;
  readonly at: number;
}

interface Waiting {
  readonly token: string | undefined;
  readonly queue: unknown[];
  wake?: () => void;
}

/** One engine call's view of the webhooks of its prediction. */
export interface CogWebhookWaiter {
  /** The next webhook body, or undefined when `timeoutMs` passed first; rejects when `signal` aborts. */
  next(timeoutMs: number, signal: AbortSignal): Promise<unknown>;
  /** Stop waiting (always call it, in a `finally`). */
  release(): void;
}

/**
 * Where the webhooks Cog posts for a prediction (`webhook` in its request body) reach the engine
 * call waiting on that prediction, in this process. The receiving HTTP route is not part of the
 * adapter: it must call `cogWebhooks.deliver(id, token, body)` for
 * `POST <webhook_url>/<prediction id>?token=<token>` and answer 204 when it returns true, 404
 * otherwise (see docs/engines/cog.md). A finished prediction nobody waits for is kept a while,
 * for an attempt that resumes it.
 */
export class CogWebhookInbox {
  private readonly waiting = new Map<string, Waiting>();
  private readonly unclaimed = new Map<string, Delivery>();

  /** Hand over one webhook body; false when its token does not match or nobody can use it. */
  deliver(predictionId: string, token: string | undefined, body: unknown): boolean {
    const waiting = this.waiting.get(predictionId);
    if (waiting) {
      if (!tokensMatch(waiting.token, token)) return false;
      waiting.queue.push(body);
      waiting.wake?.();
      return true;
    }
    if (!isTerminal(body)) return false;
    this.prune(Date.now());
    if (this.unclaimed.size >= UNCLAIMED_MAX) this.unclaimed.delete(this.unclaimed.keys().next().value as string);
    this.unclaimed.set(predictionId, { token, body, at: Date.now() });
    return true;
  }

  /** Start waiting on a prediction's webhooks (before submitting it, so none is missed). */
  expect(predictionId: string, token: string | undefined): CogWebhookWaiter {
    const waiting: Waiting = { token, queue: [] };
    this.waiting.set(predictionId, waiting);
    const early = this.unclaimed.get(predictionId);
    if (early && tokensMatch(token, early.token) && Date.now() - early.at < UNCLAIMED_MS) waiting.queue.push(early.body);
    this.unclaimed.delete(predictionId);
    return {
      next: (timeoutMs, signal) =>
        new Promise<unknown>((resolve, reject) => {
          const finish = () => {
            clearTimeout(timer);
            signal.removeEventListener('abort', onAbort);
            waiting.wake = undefined;
          };
          const onAbort = () => {
            finish();
            reject(signal.reason);
          };
          const take = () => {
            finish();
            resolve(waiting.queue.shift());
          };
          if (signal.aborted) return reject(signal.reason);
          if (waiting.queue.length > 0) return resolve(waiting.queue.shift());
          const timer = setTimeout(take, timeoutMs);
          waiting.wake = take;
          signal.addEventListener('abort', onAbort, { once: true });
        }),
      release: () => {
        if (this.waiting.get(predictionId) === waiting) this.waiting.delete(predictionId);
      },
    };
  }

  private prune(now: number): void {
    for (const [id, delivery] of this.unclaimed) if (now - delivery.at >= UNCLAIMED_MS) this.unclaimed.delete(id);
  }
}

/** The inbox of this process, shared by every `cog` instance in webhook mode. */
export const cogWebhooks = new CogWebhookInbox();

/** The token a webhook URL carries: an HMAC of the prediction id under the instance's key; none without a key. */
export function webhookToken(secret: string | undefined, predictionId: string): string | undefined {
  return secret ? createHmac('sha256', secret).update(predictionId).digest('hex').slice(0, 32) : undefined;
}

function tokensMatch(expected: string | undefined, given: string | undefined): boolean {
  if (expected === undefined) return true;
  if (given === undefined || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(given));
}

function isTerminal(body: unknown): boolean {
  const status = (body as { status?: unknown } | null)?.status;
  return status === 'succeeded' || status === 'failed' || status === 'canceled';
}
