import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../domain/api-error.js';
import { fromMicros } from '../domain/money.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { Store } from '../ports/store-port.js';
import { hashesEqual, hashKey } from '../services/api-keys.js';
import { familyOf } from './route-families.js';
import './request-context.js';

export interface AuthenticationOptions {
  readonly store: Store;
  readonly limiter: RateLimiter;
  readonly limits: { readonly queue: number; readonly retrieve: number; readonly other: number; readonly authFailures: number };
  readonly now: () => number;
}

/** Read `Authorization: Bearer <key>`; undefined when absent. */
function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : '';
}

type FoundKey = Awaited<ReturnType<Store['findKeyByHash']>>;
const KEY_CACHE_MS = 1000;
const keyCaches = new WeakMap<AuthenticationOptions, Map<string, { at: number; found: FoundKey }>>();

/**
 * Keys are looked up at most once a second per process: a deleted key, a credit or a Pro change
 * takes effect within a second everywhere, and a busy client costs no query per request.
 */
async function lookUpKey(options: AuthenticationOptions, hash: string, now: number): Promise<FoundKey> {
  let cache = keyCaches.get(options);
  if (!cache) keyCaches.set(options, (cache = new Map()));
  const cached = cache.get(hash);
  if (cached && now - cached.at < KEY_CACHE_MS && now >= cached.at) return cached.found;
  const found = await options.store.findKeyByHash(hash);
  if (cache.size > 10_000) cache.clear();
  if (found) cache.set(hash, { at: now, found });
  return found;
}

/** Drop a key from this process's cache at once (it was deleted here). */
export function forgetCachedKey(options: AuthenticationOptions, keyId: string): void {
  const cache = keyCaches.get(options);
  for (const [hash, entry] of cache ?? []) if (entry.found?.key.id === keyId) cache?.delete(hash);
}

/**
 * A preHandler that authenticates the key, applies the per-key rate limit of the route's
 * family (with the contract's headers) and adds the balance headers. `optional` routes answer
 * without a key but still check one that is sent; `admin` routes need an admin key.
 */
export function authenticate(options: AuthenticationOptions, mode: { optional?: boolean; admin?: boolean } = {}) {
  return async function authenticationHook(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const secret = bearer(request);
    if (secret === undefined && mode.optional) return;
    const now = options.now();
    const hash = secret ? hashKey(secret) : undefined;
    const found = hash ? await lookUpKey(options, hash, now) : undefined;
    if (!found || !hashesEqual(found.key.hash, hash as string) || (found.key.expiresAt !== null && found.key.expiresAt <= now)) {
      const guard = await options.limiter.hit(`auth-failure:${request.ip}`, options.limits.authFailures, 60_000, now);
      if (!guard.allowed) throw new ApiError('rate_limited', {}, undefined, { 'retry-after': String(Math.ceil(guard.resetMs / 1000)) });
      throw new ApiError('authentication_failed');
    }
    if (mode.admin && found.key.type !== 'ADMIN') throw new ApiError('admin_required');
    request.principal = found;
    const family = familyOf(request.url);
    const decision = await options.limiter.hit(`${found.key.id}:${family}`, options.limits[family], 60_000, now);
    const reset = String(Math.ceil(decision.resetMs / 1000));
    reply.header('x-ratelimit-limit-requests', String(decision.limit));
    reply.header('x-ratelimit-remaining-requests', String(decision.remaining));
    reply.header('x-ratelimit-reset-requests', reset);
    if (!decision.allowed) throw new ApiError('rate_limited', {}, undefined, { 'retry-after': reset });
    const balance = await options.store.getBalance(found.account.id, now);
    reply.header('x-venice-balance-usd', String(fromMicros(balance.usd.available)));
    reply.header('x-venice-balance-diem', String(fromMicros(balance.diem.available)));
  };
}
