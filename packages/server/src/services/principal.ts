import type { AccountRecord, KeyRecord } from '../ports/store.js';

/** Who is calling: the key that authenticated the request and its account. */
export interface Principal {
  readonly key: KeyRecord;
  readonly account: AccountRecord;
}
