import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { UsageError } from './exit-codes.js';

/** Ask a yes/no question on the terminal; resolves true only for "y" or "yes". Rejects with an AbortError on Ctrl-C. */
export async function confirm(question: string, signal: AbortSignal): Promise<boolean> {
  const lines = createInterface({ input: process.stdin, output: process.stderr });
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  lines.on('SIGINT', () => controller.abort(new DOMException('Interrupted', 'AbortError')));
  try {
    const answer = await lines.question(`${question} [y/N] `, { signal: controller.signal });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    signal.removeEventListener('abort', onAbort);
    lines.close();
  }
}

/** All of stdin as text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The text of a file, or of stdin for `-`. */
export async function readTextArgument(path: string, what: string): Promise<string> {
  if (path === '-') return readStdin();
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${what} from ${path}: ${(error as Error).message}`);
  }
}

/**
 * Ask before spending `quoteUsd` unless `--yes` was given. Without a terminal on stdin (or when
 * stdin already carried input) there is nobody to ask, so that is a usage error.
 */
export async function confirmCharge(description: string, yes: boolean, stdinUsed: boolean, signal: AbortSignal): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY || stdinUsed)
    throw new UsageError(`Refusing to charge without confirmation: stdin is not a terminal, so pass --yes to accept ${description}`);
  if (!(await confirm(`Queue this job for ${description}?`, signal))) throw new DeclinedError('Not confirmed; nothing was charged');
}

/** The user answered no to a confirmation (exit code 130, like an interruption). */
export class DeclinedError extends Error {
  override name = 'AbortError';
}
