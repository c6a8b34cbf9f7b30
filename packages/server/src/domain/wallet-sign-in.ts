import { checksumAddress, isAddress, personalMessageDigest, recoverAddress } from './evm-signature.js';
import { parseSignInMessage } from './sign-in-message.js';

/**
 * The `SIGN-IN-WITH-X` header: base64 of `{"address","message","signature","timestamp",
 * "chainId"}` where `message` is an EIP-4361 message and `signature` its `personal_sign`.
 * Checking it is pure: the caller passes the clock, the request's host and the chain.
 */
export interface SignInRules {
  /** The chain sign-ins must name (8453 for Base). */
  readonly chainId: number;
  /** The request's `Host` (with port when sent); the message's domain must be this host. */
  readonly host: string;
  /** How long after `Issued At` a signed message is accepted (milliseconds). */
  readonly maxAgeMs: number;
  /** Clock tolerance for times in the future (milliseconds). */
  readonly skewMs: number;
  readonly now: number;
}

/** A verified sign-in: the wallet (checksummed), the message's nonce and when the header stops being accepted. */
export type SignInResult =
  | { readonly ok: true; readonly address: string; readonly nonce: string; readonly validUntil: number }
  | { readonly ok: false; readonly reason: string };

const fail = (reason: string): SignInResult => ({ ok: false, reason });

/** The chain id of `8453`, `"8453"` or `"eip155:8453"`; undefined otherwise. */
export function chainIdOf(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.replace(/^eip155:/, '') : '';
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

function timeOf(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return /^\d{4}-\d{2}-\d{2}T/.test(iso) && Number.isFinite(ms) ? ms : Number.NaN;
}

function hostOf(value: string): string | undefined {
  try {
    return new URL(value.includes('://') ? value : `https://${value}`).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/** Decode the header's base64 JSON; a reason when it is not that. */
export function decodeSignInHeader(header: string): Record<string, unknown> | string {
  const text = Buffer.from(header.trim(), 'base64').toString('utf8');
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : 'the SIGN-IN-WITH-X header is not a JSON object';
  } catch {
    return 'the SIGN-IN-WITH-X header is not base64-encoded JSON';
  }
}

/** Verify a `SIGN-IN-WITH-X` header against the rules. */
export function verifySignIn(header: string, rules: SignInRules): SignInResult {
  const payload = decodeSignInHeader(header);
  if (typeof payload === 'string') return fail(payload);
  const { address, message, signature } = payload;
  if (!isAddress(address) || typeof message !== 'string' || typeof signature !== 'string')
    return fail('the SIGN-IN-WITH-X header needs address, message and signature');
  if (payload.type !== undefined && payload.type !== 'eip191') return fail('only EVM (EIP-191) signatures are supported');
  const parsed = parseSignInMessage(message);
  if (typeof parsed === 'string') return fail(parsed);
  if (parsed.address.toLowerCase() !== address.toLowerCase()) return fail('the message is for another address');
  if (parsed.version !== '1') return fail('the message version must be 1');
  if (parsed.chainId !== rules.chainId || (payload.chainId !== undefined && chainIdOf(payload.chainId) !== rules.chainId))
    return fail(`the sign-in must be for chain ${rules.chainId}`);
  const host = rules.host.toLowerCase();
  const bareHost = host.replace(/:\d+$/, '');
  const domain = parsed.domain.toLowerCase();
  if (domain !== host && domain !== bareHost) return fail(`the message domain must be ${rules.host}`);
  const uriHost = hostOf(parsed.uri);
  if (uriHost !== host && uriHost !== bareHost && uriHost !== domain) return fail('the message URI must be on the message domain');
  const issuedAt = timeOf(parsed.issuedAt) as number;
  const expiresAt = timeOf(parsed.expirationTime);
  const notBefore = timeOf(parsed.notBefore);
  if ([issuedAt, expiresAt, notBefore].some((time) => Number.isNaN(time))) return fail('the message has an invalid time');
  if (issuedAt > rules.now + rules.skewMs) return fail('the message is issued in the future');
  const validUntil = Math.min(issuedAt + rules.maxAgeMs, expiresAt ?? Number.POSITIVE_INFINITY);
  if (validUntil <= rules.now) return fail('the sign-in has expired; sign a new message');
  if (notBefore !== undefined && notBefore > rules.now + rules.skewMs) return fail('the sign-in is not valid yet');
  const signer = recoverAddress(personalMessageDigest(message), signature);
  if (!signer || signer.toLowerCase() !== address.toLowerCase()) return fail('the signature does not match the address');
  return { ok: true, address: checksumAddress(address), nonce: parsed.nonce, validUntil };
}
