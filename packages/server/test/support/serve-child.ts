// Started by the multi-process test: runs `overture serve` (from the TypeScript sources) with the
// arguments and environment it is given, until it is signalled.
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
