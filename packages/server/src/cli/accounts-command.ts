import { openStore } from '../adapters.js';
import { loadConfig } from '../config.js';
import { toMicros } from '../domain/money.js';
import { AccountService } from '../services/account-service.js';

/**
 * `overture accounts create --name N [--pro] [--usd X] [--diem-daily Y]` and
 * `overture accounts credit ID --usd X`: work on the store directly, also while the server runs.
 */
export async function accountsCommand(positional: string[], options: Record<string, string | true>): Promise<number> {
  const config = loadConfig();
  const store = openStore(config);
  await store.migrate();
  const accounts = new AccountService(store, Date.now);
  const amount = (name: string) => {
    const value = options[name];
    if (value === undefined) return 0;
    const number = Number(value);
    if (value === true || !Number.isFinite(number) || number < 0 || toMicros(number) < 0)
      throw new Error(`--${name} needs a non-negative number`);
    return number;
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
      if (!(amount('usd') > 0)) throw new Error('accounts credit needs --usd AMOUNT above 0');
      if (!(await accounts.credit(id, amount('usd')))) throw new Error(`No account ${id}`);
      process.stdout.write(`${JSON.stringify({ account_id: id, credited_usd: amount('usd') })}\n`);
      return 0;
    }
    throw new Error('usage: overture accounts create --name N [--pro] [--usd X] [--diem-daily Y] | accounts credit ID --usd X');
  } finally {
    await store.close();
  }
}
