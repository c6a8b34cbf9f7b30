import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startServer } from '../support/child-process.js';
import { toneCatalogFile } from '../support/test-app.js';

test('overture serve on a port already in use exits non-zero, saying so', async () => {
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const port = (busy.address() as { port: number }).port;
  const directory = mkdtempSync(join(tmpdir(), 'overture-busy-port-'));
  const child = startServer('busy', 'all', {
    PORT: String(port),
    HOST: '127.0.0.1',
    OVERTURE_DATA_DIR: directory,
    OVERTURE_CATALOG: toneCatalogFile(directory, () => undefined, 'tone.json'),
  });
  try {
    // Generous for a loaded machine: today's server never exits at all.
    const exited = once(child.process, 'exit');
    const limit = new Promise<'running'>((resolve) => setTimeout(resolve, 90_000, 'running').unref());
    const outcome = await Promise.race([exited, limit]);
    assert.notEqual(outcome, 'running', `still running while not listening:\n${child.output()}`);
    assert.notEqual(child.process.exitCode, 0);
    assert.match(child.output(), new RegExp(`port ${port} .*in use`, 'i'));
  } finally {
    await child.stop();
    busy.close();
    rmSync(directory, { recursive: true, force: true });
  }
});
