import {
  AuthenticationError,
  BadRequestError,
  BudgetExceededError,
  ConnectionError,
  ContentPolicyError,
  InsufficientBalanceError,
  JobEndedError,
  NotFoundError,
  OvertureError,
  RateLimitError,
  ServerError,
} from '@overture/sdk';

/** The process exit codes of the client commands, one per kind of failure. */
export const EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  authentication: 3,
  insufficientBalance: 4,
  notFound: 5,
  invalid: 6,
  rateLimited: 7,
  server: 8,
  unreachable: 9,
  notReady: 10,
  aborted: 130,
} as const;

/** The `overture --help` table of exit codes (also in docs/cli.md). */
export const EXIT_CODES_HELP = `Exit codes:
  0    success
  1    unexpected error
  2    usage error (unknown option, missing argument, no --yes without a terminal)
  3    authentication failed (wrong or missing key, admin key required, Pro-only model)
  4    insufficient balance, or the quote is above --max-price
  5    not found (unknown model or job id)
  6    invalid request or content policy
  7    rate limited
  8    server error (5xx)
  9    could not reach the server (connection refused, timeout)
  10   the job is not in a state for this (still running, already finished, cancelled)
  130  interrupted (Ctrl-C)`;

/** A mistake in the command line itself (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure with a chosen exit code and a stable `code` for `--json` output. */
export class CommandError extends Error {
  override name = 'CommandError';

  constructor(
    message: string,
    readonly exitCode: number,
    readonly code: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Whether `error` is a cancellation (Ctrl-C) rather than a failure. */
export function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** The exit code and the `--json` error code of any error a command can throw. */
export function classify(error: unknown): { readonly exitCode: number; readonly code: string } {
  if (error instanceof CommandError) return { exitCode: error.exitCode, code: error.code };
  if (error instanceof UsageError) return { exitCode: EXIT.usage, code: 'usage' };
  if (isAbort(error)) return { exitCode: EXIT.aborted, code: 'aborted' };
  if (error instanceof JobEndedError) return { exitCode: EXIT.notReady, code: 'job_ended' };
  if (error instanceof AuthenticationError) return { exitCode: EXIT.authentication, code: 'authentication' };
  if (error instanceof BudgetExceededError) return { exitCode: EXIT.insufficientBalance, code: 'budget_exceeded' };
  if (error instanceof InsufficientBalanceError) return { exitCode: EXIT.insufficientBalance, code: 'insufficient_balance' };
  if (error instanceof NotFoundError) return { exitCode: EXIT.notFound, code: 'not_found' };
  if (error instanceof ContentPolicyError) return { exitCode: EXIT.invalid, code: 'content_policy' };
  if (error instanceof BadRequestError) return { exitCode: EXIT.invalid, code: 'invalid_request' };
  if (error instanceof OvertureError && error.status === 409) return { exitCode: EXIT.notReady, code: 'conflict' };
  if (error instanceof OvertureError && error.status === 422) return { exitCode: EXIT.invalid, code: 'invalid_request' };
  if (error instanceof RateLimitError) return { exitCode: EXIT.rateLimited, code: 'rate_limited' };
  if (error instanceof ServerError) return { exitCode: EXIT.server, code: 'server_error' };
  if (error instanceof ConnectionError) return { exitCode: EXIT.unreachable, code: 'unreachable' };
  return { exitCode: EXIT.unexpected, code: 'unexpected' };
}
