import { accountsCommand } from './accounts-command.js';
import { parseArguments } from './parse-arguments.js';
import { serveCommand } from './serve-command.js';

const HELP = `overture — self-hosted music and voice generation

Usage:
  overture serve [--role all|api|worker]     run the server (PORT, OVERTURE_* from the environment)
  overture migrate                           create or upgrade the database, then exit
  overture accounts create --name N [--pro] [--usd X] [--diem-daily Y]
  overture accounts credit ACCOUNT_ID --usd X
  overture --help

Exit codes: 0 success, 1 error, 2 usage error.`;

/** The CLI entry point; resolves with the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const { positional, options } = parseArguments(argv, ['pro', 'help', 'json']);
  const [command, ...rest] = positional;
  if (options.help || !command) {
    process.stdout.write(`${HELP}\n`);
    return command || options.help ? 0 : 2;
  }
  switch (command) {
    case 'serve':
      return serveCommand(options);
    case 'accounts':
      return accountsCommand(rest, options);
    case 'migrate': {
      const { loadConfig } = await import('../config.js');
      const { SqliteStore } = await import('../store/sqlite/sqlite-store.js');
      const store = new SqliteStore({ path: loadConfig().databasePath });
      await store.migrate();
      await store.close();
      process.stdout.write('migrated\n');
      return 0;
    }
    default:
      process.stderr.write(`Unknown command: ${command}\n\n${HELP}\n`);
      return 2;
  }
}
