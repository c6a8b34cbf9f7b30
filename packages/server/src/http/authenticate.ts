import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../domain/api-error.js';
import { fromMicros } from '../domain/money.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import { hashesEqual, hashKey } from '../services/api-keys.js';
import type { CredentialService, FoundKey } from '../services/credential-service.js';
import type { Principal } from '../services/principal.js';
import type { WalletService } from '../services/wallet-service.js';
import { familyOf } from './route-families.js';
import './request-context.js';

export interface AuthenticationOptions {
  /** Keys by hash (cached a second) and balances. */
  readonly credentials: CredentialService;
  readonly limiter: RateLimiter;
  readonly limits: { readonly queue: number; readonly retrieve: number; readonly other: number; readonly authFailures: number };
  readonly now: () => number;
  /** x402 wallet sign-in; absent when x402 is disabled (the header is then ignored). */
  wallets?: WalletService;
}

/**
 * Read the account's balance now and say it in the balance headers (`x-venice-balance-usd`,
 * `x-venice-balance-diem`; `x-balance-remaining` for a wallet). Routes that hold money call it
 * again after the hold, so the answer shows what is left.
 */
export async function showBalance(options: Pick<AuthenticationOptions, 'credentials' | 'now'>, principal: Principal, reply: FastifyReply) {
  const balance = await options.credentials.balance(principal.account.id, options.now());
  reply.header('x-venice-balance-usd', String(fromMicros(balance.usd.available)));
  reply.header('x-venice-balance-diem', String(fromMicros(balance.diem.available)));
  if (principal.wallet) reply.header('x-balance-remaining', String(fromMicros(balance.usd.available)));
  return balance;
}

/** Read `Authorization: Bearer <key>`; undefined when absent. */
function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : '';
}

/** The live key of a hash, through the credentials' one-second cache (the wallets' sign-in uses it too). */
export function lookUpKey(options: Pick<AuthenticationOptions, 'credentials'>, hash: string, now: number): Promise<FoundKey> {
  return options.credentials.findKey(hash, now);
}

/** The `SIGN-IN-WITH-X` header (or Venice's `X-Sign-In-With-X`), when sent. */
function signInHeader(request: FastifyRequest): string | undefined {
  const value = request.headers['sign-in-with-x'] ?? request.headers['x-sign-in-with-x'];
  return Array.isArray(value) ? value[0] : value;
}

/** Count a failed authentication against the client's address, then refuse with `error`. */
async function refuse(options: AuthenticationOptions, request: FastifyRequest, error: ApiError, now: number): Promise<never> {
  const guard = await options.limiter.hit(`auth-failure:${request.ip}`, options.limits.authFailures, 60_000, now);
  if (!guard.allowed) throw new ApiError('rate_limited', {}, undefined, { 'retry-after': String(Math.ceil(guard.resetMs / 1000)) });
  throw error;
}

/** The principal of a bearer key or of a signed-in wallet (undefined: none sent, on an optional route). */
async function principalOf(
  options: AuthenticationOptions,
  request: FastifyRequest,
  mode: { optional?: boolean; admin?: boolean; wallet?: boolean },
  now: number,
): Promise<Principal | undefined> {
  const secret = bearer(request);
  const signIn = options.wallets && !mode.admin && secret === undefined ? signInHeader(request) : undefined;
  if (signIn !== undefined && options.wallets) {
    try {
      return await options.wallets.signIn(signIn, request.host);
    } catch (error) {
      return error instanceof ApiError && error.code === 'sign_in_invalid' ? refuse(options, request, error, now) : Promise.reject(error);
    }
  }
  if (mode.wallet) return refuse(options, request, new ApiError('sign_in_invalid', { reason: 'a SIGN-IN-WITH-X header is required' }), now);
  if (secret === undefined && mode.optional) return undefined;
  const hash = secret ? hashKey(secret) : undefined;
  const found = hash ? await options.credentials.findKey(hash, now) : undefined;
  if (!found || !hashesEqual(found.key.hash, hash as string) || (found.key.expiresAt !== null && found.key.expiresAt <= now))
    return refuse(options, request, new ApiError('authentication_failed'), now);
  if (mode.admin && found.key.type !== 'ADMIN') throw new ApiError('admin_required');
  return found;
}

/**
 * A preHandler that authenticates the key, applies the per-key rate limit of the route's
 * family (with the contract's headers) and adds the balance headers. `optional` routes answer
 * without a key but still check one that is sent; `admin` routes need an admin key; `wallet`
 * routes need a signed-in wallet. A `SIGN-IN-WITH-X` header stands for a key on every other
 * route; a wallet's 402s become x402's `PAYMENT_REQUIRED` answers with the payment options.
 */
export function authenticate(options: AuthenticationOptions, mode: { optional?: boolean; admin?: boolean; wallet?: boolean } = {}) {
  return async function authenticationHook(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const now = options.now();
    const found = await principalOf(options, request, mode, now);
    if (!found) return;
    request.principal = found;
    const family = familyOf(request.url);
    const decision = await options.limiter.hit(`${found.key.id}:${family}`, options.limits[family], 60_000, now);
    const reset = String(Math.ceil(decision.resetMs / 1000));
    reply.header('x-ratelimit-limit-requests', String(decision.limit));
    reply.header('x-ratelimit-remaining-requests', String(decision.remaining));
    reply.header('x-ratelimit-reset-requests', reset);
    if (!decision.allowed) throw new ApiError('rate_limited', {}, undefined, { 'retry-after': reset });
    const balance = await showBalance(options, found, reply);
    const wallets = options.wallets;
    if (found.wallet && wallets) {
      const resource = `${request.protocol}://${request.host}${request.url}`;
      request.rewriteError = (error) =>
        error.code === 'insufficient_balance' || error.code === 'consumption_limit'
          ? wallets.paymentRequiredError(resource, 'Insufficient x402 balance', {
              balanceUsd: fromMicros(balance.usd.available),
            })
          : error;
    }
  };
}
