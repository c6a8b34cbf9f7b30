import type { AccountRecord, KeyRecord } from '../ports/store/store-records.js';

/** Who is calling: the key that authenticated the request and its account. */
export interface Principal {
  readonly key: KeyRecord;
  readonly account: AccountRecord;
  /** Set for x402 wallets (signed in with `SIGN-IN-WITH-X`): the checksummed address. */
  readonly wallet?: string;
}
