import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT } from './child.js';

/** The instance name of the upstream in every gateway the bench starts. */
export const UPSTREAM_INSTANCE = 'upstream';

/** A catalog row as the files hold it (only what the bench edits is typed). */
export interface CatalogRow extends Record<string, unknown> {
  id: string;
  engine: string;
}

/** A gateway's catalog and engines files, in a directory of their own. */
export interface GatewayFiles {
  /** `OVERTURE_CATALOG` and `OVERTURE_ENGINES` pointing at the files. */
  readonly env: Record<string, string>;
  remove(): void;
}

/**
 * Write the files of a gateway Overture: the default catalog edited by `edit` (which binds rows to
 * the instance `upstream`) and an engines file declaring `upstream` as a `venice` instance with
 * `instance`'s settings (url, concurrency, options…).
 */
export function writeGatewayFiles(instance: Record<string, unknown>, edit: (rows: CatalogRow[]) => CatalogRow[]): GatewayFiles {
  const directory = mkdtempSync(join(tmpdir(), 'overture-bench-gateway-'));
  const catalog = JSON.parse(readFileSync(resolve(ROOT, 'packages/server/catalogs/default.json'), 'utf8')) as { models: CatalogRow[] };
  const catalogPath = join(directory, 'catalog.json');
  writeFileSync(catalogPath, JSON.stringify({ ...catalog, models: edit(catalog.models) }));
  const enginesPath = join(directory, 'engines.json');
  writeFileSync(enginesPath, JSON.stringify({ engines: { [UPSTREAM_INSTANCE]: { adapter: 'venice', ...instance } } }));
  return {
    env: { OVERTURE_CATALOG: catalogPath, OVERTURE_ENGINES: enginesPath },
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}
