import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CurrencyAmounts } from '../domain/currency.js';

/** What a binding quote locks: who, which model and request size, the price, until when. */
export interface QuoteTerms {
  readonly accountId: string;
  readonly modelId: string;
  readonly durationSeconds: number | null;
  readonly characterCount: number | null;
  readonly price: CurrencyAmounts;
  readonly expiresAt: number;
}

const derived = new Map<string, Buffer>();

/** The signing key derived from an account's secret, derived once per process. */
function key(secret: string): Buffer {
  let value = derived.get(secret);
  if (!value) {
    if (derived.size >= 10_000) derived.clear();
    derived.set(secret, (value = createHmac('sha256', secret).update('overture binding quote v1').digest()));
  }
  return value;
}

/**
 * A binding quote is a signed token, not a row: issuing one writes nothing, so quoting with a
 * key stays as cheap as quoting without one. Signed with a key derived from the account's secret.
 */
export function signQuote(secret: string, terms: QuoteTerms): string {
  const body = Buffer.from(JSON.stringify(terms)).toString('base64url');
  return `${body}.${createHmac('sha256', key(secret)).update(body).digest('base64url')}`;
}

/** The terms of a token this account's secret signed, or undefined for anything else. */
export function verifyQuote(secret: string, token: string): QuoteTerms | undefined {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return undefined;
  const expected = createHmac('sha256', key(secret)).update(body).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as QuoteTerms;
  } catch {
    return undefined;
  }
}
