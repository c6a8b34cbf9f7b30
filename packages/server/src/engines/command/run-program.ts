import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

/** One run of a program: what to start and how. */
export interface ProgramSpec {
  readonly program: string;
  /** The arguments, each passed as it is: there is no shell. */
  readonly args: readonly string[];
  /** The whole environment of the program. */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string | undefined;
  /** Written to stdin, which is then closed; undefined: stdin is /dev/null. */
  readonly stdin: string | undefined;
  /** Hand stdout to the caller; false: it goes to /dev/null. */
  readonly stdout: boolean;
  /** stderr kept: its last bytes, at most this many. */
  readonly maxStderrBytes: number;
  /** Wait between SIGTERM and SIGKILL. */
  readonly killGraceMs: number;
}

/** How a program ended. */
export interface ProgramExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when it could not be started at all (ENOENT, EACCES…). */
  readonly startError?: Error;
}

/** POSIX: the program runs in a process group of its own, so a stop reaches what it started too. */
const GROUPS = process.platform !== 'win32';

/**
 * A program started with `spawn` and an argument array (`shell: false`): stdout streams to the
 * caller, stderr is kept (its tail), and `stop` ends it — SIGTERM to its process group, SIGKILL
 * after the grace — resolving only once it has exited and been reaped (no zombie is left).
 * Throws synchronously when the arguments cannot be passed (E2BIG, a NUL byte).
 */
export class RunningProgram {
  /** Resolves when the program has exited and its output streams closed. */
  readonly exited: Promise<ProgramExit>;
  readonly stdout: Readable | null;
  private readonly child: ChildProcess;
  private readonly stderr: Buffer[] = [];
  private stderrBytes = 0;
  private done = false;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(private readonly spec: ProgramSpec) {
    this.child = spawn(spec.program, [...spec.args], {
      shell: false,
      detached: GROUPS,
      windowsHide: true,
      cwd: spec.cwd,
      env: { ...spec.env },
      stdio: [spec.stdin === undefined ? 'ignore' : 'pipe', spec.stdout ? 'pipe' : 'ignore', 'pipe'],
    });
    this.stdout = this.child.stdout;
    this.exited = new Promise((resolve) => {
      const finish = (exit: ProgramExit) => {
        this.done = true;
        clearTimeout(this.killTimer);
        resolve(exit);
      };
      this.child.once('close', (code, signal) => finish({ code, signal }));
      // After a successful start, an 'error' is a failed kill: 'close' still follows.
      this.child.on('error', (error) => {
        if (this.child.pid === undefined) finish({ code: null, signal: null, startError: error });
      });
    });
    this.child.stderr?.on('data', (chunk: Buffer) => this.keep(chunk));
    if (spec.stdin !== undefined) {
      // A program that exits without reading its stdin makes the write fail with EPIPE: that is its business.
      this.child.stdin?.on('error', () => undefined);
      this.child.stdin?.end(spec.stdin);
    }
  }

  /** The process id, once started. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** End the program (SIGTERM, then SIGKILL after the grace); resolves once it has exited. */
  stop(): Promise<ProgramExit> {
    if (!this.done && this.killTimer === undefined) {
      this.send('SIGTERM');
      this.killTimer = setTimeout(() => this.send('SIGKILL'), this.spec.killGraceMs);
    }
    return this.exited;
  }

  /** The last bytes the program wrote to stderr, as text. */
  stderrTail(): string {
    const all = Buffer.concat(this.stderr);
    return all
      .subarray(Math.max(0, all.length - this.spec.maxStderrBytes))
      .toString('utf8')
      .trim();
  }

  private keep(chunk: Buffer): void {
    this.stderr.push(chunk);
    this.stderrBytes += chunk.length;
    while (this.stderr.length > 1 && this.stderrBytes - (this.stderr[0] as Buffer).length >= this.spec.maxStderrBytes)
      this.stderrBytes -= (this.stderr.shift() as Buffer).length;
  }

  private send(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined || this.done) return;
    try {
      if (GROUPS) process.kill(-pid, signal);
      else this.child.kill(signal);
    } catch {
      this.child.kill(signal);
    }
  }
}
