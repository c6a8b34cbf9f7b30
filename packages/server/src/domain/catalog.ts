import { z } from 'zod';
import { checkAmount } from './money.js';
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

/** What a row is checked against: what each engine instance writes and, when it says, honours. */
export interface EngineTraits {
  readonly formats: readonly string[];
  readonly capabilities?: { readonly types: readonly string[]; readonly features: readonly string[] } | undefined;
}

/**
 * Validate a parsed catalog file. `engines` maps an engine instance name to what it can do, so
 * that a model bound to a missing instance, asking for a format it cannot write, or claiming a
 * field it cannot honour fails at start rather than at run time.
 */
export function parseCatalog(data: unknown, engines: ReadonlyMap<string, EngineTraits>, source = 'catalog'): Catalog {
  const prices = priceProblems(data);
  if (prices.length > 0) throw new CatalogError(`${source} is not valid:\n  ${prices.join('\n  ')}`);
  const parsed = catalogFileSchema.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issuePath(data, issue.path)}: ${issue.message}`);
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

/** An issue's path, with the id of the model it is in: `models.2.model_spec.name (overture-music)`. */
function issuePath(data: unknown, path: readonly PropertyKey[]): string {
  const text = path.map(String).join('.') || '(root)';
  const [first, index] = path;
  const rows = (data as { models?: unknown } | null)?.models;
  if (first !== 'models' || typeof index !== 'number' || !Array.isArray(rows)) return text;
  const id = (rows[index] as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? `${text} (${id})` : text;
}

/**
 * Every price in the file against the money rule, read before the schema (whose union of pricing
 * shapes would only say "Invalid input"): `id: model_spec.pricing.durations.60.usd …`.
 */
function priceProblems(data: unknown): string[] {
  const rows = (data as { models?: unknown } | null)?.models;
  if (!Array.isArray(rows)) return [];
  return rows.flatMap((row: { id?: unknown; model_spec?: { pricing?: unknown } } | null, index) => {
    const pricing = row?.model_spec?.pricing;
    if (typeof pricing !== 'object' || pricing === null) return [];
    const name = typeof row?.id === 'string' ? row.id : `models.${index}`;
    const shapes = Object.entries(pricing as Record<string, unknown>);
    const pairs = shapes.flatMap(([shape, pair]) =>
      shape === 'durations' && typeof pair === 'object' && pair !== null
        ? Object.entries(pair).map(([tier, price]) => [`durations.${tier}`, price] as const)
        : [[shape, pair] as const],
    );
    return pairs.flatMap(([field, pair]) =>
      (['usd', 'diem'] as const).flatMap((currency) => {
        const value = (pair as Record<string, unknown> | null)?.[currency];
        const checked = typeof value === 'number' ? checkAmount(value) : { micros: 0 };
        return 'problem' in checked ? [`${name}: model_spec.pricing.${field}.${currency} ${checked.problem}`] : [];
      }),
    );
  });
}

/** The `model_spec` claims that need an engine feature. */
function claimedFeatures(model: CatalogModel): string[] {
  const spec = model.model_spec;
  const claims: [boolean | undefined, string][] = [
    [spec.supports_lyrics, 'lyrics'],
    [spec.supports_lyrics_optimizer, 'lyrics_optimizer'],
    [spec.supports_force_instrumental, 'force_instrumental'],
    [spec.supports_loop, 'loop'],
    [model.type === 'music' ? spec.supports_speed : false, 'speed'],
    [spec.supports_language_code, 'language_code'],
    [spec.duration_options !== undefined || spec.min_duration !== undefined || spec.default_duration !== undefined, 'duration'],
  ];
  return claims.filter(([claimed]) => claimed === true).map(([, feature]) => feature);
}

/** Problems of one instance a row names. */
function checkInstance(model: CatalogModel, name: string, traits: EngineTraits | undefined, known: string[]): string[] {
  if (!traits) return [`engine "${name}" does not exist (known: ${known.join(', ')})`];
  const problems: string[] = [];
  for (const format of model.model_spec.supported_formats ?? []) {
    if (!traits.formats.includes(format)) problems.push(`engine "${name}" cannot write ${format}`);
  }
  const capabilities = traits.capabilities;
  if (!capabilities) return problems;
  if (!capabilities.types.includes(model.type)) problems.push(`engine "${name}" does not serve ${model.type} models`);
  for (const feature of claimedFeatures(model)) {
    if (!capabilities.features.includes(feature)) problems.push(`model_spec claims ${feature}, which engine "${name}" cannot honour`);
  }
  return problems;
}

function checkModel(model: CatalogModel, engines: ReadonlyMap<string, EngineTraits>): string[] {
  const spec = model.model_spec;
  const known = [...engines.keys()];
  const problems = model.engine.split(',').flatMap((name) => checkInstance(model, name, engines.get(name), known));
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
