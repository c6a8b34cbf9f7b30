import * as crypto from 'node:crypto';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { toMicros } from '../domain/money.js';
import type { KeyType, NewKey } from '../ports/store/store-records.js';

/** A new key: the secret (shown once) and the record to store (hash only). */
export interface IssuedKey {
  readonly secret: string;
  readonly record: NewKey;
}

/** SHA-256 of a key, hex. Keys carry 256 random bits, so a fast hash is enough. */
export function hashKey(secret: string): string {
  // Every authenticated request hashes its key: the one-shot hash (Node ≥ 20.12) is 3× cheaper.
  return oneShotHash ? oneShotHash('sha256', secret, 'hex') : createHash('sha256').update(secret).digest('hex');
}

const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

/** Constant-time comparison of two hex hashes. */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Make a key for an account. Limits are decimal USD/DIEM per epoch. */
export function issueKey(
  accountId: string,
  type: KeyType,
  description: string,
  limits: { usd?: number | null; diem?: number | null } = {},
  expiresAt: number | null = null,
  webhookUrl: string | null = null,
): IssuedKey {
  const prefix = type === 'ADMIN' ? 'ovt_admin_' : 'ovt_';
  const secret = prefix + randomBytes(32).toString('base64url');
  return {
    secret,
    record: {
      id: randomUUID(),
      accountId,
      type,
      description,
      hash: hashKey(secret),
      lastChars: secret.slice(-6),
      expiresAt,
      limitUsd: limits.usd === undefined || limits.usd === null ? null : toMicros(limits.usd),
      limitDiem: limits.diem === undefined || limits.diem === null ? null : toMicros(limits.diem),
      webhookUrl,
    },
  };
}
