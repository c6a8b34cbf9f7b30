import type { Store } from '../ports/store/store.js';
import type { CurrencyAmounts } from '../domain/currency.js';
import type { KeyRecord, KeyType } from '../ports/store/store-records.js';
import { issueKey } from './api-keys.js';

/** What a key's owner asks for when issuing one (`POST /api_keys`); limits are decimal USD/DIEM. */
export interface KeyRequest {
  readonly type: KeyType;
  readonly description: string;
  readonly limits: { usd?: number | null; diem?: number | null };
  readonly expiresAt: number | null;
  readonly webhookUrl: string | null;
}

/** A key of an account with what it has spent in the current epoch. */
export interface KeyWithUsage {
  readonly key: KeyRecord;
  readonly usage: CurrencyAmounts;
}

/** An account's own key management (with an admin key): issue, list with usage, delete. */
export class KeyService {
  constructor(
    private readonly store: Pick<Store, 'accounts' | 'ledger'>,
    private readonly now: () => number,
  ) {}

  /** Issue and store a key; the secret is returned only here. */
  async issue(accountId: string, request: KeyRequest): Promise<{ secret: string; key: KeyRecord }> {
    const issued = issueKey(accountId, request.type, request.description, request.limits, request.expiresAt, request.webhookUrl);
    const key = await this.store.accounts.createKey(issued.record, this.now());
    return { secret: issued.secret, key };
  }

  /** The account's live keys, each with its usage in the current epoch. */
  async list(accountId: string): Promise<KeyWithUsage[]> {
    const keys = await this.store.accounts.listKeys(accountId);
    return Promise.all(keys.map(async (key) => ({ key, usage: await this.store.ledger.keyUsage(key.id, this.now()) })));
  }

  /** Delete one of the account's keys; false when it has no such live key. */
  async delete(accountId: string, keyId: string): Promise<boolean> {
    return this.store.accounts.deleteKey(accountId, keyId, this.now());
  }
}
