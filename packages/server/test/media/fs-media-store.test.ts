import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { FsMediaStore } from '../../src/media/fs-media-store.js';
import { runMediaConformance } from './media-conformance.js';

const root = mkdtempSync(join(tmpdir(), 'overture-media-'));
after(() => rmSync(root, { recursive: true, force: true }));

let count = 0;
runMediaConformance('filesystem', async () => new FsMediaStore(join(root, `store-${count++}`)));
