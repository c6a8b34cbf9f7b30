// Runs every `*.test.ts` under packages/*/test with Node's test runner (Node 20 has no --test globs).
// A test that hangs fails after 10 minutes (long enough for the multi-process test on a loaded machine).
// Extra arguments narrow the run: `npm test -- speech` runs only files whose path contains "speech".
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const filters = process.argv.slice(2);
const found = [];
const walk = (directory) => {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') walk(path);
    else if (entry.name.endsWith('.test.ts')) found.push(path);
  }
};
for (const pkg of readdirSync('packages')) {
  try {
    walk(join('packages', pkg, 'test'));
  } catch {}
}
const files = found.sort().filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=600000', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
