import type { Micros } from '../../domain/money.js';
import type { AccountRecord, KeyRecord, NewKey } from './store-records.js';

/**
 * Accounts, their API keys and their signing secret.
 * Part of the persistence port (`store.ts`): each method is one atomic operation, run by the
 * adapter in one transaction. Times are milliseconds since the epoch, passed in.
 */
export interface AccountStore {
  /** Create an account with an initial USD grant (in micro-USD) and its first keys, atomically. */
  createAccount(
    account: Omit<AccountRecord, 'createdAt'>,
    initialGrant: Micros,
    keys: readonly NewKey[],
    now: number,
  ): Promise<AccountRecord>;
  /** Add `amount` micro-USD to an account (a grant). False when the account does not exist. */
  creditAccount(accountId: string, amount: Micros, note: string, now: number): Promise<boolean>;
  getAccount(accountId: string): Promise<AccountRecord | undefined>;
  countAccounts(): Promise<number>;
  createKey(key: NewKey, now: number): Promise<KeyRecord>;
  /** The live (not deleted) key with this hash, and its account. */
  findKeyByHash(hash: string): Promise<{ key: KeyRecord; account: AccountRecord } | undefined>;
  listKeys(accountId: string): Promise<KeyRecord[]>;
  /** Soft-delete a key of this account; false when there is none. */
  deleteKey(accountId: string, keyId: string, now: number): Promise<boolean>;
  /** The account's signing secret (`whsec_…`: webhooks and binding quotes), created on first use. */
  webhookSecret(accountId: string, create: () => string): Promise<string>;
}
