import { ApiError } from '../domain/api-error.js';
import type { Catalog } from '../domain/catalog.js';
import type { CatalogModel } from '../domain/model-spec.js';
import type { Principal } from './principal.js';

/** Find a model of the given type, or the contract's 404; Pro-only models answer 401 to others. */
export function resolveModel(catalog: Catalog, id: string, type: 'music' | 'tts', principal?: Principal): CatalogModel {
  const model = catalog.find(id);
  if (!model || model.type !== type) throw new ApiError('model_not_found');
  if (model.pro_only && principal && !principal.account.pro) throw new ApiError('pro_only');
  return model;
}

/** The contract's 503 (at capacity), with the row's `Retry-After`, while a model is paused in the catalog. */
export function assertAccepting(model: CatalogModel): void {
  if (model.paused) throw new ApiError('capacity', {}, undefined, { 'retry-after': String(model.paused.retry_after_seconds) });
}

/** A 32-bit seed from the parts of a request, so the same request gives the same bytes. */
export function seedOf(...parts: readonly unknown[]): number {
  let hash = 0x811c9dc5;
  for (const character of JSON.stringify(parts)) {
    hash ^= character.codePointAt(0) as number;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
