// The long HTTP fuzz: `node scripts/http-fuzz.mjs --requests 100000 [--per-seed 10000] [--seed 1]`.
// Every route, schema-aware and random bodies, headers and content types; stops at the first
// 5xx, malformed rejection or state change by a rejected request, printing how to replay it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const entry = join(import.meta.dirname, '../packages/server/test/reliability/support/fuzz-main.ts');
const result = spawnSync(process.execPath, ['--import', 'tsx', entry, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
