import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Catalog, CatalogError, type EngineTraits, parseCatalog } from '../domain/catalog.js';

const presetDirectory = resolve(dirname(fileURLToPath(import.meta.url)), '../../catalogs');

/** Load a preset (`default`, `venice`, `test`) or a catalog file path, validated against the engine instances. */
export function loadCatalog(nameOrPath: string, engines: ReadonlyMap<string, EngineTraits>): Catalog {
  const path = /^[a-z]+$/.test(nameOrPath) ? resolve(presetDirectory, `${nameOrPath}.json`) : resolve(nameOrPath);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CatalogError(`Cannot read catalog ${path}: ${(error as Error).message}`);
  }
  return parseCatalog(data, engines, path);
}
