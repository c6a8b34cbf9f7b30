import type { z } from 'zod';
import { EngineRejection, type EngineRequest } from '../../ports/engine.js';

/**
 * A reader of catalog rows' `engine_options`: checked against the strict `schema` and made ready
 * by `resolve` once per row. A bad row refuses the request (`refused`), naming the row, the
 * adapter (`adapter`, e.g. "fal") and every problem: `engine_options: unknown <keys> (known: …)`
 * or `engine_options.<path>: <problem>`.
 */
export function rowOptionsReader<S extends z.ZodObject, T>(
  schema: S,
  adapter: string,
  resolve: (row: z.output<S>) => T,
): (request: EngineRequest) => T {
  const cache = new WeakMap<object, T>();
  const known = Object.keys(schema.shape).join(', ');
  return (request) => {
    const cached = cache.get(request.options);
    if (cached) return cached;
    const parsed = schema.safeParse(request.options);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) =>
        issue.code === 'unrecognized_keys'
          ? `engine_options: unknown ${issue.keys.join(', ')} (known: ${known})`
          : `engine_options.${issue.path.join('.')}: ${issue.message}`,
      );
      throw new EngineRejection('refused', `The catalog row ${request.modelId} is misconfigured for ${adapter}: ${problems.join('; ')}`);
    }
    const row = resolve(parsed.data);
    cache.set(request.options, row);
    return row;
  };
}
