import { randomUUID } from 'node:crypto';
import { amountToMicros } from '../domain/money.js';
import type { Store } from '../ports/store/store.js';
import type { AccountRecord, BalanceSnapshot } from '../ports/store/store-records.js';
import type { WalletPaymentRecord } from '../ports/store/wallet-records.js';
import { issueKey } from './api-keys.js';
import { KeyService } from './key-service.js';
import { newWebhookSecret } from './webhook-signature.js';

/** What an operator gets back when an account is created: the keys are shown only here. */
export interface CreatedAccount {
  readonly account_id: string;
  readonly admin_key: string;
  readonly inference_key: string;
}

/** The id of the account created on first start. */
export const LOCAL_ACCOUNT_ID = '00000000-0000-4000-8000-000000000001';

/**
 * Accounts: the operator's actions (shared by the CLI and the operator HTTP API), an account's
 * balance and signing secret, and its own key management (`keys`).
 */
export class AccountService {
  /** The account's own keys: issue, list with usage, delete. */
  readonly keys: KeyService;

  constructor(
    private readonly store: Pick<Store, 'accounts' | 'ledger' | 'wallets'>,
    private readonly now: () => number,
  ) {
    this.keys = new KeyService(store, now);
  }

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

  /** The account's balance (`at` defaults to now). */
  balance(accountId: string, at: number = this.now()): Promise<BalanceSnapshot> {
    return this.store.ledger.getBalance(accountId, at);
  }

  /** An account with its balance now, for the operator; undefined when it does not exist. */
  async describe(accountId: string): Promise<{ account: AccountRecord; balance: BalanceSnapshot } | undefined> {
    const account = await this.store.accounts.getAccount(accountId);
    if (!account) return undefined;
    return { account, balance: await this.balance(account.id) };
  }

  /** The account's signing secret (`whsec_…`: webhooks and binding quotes), created on first use. */
  webhookSecret(accountId: string): Promise<string> {
    return this.store.accounts.webhookSecret(accountId, newWebhookSecret);
  }

  /** The recorded x402 top-ups with their signed authorizations, newest first (at most `limit`). */
  walletPayments(limit: number): Promise<WalletPaymentRecord[]> {
    return this.store.wallets.listWalletPayments(limit);
  }
}
