/** The default base URL: a local Overture server. */
export const DEFAULT_BASE_URL = 'http://localhost:8080/api/v1';

type Environment = Record<string, string | undefined>;

/** `process.env` where it exists (Node, Bun, Deno with compatibility), else an empty record. */
function environment(): Environment {
  try {
    const process = (globalThis as { process?: { env?: Environment } }).process;
    return process?.env ?? {};
  } catch {
    return {};
  }
}

/** The first non-empty value among the named environment variables. */
export function fromEnvironment(...names: string[]): string | undefined {
  const env = environment();
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') return value.trim();
  }
  return undefined;
}
