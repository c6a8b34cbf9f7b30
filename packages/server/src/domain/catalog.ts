import { z } from 'zod';
import { type CatalogModel, catalogFileSchema } from './model-spec.js';

/** The models a server offers, by id, in catalog order. */
export interface Catalog {
  readonly models: readonly CatalogModel[];
  find(id: string): CatalogModel | undefined;
}

/** Thrown when a catalog file is not valid; the message lists every problem with its path. */
export class CatalogError extends Error {
  override name = 'CatalogError';
}

/**
 * Validate a parsed catalog file. `engines` maps an engine name to the formats it can write, so
 * that a model bound to a missing engine or asking for an unsupported format fails at start.
 */
export function parseCatalog(data: unknown, engines: ReadonlyMap<string, readonly string[]>, source = 'catalog'): Catalog {
  const parsed = catalogFileSchema.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new CatalogError(`${source} is not valid:\n${lines.join('\n')}`);
  }
  const problems: string[] = [];
  const byId = new Map<string, CatalogModel>();
  for (const model of parsed.data.models) {
    if (byId.has(model.id)) problems.push(`${model.id}: duplicate id`);
    byId.set(model.id, model);
    problems.push(...checkModel(model, engines).map((problem) => `${model.id}: ${problem}`));
  }
  if (problems.length > 0) throw new CatalogError(`${source} is not valid:\n  ${problems.join('\n  ')}`);
  const models = Object.freeze(parsed.data.models.map((model) => Object.freeze(model)));
  return { models, find: (id) => byId.get(id) };
}

function checkModel(model: CatalogModel, engines: ReadonlyMap<string, readonly string[]>): string[] {
  const spec = model.model_spec;
  const problems: string[] = [];
  const formats = engines.get(model.engine);
  if (!formats) problems.push(`engine "${model.engine}" does not exist (known: ${[...engines.keys()].join(', ')})`);
  for (const format of spec.supported_formats ?? []) {
    if (formats && !formats.includes(format)) problems.push(`engine "${model.engine}" cannot write ${format}`);
  }
  if (spec.default_format && !(spec.supported_formats ?? []).includes(spec.default_format))
    problems.push('default_format is not in supported_formats');
  if (spec.default_voice && spec.voices && !spec.voices.includes(spec.default_voice)) problems.push('default_voice is not in voices');
  if (spec.min_duration !== undefined && spec.max_duration !== undefined && spec.min_duration > spec.max_duration)
    problems.push('min_duration is above max_duration');
  const pricing = spec.pricing;
  const isTts = model.type === 'tts';
  if (isTts !== 'input' in pricing) problems.push('tts models, and only they, are priced by input');
  if (('per_second' in pricing || 'durations' in pricing) && spec.default_duration === undefined)
    problems.push('duration-priced models need default_duration');
  if ('durations' in pricing) {
    for (const [tier, price] of Object.entries(pricing.durations)) {
      if (price.min_seconds > price.max_seconds) problems.push(`durations.${tier}: min_seconds above max_seconds`);
    }
  }
  if (spec.lyrics_required && !spec.supports_lyrics) problems.push('lyrics_required without supports_lyrics');
  return problems;
}

/** JSON schema of the catalog file, for editors and docs. */
export function catalogJsonSchema(): unknown {
  return z.toJSONSchema(catalogFileSchema, { io: 'input' });
}
