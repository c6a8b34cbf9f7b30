import { randomUUID } from 'node:crypto';
import { amountToMicros } from '../domain/money.js';
import type { Store } from '../ports/store/store.js';
import { issueKey } from './api-keys.js';

/** What an operator gets back when an account is created: the keys are shown only here. */
export interface CreatedAccount {
  readonly account_id: string;
  readonly admin_key: string;
  readonly inference_key: string;
}

/** The id of the account created on first start. */
export const LOCAL_ACCOUNT_ID = '00000000-0000-4000-8000-000000000001';

/** Operator actions on accounts, shared by the CLI and the operator HTTP API. */
export class AccountService {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  /**
   * Create an account with an admin and an inference key. Amounts are decimal USD/DIEM; one that
   * breaks the money rule throws an AmountError naming `usd` or `diem_daily`, and nothing is created.
   */
  async create(input: { name: string; pro: boolean; usd: number; diemDaily: number }, id: string = randomUUID()): Promise<CreatedAccount> {
    const usd = amountToMicros(input.usd, 'usd');
    const diemDaily = amountToMicros(input.diemDaily, 'diem_daily');
    const admin = issueKey(id, 'ADMIN', 'Admin key');
    const inference = issueKey(id, 'INFERENCE', 'Inference key');
    await this.store.accounts.createAccount(
      { id, name: input.name, pro: input.pro, diemDaily },
      usd,
      [admin.record, inference.record],
      this.now(),
    );
    return { account_id: id, admin_key: admin.secret, inference_key: inference.secret };
  }

  /**
   * Add USD to an account; false when it does not exist. An amount that breaks the money rule, or
   * that would take the account past MAX_BALANCE_MICROS granted, throws an AmountError (`usd`).
   */
  async credit(accountId: string, usd: number, note = 'operator credit'): Promise<boolean> {
    return this.store.accounts.creditAccount(accountId, amountToMicros(usd, 'usd', { positive: true }), note, this.now());
  }

  /** On first start with an empty database, create the local account; undefined otherwise. */
  async bootstrap(usd: number, diemDaily: number): Promise<CreatedAccount | undefined> {
    if ((await this.store.accounts.countAccounts()) > 0) return undefined;
    // Several processes may start together on one empty database: the local account has a fixed
    // id, so only the first insert wins and the others print nothing.
    try {
      return await this.create({ name: 'local', pro: true, usd, diemDaily }, LOCAL_ACCOUNT_ID);
    } catch (error) {
      if ((await this.store.accounts.getAccount(LOCAL_ACCOUNT_ID)) !== undefined) return undefined;
      throw error;
    }
  }
}
