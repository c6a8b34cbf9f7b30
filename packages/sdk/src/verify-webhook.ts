import { OvertureError } from './errors.js';

/** The body of an Overture webhook request. */
export interface WebhookEvent {
  readonly type: 'job.done' | 'job.failed' | 'job.cancelled' | 'media.expiring' | (string & {});
  /** ISO time the event was created. */
  readonly timestamp: string;
  readonly data: {
    readonly queue_id: string;
    readonly model: string;
    readonly state: string;
    readonly duration_seconds?: number;
    readonly media_expires_at?: string;
    readonly error?: { readonly status: number; readonly error: string; readonly [field: string]: unknown };
    readonly [field: string]: unknown;
  };
}

/** Input of `verifyWebhook()`. */
export interface VerifyWebhookInput {
  /** The account's signing secret, `whsec_<base64>` (from `webhooks.secret()`). */
  readonly secret: string;
  /** The request's headers: a `Headers` or a plain record (any letter case). */
  readonly headers: Headers | Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The raw request body, exactly as received (not re-serialised JSON). */
  readonly body: string | Uint8Array;
  /** Accepted clock difference in seconds (default 300). */
  readonly toleranceSeconds?: number;
  /** The current time (default now), as a `Date` or milliseconds since the epoch. */
  readonly now?: Date | number;
}

/** The webhook request is not authentic or too old/new; `reason` says which check failed. */
export class WebhookVerificationError extends OvertureError {
  override name = 'WebhookVerificationError';

  constructor(readonly reason: 'missing_headers' | 'invalid_secret' | 'timestamp' | 'signature' | 'body') {
    super(`Webhook verification failed: ${reason.replace('_', ' ')}`);
  }
}

function header(headers: VerifyWebhookInput['headers'], name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    return typeof value === 'string' ? value : value.join(', ');
  }
  return undefined;
}

function base64Bytes(text: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    const binary = atob(text);
    return Uint8Array.from(binary, (character) => character.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/**
 * Check a webhook request per the Standard Webhooks scheme with WebCrypto (Node 20+, browsers,
 * Deno, Bun): the `webhook-timestamp` within the tolerance, and one `v1,` entry of
 * `webhook-signature` equal (compared in constant time by `crypto.subtle.verify`) to the
 * HMAC-SHA256 of `${webhook-id}.${webhook-timestamp}.${body}`. Resolves with the parsed event;
 * rejects with a `WebhookVerificationError`.
 */
export async function verifyWebhook(input: VerifyWebhookInput): Promise<WebhookEvent> {
  const id = header(input.headers, 'webhook-id');
  const timestamp = header(input.headers, 'webhook-timestamp');
  const signatures = header(input.headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) throw new WebhookVerificationError('missing_headers');
  const keyBytes = base64Bytes(input.secret.startsWith('whsec_') ? input.secret.slice(6) : input.secret);
  if (!keyBytes || keyBytes.length === 0) throw new WebhookVerificationError('invalid_secret');
  const nowMs = input.now === undefined ? Date.now() : typeof input.now === 'number' ? input.now : input.now.getTime();
  const seconds = /^\d+$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  if (!(Math.abs(nowMs / 1000 - seconds) <= (input.toleranceSeconds ?? 300))) throw new WebhookVerificationError('timestamp');
  const encoder = new TextEncoder();
  const body = typeof input.body === 'string' ? encoder.encode(input.body) : input.body;
  const prefix = encoder.encode(`${id}.${timestamp}.`);
  const signed = new Uint8Array(prefix.length + body.length);
  signed.set(prefix);
  signed.set(body, prefix.length);
  const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  let valid = false;
  for (const entry of signatures.split(' ')) {
    const [version, encoded] = entry.split(',', 2);
    const signature = version === 'v1' && encoded ? base64Bytes(encoded) : undefined;
    if (signature && (await crypto.subtle.verify('HMAC', key, signature, signed))) valid = true;
  }
  if (!valid) throw new WebhookVerificationError('signature');
  try {
    return JSON.parse(new TextDecoder().decode(body)) as WebhookEvent;
  } catch {
    throw new WebhookVerificationError('body');
  }
}
