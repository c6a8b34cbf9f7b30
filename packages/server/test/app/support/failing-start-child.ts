// Started by create-app-failure.test.ts: composes the app from the environment it is given and
// reports why the start failed, then returns without process.exit: the process ends by itself
// only when the failed start left nothing open (engine threads, store, timers).
import { loadConfig } from '../../../src/app/config.js';
import { createApp } from '../../../src/app/create-app.js';

try {
  const app = await createApp(loadConfig());
  process.stdout.write('started\n');
  await app.close();
} catch (error) {
  process.stdout.write(`refused: ${(error as Error).message}\n`);
}
