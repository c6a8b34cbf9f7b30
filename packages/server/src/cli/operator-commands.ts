import { operatorCommand } from './command.js';

// The server modules load lazily, so that client commands start fast.

/** `overture serve`: run the server. */
export const serveDefinition = operatorCommand({
  summary: 'Run the server (PORT and OVERTURE_* settings from the environment)',
  usage: 'overture serve [--role all|api|worker]',
  options: [{ name: 'role', value: 'all|api|worker', description: 'run the HTTP API, the workers, or both (default all)' }],
  async run({ options }) {
    const { serveCommand } = await import('./serve-command.js');
    return serveCommand({ ...options });
  },
});

/** `overture migrate`: create or upgrade the database. */
export const migrateDefinition = operatorCommand({
  summary: 'Create or upgrade the database, then exit',
  usage: 'overture migrate',
  async run({ output }) {
    const { loadConfig } = await import('../app/config.js');
    const { openStore } = await import('../app/adapters.js');
    const store = await openStore(loadConfig());
    await store.migrate();
    await store.close();
    output.result('migrated', { migrated: true });
    return 0;
  },
});

/** `overture accounts create|credit`: work on the store directly, also while the server runs. */
export const accountsDefinition = operatorCommand({
  summary: 'Create or credit accounts in the local database (operator)',
  usage: 'overture accounts create --name N [--pro] [--usd X] [--diem-daily Y]\noverture accounts credit ACCOUNT_ID --usd X',
  options: [
    { name: 'name', value: 'N', description: 'account name (create)' },
    { name: 'pro', description: 'a Pro account (create)' },
    { name: 'usd', value: 'X', description: 'USD to start with (create) or to add (credit)' },
    { name: 'diem-daily', value: 'Y', description: 'daily DIEM allocation (create)' },
  ],
  async run({ positional, options }) {
    const { accountsCommand } = await import('./accounts-command.js');
    return accountsCommand([...positional], { ...options });
  },
});
