import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { amountSchema } from '../domain/request-schemas.js';

const instanceName = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, dots, dashes');
const positive = z.number().positive();

/** What an upstream charges Overture, in USD, for one request: one shape per instance; each amount follows the money rule. */
export const upstreamCostSchema = z.union([
  z.strictObject({ usd_per_job: amountSchema() }),
  z.strictObject({ usd_per_second: amountSchema() }),
  z.strictObject({ usd_per_thousand_characters: amountSchema() }),
]);

/** One named engine instance of the engines file. */
export const engineInstanceSchema = z.strictObject({
  /** The adapter that speaks to it: a built-in engine (`tone`, `music`, `effects`, `speech`) or a remote one (`venice`, `openai-speech`). */
  adapter: z.string().min(1),
  /** Base URL of a remote instance. */
  url: z
    .string()
    .regex(/^https?:\/\/[^\s]+$/, 'must be an http:// or https:// URL')
    .optional(),
  /** Name of the environment variable that holds the instance's credential (never the secret itself). */
  api_key_env: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name')
    .optional(),
  /** Calls this instance runs at once, per process. */
  concurrency: z.number().int().min(1).max(10_000).optional(),
  /** How long one upstream request (a submission, a poll, a download) may take. */
  timeout_seconds: positive.max(86_400).optional(),
  /** Largest answer accepted from the upstream, in bytes. */
  max_response_bytes: z.number().int().positive().optional(),
  /** What the upstream charges Overture for one request; recorded on each job. */
  cost: upstreamCostSchema.optional(),
  /** Circuit breaker: consecutive failures that take the instance out, and for how long. */
  circuit: z
    .strictObject({ failures: z.number().int().min(1).max(1000), cooldown_seconds: positive.max(86_400) })
    .partial()
    .optional(),
  /** Adapter-specific settings (e.g. `poll_seconds` for `venice`). */
  options: z.record(z.string(), z.unknown()).optional(),
});

/** The engines file: `{ "engines": { "<instance>": { … } } }`. */
export const enginesFileSchema = z.strictObject({
  $comment: z.string().optional(),
  engines: z.record(instanceName, engineInstanceSchema),
});

export type EngineInstanceConfig = z.output<typeof engineInstanceSchema>;
export type UpstreamCostConfig = z.output<typeof upstreamCostSchema>;

/** Thrown when the engines file is not valid; the message lists every problem with its path. */
export class EnginesFileError extends Error {
  override name = 'EnginesFileError';
}

/** Read and validate an engines file; every problem is listed. No file: no declared instances. */
export function readEnginesFile(path: string | undefined): Record<string, EngineInstanceConfig> {
  if (path === undefined) return {};
  const file = resolve(path);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new EnginesFileError(`Cannot read engines file ${file}: ${(error as Error).message}`);
  }
  const parsed = enginesFileSchema.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new EnginesFileError(`${file} is not valid:\n${lines.join('\n')}`);
  }
  return parsed.data.engines;
}
