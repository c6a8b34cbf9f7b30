/** The largest concurrency an engine instance may have (as in the engines file). */
const MOST = 10_000;

/**
 * Read `OVERTURE_ENGINE_CONCURRENCY`: `name=N` pairs separated by commas (`music=2,speech=4`),
 * each the number of calls the engine instance `name` runs at once per process, 1 to 10,000.
 * Answers the sizes by instance name, or the first problem in words.
 */
export function parseEngineConcurrency(text: string): { readonly sizes: Readonly<Record<string, number>> } | { readonly problem: string } {
  const sizes = new Map<string, number>();
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const match = /^\s*([a-z0-9][a-z0-9._-]*)\s*=\s*(\d{1,5})\s*$/.exec(part);
    const name = match?.[1];
    const size = Number(match?.[2]);
    if (!name || size < 1 || size > MOST)
      return { problem: `must be name=N pairs, N from 1 to ${MOST} (e.g. music=2,speech=4); got "${part.trim()}"` };
    if (sizes.has(name)) return { problem: `names ${name} twice` };
    sizes.set(name, size);
  }
  return { sizes: Object.freeze(Object.fromEntries(sizes)) };
}
