import type { ApiKeyType, CreateApiKeyRequest } from '@overture/sdk';
import { type CommandContext, clientCommand } from './command.js';
import { EXIT, UsageError } from './exit-codes.js';
import { definedFields, number, required, text } from './option-values.js';
import { formatUsd, renderTable } from './table.js';

async function create({ options, output, signal, client }: CommandContext): Promise<number> {
  const type = (text(options, 'type') ?? 'inference').toUpperCase();
  if (type !== 'INFERENCE' && type !== 'ADMIN') throw new UsageError('--type must be inference or admin');
  const limitUsd = number(options, 'limit-usd', (value) => value >= 0);
  const limitDiem = number(options, 'limit-diem', (value) => value >= 0);
  const body: CreateApiKeyRequest = {
    apiKeyType: type as ApiKeyType,
    description: required(options, 'description', 'TEXT'),
    ...(limitUsd === undefined && limitDiem === undefined ? {} : { consumptionLimit: { usd: limitUsd ?? null, diem: limitDiem ?? null } }),
    ...definedFields({ expiresAt: text(options, 'expires'), webhookUrl: text(options, 'webhook-url') }),
  };
  const created = await client().apiKeys.create(body, { signal });
  const key = created.data;
  output.result(key.apiKey, created);
  output.note(`Created ${key.apiKeyType} key ${key.id} ("${key.description}"); the secret above is shown only once.`);
  return EXIT.ok;
}

async function list({ output, signal, client }: CommandContext): Promise<number> {
  const keys = await client().apiKeys.list({ signal });
  const rows = keys.data.map((key) => [
    key.id,
    key.apiKeyType,
    `…${key.last6Chars}`,
    key.createdAt.slice(0, 10),
    key.expiresAt?.slice(0, 10) ?? 'never',
    key.consumptionLimits.usd == null ? '-' : formatUsd(key.consumptionLimits.usd),
    key.description,
  ]);
  output.result(
    renderTable(['ID', 'TYPE', 'KEY', 'CREATED', 'EXPIRES', 'LIMIT', 'DESCRIPTION'], rows, (line) => output.bold(line)),
    keys,
  );
  return EXIT.ok;
}

async function remove({ positional, output, signal, client }: CommandContext): Promise<number> {
  const id = positional[1];
  if (!id) throw new UsageError('keys delete needs a key id (see overture keys list)');
  const deleted = await client().apiKeys.delete(id, { signal });
  output.result(deleted.success ? `Deleted key ${id}` : `Key ${id} was not deleted`, deleted);
  return deleted.success ? EXIT.ok : EXIT.unexpected;
}

/** `overture keys create|list|delete`: manage the account's API keys (admin key). */
export const keysCommand = clientCommand({
  summary: "Create, list and delete the account's API keys (admin key)",
  usage:
    'overture keys create --description TEXT [--type inference|admin] [--limit-usd X] [--limit-diem X] [--expires DATE] [--webhook-url URL]\noverture keys list\noverture keys delete KEY_ID',
  words: true,
  options: [
    { name: 'description', value: 'TEXT', description: 'what the key is for (create)' },
    { name: 'type', value: 'inference|admin', description: 'kind of key (create; default inference)' },
    { name: 'limit-usd', value: 'X', description: 'daily USD consumption limit (create)' },
    { name: 'limit-diem', value: 'X', description: 'daily DIEM consumption limit (create)' },
    { name: 'expires', value: 'DATE', description: 'ISO date or datetime after which the key stops working (create)' },
    { name: 'webhook-url', value: 'URL', description: "where to send signed events of this key's jobs (create; Overture)" },
  ],
  async run(context) {
    const action = context.positional[0];
    if (action === 'create') return create(context);
    if (action === 'list') return list(context);
    if (action === 'delete') return remove(context);
    throw new UsageError(
      action ? `Unknown keys action "${action}": use create, list or delete` : 'keys needs an action: create, list or delete',
    );
  },
});
