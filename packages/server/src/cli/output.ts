import { ContentPolicyError, OvertureError } from '@overture/sdk';
import { classify, CommandError } from './exit-codes.js';

/** The streams and environment a command writes to (the real process by default). */
export interface Terminal {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  readonly env: NodeJS.ProcessEnv;
}

const processTerminal = (): Terminal => ({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });

/**
 * Where a command's output goes. Results go to stdout (human text, or exactly one JSON document
 * with `--json`); notes, prompts and the progress bar go to stderr and are silent with `--json`.
 */
export class Output {
  /** ANSI colour on stdout/stderr: only on a terminal, without `NO_COLOR` and `--json`. */
  readonly colour: boolean;
  /** Live progress on stderr: only on a terminal, without `NO_COLOR`, `TERM=dumb` and `--json`. */
  readonly live: boolean;

  constructor(
    readonly json: boolean,
    readonly terminal: Terminal = processTerminal(),
  ) {
    const plain = json || terminal.env.NO_COLOR !== undefined || terminal.env.TERM === 'dumb';
    this.colour = !plain && terminal.stdout.isTTY === true && terminal.stderr.isTTY === true;
    this.live = !plain && terminal.stderr.isTTY === true;
  }

  /** Bold text when colour is on. */
  bold(text: string): string {
    return this.colour ? `\u001b[1m${text}\u001b[22m` : text;
  }

  /** Dim text when colour is on. */
  dim(text: string): string {
    return this.colour ? `\u001b[2m${text}\u001b[22m` : text;
  }

  /** The command's result: `human` as text, or `data` as JSON with `--json`. */
  result(human: string, data: unknown): void {
    if (this.json) this.terminal.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    else if (human !== '') this.terminal.stdout.write(`${human}\n`);
  }

  /** A human note on stderr (silent with `--json`). */
  note(text: string): void {
    if (!this.json) this.terminal.stderr.write(`${text}\n`);
  }

  /** Report a failure (JSON on stdout with `--json`, text on stderr otherwise); returns the exit code. */
  failure(error: unknown): number {
    const { exitCode, code } = classify(error);
    const message = error instanceof Error ? error.message : String(error);
    const overture = error instanceof OvertureError ? error : undefined;
    const suggested = error instanceof ContentPolicyError ? error.suggestedPrompt : undefined;
    if (this.json) {
      const body = {
        error: {
          code,
          message,
          exit_code: exitCode,
          ...(overture?.status === undefined ? {} : { status: overture.status }),
          ...(overture && overture.issues.length > 0 ? { issues: overture.issues } : {}),
          ...(suggested === undefined ? {} : { suggested_prompt: suggested }),
          ...(error instanceof CommandError ? error.extra : {}),
        },
      };
      this.terminal.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
      return exitCode;
    }
    const lines = [`${this.colour ? '\u001b[31merror\u001b[39m' : 'error'}: ${message}`];
    // The SDK already spells the first few issues out in the message.
    for (const issue of (overture?.issues ?? []).filter((issue) => !message.includes(issue.message)))
      lines.push(`  ${issue.path.join('.') || '(request)'}: ${issue.message}`);
    if (suggested) lines.push(`  suggested prompt: ${suggested}`);
    if (overture?.requestId) lines.push(this.dim(`  request id: ${overture.requestId}`));
    this.terminal.stderr.write(`${lines.join('\n')}\n`);
    return exitCode;
  }
}
