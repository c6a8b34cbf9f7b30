import { AuthenticationError } from '@overture/sdk';
import { CommandError, EXIT } from './exit-codes.js';

/** Which key a client command uses and where it came from. */
export interface ApiKeySource {
  /** The key, or undefined when none was given. */
  readonly key: string | undefined;
  /** `--api-key`, `OVERTURE_API_KEY` or `VENICE_API_KEY`; undefined when none was given. */
  readonly from: string | undefined;
}

/** The key the SDK client will send, in its order: `--api-key`, then `OVERTURE_API_KEY`, then `VENICE_API_KEY`. */
export function apiKeySource(option: string | undefined, env: NodeJS.ProcessEnv): ApiKeySource {
  if (option !== undefined && option.trim() !== '') return { key: option, from: '--api-key' };
  for (const name of ['OVERTURE_API_KEY', 'VENICE_API_KEY']) {
    const value = env[name]?.trim();
    if (value) return { key: value, from: name };
  }
  return { key: undefined, from: undefined };
}

/** A key shown without giving it away: its first 8 characters (at most half of it) and its last 4. */
export function maskKey(key: string): string {
  const head = key.slice(0, Math.min(8, Math.floor(key.length / 2)));
  return key.length >= 16 ? `${head}…${key.slice(-4)}` : `${head}…`;
}

const HOW_TO_GET_ONE =
  'Get an inference key from whoever runs the server (`npm start` prints the first keys once; `overture accounts create` prints new ones) and pass it with --api-key KEY or `export OVERTURE_API_KEY=…`';

/**
 * An authentication failure that says which key was used from where and how to get one; other
 * errors pass through unchanged. Exit code 3 either way.
 */
export function explainAuthentication(error: unknown, source: ApiKeySource): unknown {
  // The operator routes take OVERTURE_OPERATOR_TOKEN, not an API key: nothing to say about keys.
  if (!(error instanceof AuthenticationError) || error.message.startsWith('Operator token')) return error;
  const used = source.key === undefined ? 'no API key was given' : `the key ${maskKey(source.key)} from ${source.from}`;
  const extra = { status: error.status, key_source: source.from ?? null };
  if (error.message.startsWith('Authentication failed'))
    return new CommandError(
      `${error.message}: ${source.key === undefined ? used : `the server refused ${used}`}. ${HOW_TO_GET_ONE}.`,
      EXIT.authentication,
      'authentication',
      extra,
    );
  return new CommandError(`${error.message} (used ${used})`, EXIT.authentication, 'authentication', extra);
}
