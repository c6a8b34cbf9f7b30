import { openStore } from '../app/adapters.js';
import { loadConfig } from '../app/config.js';
import { AMOUNT_RULE, amountToMicros, fromMicros } from '../domain/money.js';
import { AccountService } from '../services/account-service.js';

/**
 * `overture accounts create --name N [--pro] [--usd X] [--diem-daily Y]` and
 * `overture accounts credit ID --usd X`: work on the store directly, also while the server runs.
 */
export async function accountsCommand(positional: string[], options: Record<string, string | true>): Promise<number> {
  const config = loadConfig();
  const store = await openStore(config);
  await store.migrate();
  const accounts = new AccountService(store, Date.now);
  // Checked as the text typed, digit by digit (the same rule as the operator API), before any
  // write: `--usd 1e300` or `--usd 0.0000001` exits with the rule and changes nothing.
  const amount = (name: string, positive = false) => {
    const value = options[name];
    if (value === undefined) return 0;
    if (value === true) throw new Error(`--${name} needs an amount: ${AMOUNT_RULE}`);
    return fromMicros(amountToMicros(value, `--${name}`, { positive }));
  };
  try {
    const [action, id] = positional;
    if (action === 'create') {
      if (typeof options.name !== 'string' || options.name.trim() === '') throw new Error('accounts create needs --name NAME');
      const created = await accounts.create({
        name: options.name,
        pro: options.pro === true,
        usd: amount('usd'),
        diemDaily: amount('diem-daily'),
      });
      process.stdout.write(`${JSON.stringify(created)}\n`);
      return 0;
    }
    if (action === 'credit') {
      if (!id) throw new Error('accounts credit needs an account id');
      if (options.usd === undefined) throw new Error('accounts credit needs --usd AMOUNT above 0');
      const usd = amount('usd', true);
      if (!(await accounts.credit(id, usd))) throw new Error(`No account ${id}`);
      process.stdout.write(`${JSON.stringify({ account_id: id, credited_usd: usd })}\n`);
      return 0;
    }
    throw new Error('usage: overture accounts create --name N [--pro] [--usd X] [--diem-daily Y] | accounts credit ID --usd X');
  } finally {
    await store.close();
  }
}
