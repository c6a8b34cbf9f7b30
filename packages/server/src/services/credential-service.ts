import type { Store } from '../ports/store/store.js';
import type { AccountRecord, BalanceSnapshot, KeyRecord } from '../ports/store/store-records.js';

/** A live key found by its hash, with its account; undefined when no live key has that hash. */
export type FoundKey = { key: KeyRecord; account: AccountRecord } | undefined;

const KEY_CACHE_MS = 1000;
const KEY_CACHE_LIMIT = 10_000;

/**
 * What the authentication hook reads on every request: the key of a hash and the account's
 * balance. Keys are looked up at most once a second per process: a deleted key, a credit or a
 * Pro change takes effect within a second everywhere, and a busy client costs no query per request.
 */
export class CredentialService {
  private readonly keys = new Map<string, { at: number; found: FoundKey }>();

  constructor(private readonly store: Pick<Store, 'accounts' | 'ledger'>) {}

  /** The live key with this hash and its account, from this process's one-second cache when fresh. */
  async findKey(hash: string, now: number): Promise<FoundKey> {
    const cached = this.keys.get(hash);
    if (cached && now - cached.at < KEY_CACHE_MS && now >= cached.at) return cached.found;
    const found = await this.store.accounts.findKeyByHash(hash);
    if (this.keys.size > KEY_CACHE_LIMIT) this.keys.clear();
    if (found) this.keys.set(hash, { at: now, found });
    return found;
  }

  /** Drop a key from this process's cache at once (it was deleted here). */
  forgetKey(keyId: string): void {
    for (const [hash, entry] of this.keys) if (entry.found?.key.id === keyId) this.keys.delete(hash);
  }

  /** The account's balance at `now` (the balance headers of every authenticated answer). */
  balance(accountId: string, now: number): Promise<BalanceSnapshot> {
    return this.store.ledger.getBalance(accountId, now);
  }
}
