// The long fault simulation: `node scripts/fault-simulation.mjs --seeds 1000 [--first 1] [--kill-every 5] [--steps 60] [--postgres]`.
// Each seed runs the real app, pools and worker processes under injected faults and checks the
// money and job invariants; a failing seed is printed and replays with OVERTURE_FAULT_SEED=<seed>.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const entry = join(import.meta.dirname, '../packages/server/test/reliability/support/fault-main.ts');
const result = spawnSync(process.execPath, ['--import', 'tsx', entry, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
