import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { commandAdapter } from '../../../src/engines/command/command-adapter.js';
import { StreamedWavHeader } from '../../../src/engines/command/wav-stream-header.js';
import { UpstreamFailure } from '../../../src/engines/remote/upstream-errors.js';
import { type Engine, EngineRejection, type EngineRequest, StopReason } from '../../../src/ports/engine.js';
import type { InstanceSettings } from '../../../src/ports/engine-adapter.js';
import { decodeAudio, MemorySink } from '../../support/audio-decode.js';
import { writeCommandProgram } from '../../support/command-program.js';
import { instanceSettings, musicRequest } from '../../support/engine-harness.js';

let dir = '';
let script = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'command-adapter-'));
  script = await writeCommandProgram(dir);
});
after(() => rm(dir, { recursive: true, force: true }));

const settings = (options: Record<string, unknown>, overrides: Partial<InstanceSettings> = {}): InstanceSettings =>
  instanceSettings('local-model', { concurrency: 1, requestTimeoutMs: 60_000, maxResponseBytes: 8 << 20, options, ...overrides });

/** An instance running the test program: `args` follow the script's path. */
function engineFor(args: string[], options: Record<string, unknown> = {}, overrides: Partial<InstanceSettings> = {}): Engine {
  return commandAdapter.create(settings({ program: process.execPath, arguments: [script, ...args], ...options }, overrides), {
    threads: false,
    fetch,
  });
}

const request = (overrides: Partial<EngineRequest> = {}): EngineRequest =>
  musicRequest({
    modelId: 'local-music',
    requestId: 'job-1',
    options: { model: 'small-v1' },
    seed: 42,
    prompt: 'a calm piano piece',
    durationSeconds: 1,
    format: 'wav',
    ...overrides,
  });

async function run(engine: Engine, asked: EngineRequest = request(), signal = new AbortController().signal) {
  const sink = new MemorySink();
  const progress: number[] = [];
  const result = await engine.generate(asked, sink, { signal, onProgress: (fraction) => progress.push(fraction) });
  return { sink, progress, result };
}

/** The call's rejection (fails when it resolves). */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => assert.fail('the call resolved'),
    (error: unknown) => error,
  );
}

/** Wait (bounded, without assuming speed) until `condition` holds. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 3000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(condition(), `timed out waiting until ${what}`);
}

/** The live (not zombie) processes whose command line holds `text`. */
function runningWith(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text) && !gone(Number(entry));
      } catch {
        return false; // it ended while being read
      }
    })
    .map(Number);
}

/** Gone: no such process, or (reparented to an init that has not reaped it yet) a zombie. */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
}

let files = 0;
const fileIn = (name: string) => join(dir, `${name}-${++files}`);
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('command adapter: audio out', () => {
  test('streams stdout into the sink, honouring the duration, with progress 0 then 1', async () => {
    const engine = engineFor(['--duration={duration_seconds}']);
    const { sink, progress, result } = await run(engine, request({ durationSeconds: 2 }));
    assert.equal(result.durationSeconds, 2);
    const audio = await decodeAudio(sink.bytes(), 'wav');
    assert.equal(audio.sampleRate, 16_000);
    assert.equal(audio.channels[0]?.length, 32_000);
    assert.deepEqual(progress, [0, 1]);
  });

  test('converts to the format the client asked for', async () => {
    const { sink, result } = await run(engineFor(['--duration={duration_seconds}']), request({ format: 'mp3' }));
    const audio = await decodeAudio(sink.bytes(), 'mp3');
    assert.ok(Math.abs(result.durationSeconds - 1) < 0.01, `${result.durationSeconds}`);
    assert.ok((audio.channels[0]?.length ?? 0) / audio.sampleRate >= 1);
  });

  test('reads raw pcm at its declared rate', async () => {
    const engine = engineFor(['--raw', '--rate=22050', '--duration={duration_seconds}'], { output_format: 'pcm', pcm_sample_rate: 22_050 });
    const { sink, result } = await run(engine, request({ durationSeconds: 1 }));
    assert.ok(Math.abs(result.durationSeconds - 1) < 0.01);
    assert.equal((await decodeAudio(sink.bytes(), 'wav')).sampleRate, 22_050);
  });

  test('output "file": passes a temporary path as {output}, reads it after exit, then deletes it', async () => {
    const record = fileIn('record');
    const engine = engineFor(['--record=' + record, '--out={output}', '--duration={duration_seconds}'], { output: 'file' });
    const { sink, result } = await run(engine, request({ durationSeconds: 1, format: 'flac' }));
    assert.ok(Math.abs(result.durationSeconds - 1) < 0.01);
    assert.equal((await decodeAudio(sink.bytes(), 'flac')).channels[0]?.length, 16_000);
    const out = (readJson(record).argv as string[]).find((arg) => arg.startsWith('--out='))?.slice(6) as string;
    assert.match(out, /overture-command-.*output\.wav$/);
    assert.ok(!existsSync(out) && !existsSync(join(out, '..')), 'the temporary file and its directory are gone');
  });

  test('JSON on stdin carries the request fields', async () => {
    const record = fileIn('record');
    const engine = engineFor(['--read-stdin', '--record=' + record], { stdin: 'json' });
    const asked = request({ durationSeconds: 2, voice: 'nova', languageCode: 'fr', lyrics: 'la la', speed: 1.25 });
    const { result } = await run(engine, asked);
    assert.equal(result.durationSeconds, 2);
    assert.deepEqual(JSON.parse(readJson(record).stdin), {
      prompt: 'a calm piano piece',
      lyrics: 'la la',
      duration_seconds: 2,
      voice: 'nova',
      speed: 1.25,
      language: 'fr',
      seed: 42,
      format: 'wav',
      model: 'small-v1',
    });
    assert.deepEqual(engine.capabilities?.features, ['lyrics', 'duration', 'speed', 'language_code']);
  });

  test('stdin "prompt" gives the text alone', async () => {
    const record = fileIn('record');
    await run(engineFor(['--read-stdin', '--record=' + record], { stdin: 'prompt' }), request({ prompt: 'Hello there.\nSecond line.' }));
    assert.equal(readJson(record).stdin, 'Hello there.\nSecond line.');
  });
});

describe('command adapter: arguments are never interpreted', () => {
  test('placeholders with spaces, quotes, $(…) and ; stay single literal arguments; absent ones are left out', async () => {
    const record = fileIn('record');
    const marker = join(dir, 'pwned');
    const prompt = `it's "quoted" $(touch ${marker}) ; touch ${marker} && echo \`id\` | cat > ${marker} * ~ \\n $HOME`;
    const engine = engineFor([
      '--record=' + record,
      '--duration={duration_seconds}',
      '{prompt}',
      '--text={prompt}',
      '--voice',
      '{voice}',
      '--language={language}',
      '{lyrics}',
      '{model}:{seed}:{speed}:{format}',
    ]);
    await run(engine, request({ prompt, voice: 'af heart; rm -rf /', languageCode: undefined, lyrics: undefined, speed: 0.5 }));
    assert.deepEqual(readJson(record).argv, [
      '--record=' + record,
      '--duration=1',
      prompt,
      `--text=${prompt}`,
      '--voice',
      'af heart; rm -rf /',
      'small-v1:42:0.5:wav',
    ]);
    assert.ok(!existsSync(marker), 'nothing ran the text as a command');
  });

  test("the program sees none of Overture's environment but PATH and the like, plus its env option", async () => {
    const record = fileIn('record');
    process.env.SECRET_TOKEN = 'do-not-leak';
    try {
      await run(engineFor(['--record=' + record], { env: { FAKE_MODE: 'ok', FAKE_FLAG: '$(id) ; x' } }));
    } finally {
      delete process.env.SECRET_TOKEN;
    }
    const { env } = readJson(record);
    assert.equal(env.SECRET_TOKEN, undefined);
    assert.equal(env.FAKE_FLAG, '$(id) ; x');
    assert.equal(env.PATH, process.env.PATH);
  });

  test('working_directory is where the program runs', async () => {
    const record = fileIn('record');
    await run(engineFor(['--record=' + record], { working_directory: dir }));
    assert.equal(readJson(record).cwd, dir);
  });
});

describe('command adapter: failures', () => {
  test('a non-zero exit is an UpstreamFailure with the exit code and the tail of stderr (capped)', async () => {
    const engine = engineFor([], { env: { FAKE_MODE: 'fail' }, max_stderr_bytes: 1024 });
    const error = await failure(run(engine));
    assert.ok(error instanceof UpstreamFailure, String(error));
    assert.match(error.message, /exited with code 3/);
    assert.match(error.message, /RuntimeError: CUDA out of memory$/);
    assert.doesNotMatch(error.message, /noise line 0 /);
    assert.ok(error.message.length < 1024 + 200, `${error.message.length} characters`);
  });

  test('the invalid-input exit code is an invalid_input rejection with the last line of stderr', async () => {
    const refused = request({ prompt: 'REFUSE this' });
    const error = await failure(run(engineFor(['--prompt={prompt}'], { invalid_input_exit_code: 64 }), refused));
    assert.ok(error instanceof EngineRejection, String(error));
    assert.equal(error.kind, 'invalid_input');
    assert.equal(error.message, 'voice is not available: REFUSE');
    const unmapped = await failure(run(engineFor(['--prompt={prompt}']), refused));
    assert.ok(unmapped instanceof UpstreamFailure && /exited with code 64/.test(unmapped.message));
  });

  for (const [mode, output, pattern] of [
    ['garbage', 'stdout', /malformed audio: not a WAV file/],
    ['truncated', 'stdout', /truncated/],
    ['truncated', 'file', /truncated/],
  ] as const) {
    test(`${mode} output on ${output} never passes for audio`, async () => {
      const args = output === 'file' ? ['--out={output}'] : [];
      const error = await failure(run(engineFor(args, { output, env: { FAKE_MODE: mode } })));
      assert.ok(error instanceof UpstreamFailure, String(error));
      assert.match(error.message, pattern);
    });
  }

  test('output "file" that the program never wrote is a failure', async () => {
    const error = await failure(run(engineFor(['--elsewhere={output}'], { output: 'file' })));
    assert.ok(error instanceof UpstreamFailure && /exited 0 without writing \{output\}/.test(error.message), String(error));
  });

  test('a program that exits 0 having written nothing is a failure', async () => {
    const error = await failure(run(engineFor(['--duration=0'])));
    assert.ok(error instanceof UpstreamFailure && /holds no audio|sent nothing/.test(error.message), String(error));
  });

  for (const output of ['stdout', 'file'] as const) {
    test(`output over maxResponseBytes (${output}) kills the program and fails`, async () => {
      const pidFile = fileIn('pid');
      const args = ['--pid-file=' + pidFile, ...(output === 'file' ? ['--out={output}'] : [])];
      const engine = engineFor(args, { output, env: { FAKE_MODE: 'huge' } }, { maxResponseBytes: 256 << 10 });
      const error = await failure(run(engine));
      assert.ok(error instanceof UpstreamFailure, String(error));
      assert.match(error.message, /wrote more than 262144 bytes/);
      assert.ok(gone(Number(readFileSync(pidFile, 'utf8'))), 'the program is gone');
    });
  }

  test('timeout_seconds kills a program that does not finish', async () => {
    const pidFile = fileIn('pid');
    const engine = engineFor(['--pid-file=' + pidFile], { env: { FAKE_MODE: 'hang' }, timeout_seconds: 3 });
    const error = await failure(run(engine));
    assert.ok(error instanceof UpstreamFailure, String(error));
    assert.match(error.message, /did not finish within 3 s/);
    // On a loaded machine the program may not have written its pid file within 3 s: it is found
    // by its arguments instead, so the check holds whenever it started.
    const running = runningWith(pidFile);
    assert.deepEqual(running, [], 'no process of the program is left');
    if (existsSync(pidFile)) assert.ok(gone(Number(readFileSync(pidFile, 'utf8'))), 'the program is gone');
  });

  test('an unknown program or a file that is not executable is refused at creation', async () => {
    assert.throws(
      () => commandAdapter.create(settings({ program: 'no-such-model-binary' }), { threads: false, fetch }),
      /not found on PATH/,
    );
    const plain = join(dir, 'not-executable.sh');
    await writeFile(plain, '#!/bin/sh\n');
    await chmod(plain, 0o644);
    assert.throws(() => commandAdapter.create(settings({ program: plain }), { threads: false, fetch }), /not an executable file/);
  });

  test('invalid options are refused with every problem named', () => {
    const problems = (options: Record<string, unknown>) => {
      try {
        commandAdapter.create(settings({ program: process.execPath, ...options }), { threads: false, fetch });
      } catch (error) {
        return (error as Error).message;
      }
      return assert.fail('created');
    };
    assert.match(problems({ arguments: ['{prompt}', '{nope}'] }), /options\.arguments\.1: unknown placeholder \{nope\}/);
    assert.match(problems({ arguments: ['{output}'] }), /\{output\} is only given with output "file"/);
    assert.match(problems({ output: 'file' }), /needs an argument holding \{output\}/);
    assert.match(problems({ output_format: 'pcm' }), /pcm_sample_rate: required/);
    assert.match(problems({ shell: true }), /unknown shell/);
    assert.match(problems({ stdin: 'all', working_directory: join(dir, 'missing') }), /options\.stdin: must be none, json or prompt/);
    assert.match(problems({ working_directory: join(dir, 'missing') }), /is not a directory/);
  });

  test('capabilities name only the fields the arguments pass', () => {
    assert.deepEqual(engineFor(['{prompt}']).capabilities, { types: ['music', 'tts'], features: [] });
    assert.deepEqual(engineFor(['--duration={duration_seconds}', '{speed}']).capabilities?.features, ['duration', 'speed']);
    assert.equal(engineFor([]).concurrency, 1);
    assert.equal(commandAdapter.defaultConcurrency, 1);
  });
});

describe('command adapter: stopping', () => {
  const started = async (mode: string, reason: StopReason, options: Record<string, unknown> = {}) => {
    const pidFile = fileIn('pid');
    const engine = engineFor(['--pid-file=' + pidFile], { env: { FAKE_MODE: mode }, ...options });
    const controller = new AbortController();
    const call = failure(run(engine, request(), controller.signal));
    await until(() => existsSync(pidFile), 'the program wrote its pid');
    const pids = readFileSync(pidFile, 'utf8').split(' ').map(Number);
    controller.abort(reason);
    return { error: await call, pids };
  };

  test('a cancel kills the program and rejects with the reason once it is gone', async () => {
    const reason = new StopReason('cancelled');
    const { error, pids } = await started('hang', reason);
    assert.equal(error, reason);
    assert.ok(gone(pids[0] as number), 'process.kill(pid, 0) finds no process');
  });

  test('a program that ignores SIGTERM is killed after the grace (shutdown)', async () => {
    const reason = new StopReason('shutdown');
    const { error, pids } = await started('stubborn', reason, { kill_grace_seconds: 0.2 });
    assert.equal(error, reason);
    assert.ok(gone(pids[0] as number));
  });

  test('what the program started goes with it (its process group)', async (t) => {
    if (process.platform === 'win32') return t.skip('process groups are POSIX');
    const { pids } = await started('grandchild', new StopReason('timed_out'));
    assert.equal(pids.length, 2);
    assert.ok(gone(pids[0] as number), 'the program is gone');
    await until(() => gone(pids[1] as number), 'its child is gone');
  });

  test('an already aborted call starts nothing', async () => {
    const pidFile = fileIn('pid');
    const controller = new AbortController();
    const reason = new StopReason('cancelled');
    controller.abort(reason);
    assert.equal(await failure(run(engineFor(['--pid-file=' + pidFile]), request(), controller.signal)), reason);
    assert.ok(!existsSync(pidFile));
  });
});

describe('command adapter: WAV written to a pipe', () => {
  const wav = (dataSize: number) => {
    const bytes = Buffer.alloc(44 + 4);
    bytes.write('RIFF', 0);
    bytes.writeUInt32LE(dataSize === 0xffffffff ? dataSize : 36 + dataSize, 4);
    bytes.write('WAVEfmt ', 8);
    bytes.writeUInt32LE(16, 16);
    bytes.writeUInt16LE(1, 20);
    bytes.writeUInt16LE(1, 22);
    bytes.writeUInt32LE(22_050, 24);
    bytes.writeUInt32LE(44_100, 28);
    bytes.writeUInt16LE(2, 32);
    bytes.writeUInt16LE(16, 34);
    bytes.write('data', 36);
    bytes.writeUInt32LE(dataSize, 40);
    return new Uint8Array(bytes);
  };

  test("a placeholder data size (espeak-ng's 0x7FFFF000) becomes 'to the end'; a possible one is kept", () => {
    const header = new StreamedWavHeader(1 << 20);
    const bytes = wav(0x7ffff000);
    assert.deepEqual(header.push(bytes.subarray(0, 20)), []);
    const [out] = header.push(bytes.subarray(20));
    assert.equal(Buffer.from(out as Uint8Array).readUInt32LE(40), 0xffffffff);
    assert.deepEqual(header.push(bytes.subarray(0, 4)), [bytes.subarray(0, 4)]);
    const kept = new StreamedWavHeader(1 << 20);
    assert.deepEqual(kept.push(wav(4)), [wav(4)]);
    const short = new StreamedWavHeader(1 << 20);
    assert.deepEqual(short.push(bytes.subarray(0, 8)), []);
    assert.deepEqual(short.flush(), [bytes.subarray(0, 8)]);
  });
});

/** espeak-ng on PATH, if installed. */
const espeak = (process.env.PATH ?? '').split(delimiter).find((path) => path && existsSync(join(path, 'espeak-ng')));

describe('command adapter: espeak-ng', { skip: espeak ? false : 'espeak-ng is not installed (apt-get install espeak-ng)' }, () => {
  const engine = () =>
    commandAdapter.create(settings({ program: 'espeak-ng', arguments: ['--stdout', '-v{voice}', '--', '{prompt}'] }), {
      threads: false,
      fetch,
    });
  const spoken = (prompt: string, format: EngineRequest['format'], voice: string | undefined = 'en-us') =>
    request({ modelType: 'tts', prompt, durationSeconds: undefined, options: {}, format, voice });

  test('speaks the text: WAV on stdout, streamed through (or converted)', async () => {
    for (const format of ['wav', 'mp3'] as const) {
      const { sink, result } = await run(engine(), spoken('The quick brown fox jumps over the lazy dog.', format));
      const audio = await decodeAudio(sink.bytes(), format);
      const seconds = (audio.channels[0]?.length ?? 0) / audio.sampleRate;
      assert.ok(result.durationSeconds > 1 && result.durationSeconds < 10, `${result.durationSeconds} s`);
      assert.ok(seconds >= result.durationSeconds - 0.05, `decoded ${seconds} s`);
    }
  });

  test('an unknown voice fails with what espeak-ng said; no voice leaves -v out (its default voice)', async () => {
    const error = await failure(run(engine(), spoken('Hello.', 'wav', 'zzqq')));
    assert.ok(error instanceof UpstreamFailure, String(error));
    assert.match(error.message, /exited with code 1; stderr: Error: The specified espeak-ng voice does not exist\./);
    const { result } = await run(engine(), spoken('Hello.', 'wav', undefined));
    assert.ok(result.durationSeconds > 0.2);
  });

  test('a text that looks like an option stays text after --', async () => {
    const target = join(dir, 'espeak-pwned.wav');
    const { result } = await run(engine(), spoken(`-w${target}`, 'wav'));
    assert.ok(result.durationSeconds > 0);
    assert.ok(!existsSync(target), 'espeak-ng took the text as text');
  });
});
