import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { type AudioPipe, createAudioPipe, MalformedAudioError } from '../../audio/audio-pipe.js';
import type { ByteSink, EngineCallOptions, EngineRequest, EngineResult } from '../../ports/engine.js';
import { UpstreamFailure } from '../remote/upstream-errors.js';
import { type CommandValues, commandValues } from './command-arguments.js';
import { type CommandInstance, exitError, startProgram, withStderr } from './command-process.js';
import { StreamedWavHeader } from './wav-stream-header.js';

/** How often a growing output file is measured against the size cap. */
const FILE_WATCH_MS = 500;

/**
 * One run of the program for one request: the audio streamed from its stdout into the sink as it
 * comes (converted when the client asked another format), or read from the temporary file it
 * wrote once it exited 0 (then deleted). Nothing survives a crash: a later attempt runs the
 * program again. The program is killed on abort, timeout or oversized output, and waited for.
 */
export async function runCommand(
  instance: CommandInstance,
  request: EngineRequest,
  sink: ByteSink,
  call: EngineCallOptions,
): Promise<EngineResult> {
  call.signal.throwIfAborted();
  const { options } = instance;
  const dir = options.output === 'file' ? await mkdtemp(join(tmpdir(), 'overture-command-')) : undefined;
  try {
    const file = dir && join(dir, `output.${options.output_format === 'pcm' ? 'raw' : options.output_format}`);
    const values = commandValues(request, options, file);
    call.signal.throwIfAborted();
    return await run(instance, request, sink, call, values, file);
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

async function run(
  instance: CommandInstance,
  request: EngineRequest,
  sink: ByteSink,
  call: EngineCallOptions,
  values: CommandValues,
  file: string | undefined,
): Promise<EngineResult> {
  const { options, maxBytes } = instance;
  const { signal } = call;
  const program = startProgram(instance, values, file);
  const pipe = createAudioPipe({
    target: request.format,
    sink,
    source: options.output_format,
    pcmSampleRate: options.pcm_sample_rate,
    maxInputBytes: maxBytes,
  });
  let stopped: 'timeout' | 'oversized' | undefined;
  const stop = (why: typeof stopped) => {
    stopped ??= why;
    void program.stop();
  };
  const halted = () => signal.aborted || stopped !== undefined;
  const onAbort = () => void program.stop();
  signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => stop('timeout'), instance.timeoutMs);
  const watch = file
    ? setInterval(() => void measure(file).then((size) => (size ?? 0) > maxBytes && stop('oversized')), FILE_WATCH_MS)
    : undefined;
  try {
    call.onProgress(0, 'run');
    if (program.stdout) {
      const header = options.output_format === 'wav' ? new StreamedWavHeader(maxBytes) : undefined;
      await stream(program.stdout, pipe, header, halted, maxBytes, () => stop('oversized'));
    }
    const exit = await program.exited;
    if (halted()) throw new Error('stopped');
    const failed = exitError(instance, exit, program.stderrTail());
    if (failed) throw failed;
    if (file) {
      const size = await measure(file);
      if (size === undefined) throw new UpstreamFailure(`${instance.name}: ${options.program} exited 0 without writing {output}`);
      if (size > maxBytes) stop('oversized');
      else await stream(createReadStream(file), pipe, undefined, halted, maxBytes, () => stop('oversized'));
      if (halted()) throw new Error('stopped');
    }
    const { durationSeconds } = await pipe.end();
    call.onProgress(1, 'run');
    return { durationSeconds };
  } catch (error) {
    pipe.abort();
    const exit = await program.stop();
    const tail = withStderr(program.stderrTail());
    if (signal.aborted) throw signal.reason;
    const { name } = instance;
    if (stopped === 'timeout')
      throw new UpstreamFailure(`${name}: ${options.program} did not finish within ${instance.timeoutMs / 1000} s${tail}`);
    if (stopped === 'oversized') throw new UpstreamFailure(`${name}: ${options.program} wrote more than ${maxBytes} bytes of output`);
    if (!(error instanceof MalformedAudioError)) throw error;
    // The program's own failure says more than what it left half-written (unless it died of our signal).
    const failed = exit.signal === null ? exitError(instance, exit, program.stderrTail()) : undefined;
    throw failed ?? new UpstreamFailure(`${name}: ${options.program} wrote malformed audio: ${error.message}${tail}`);
  } finally {
    clearTimeout(timer);
    clearInterval(watch);
    signal.removeEventListener('abort', onAbort);
  }
}

/** Feed a stream into the pipe, chunk by chunk (back-pressure kept), until it ends or the run halts. */
async function stream(
  source: Readable,
  pipe: AudioPipe,
  header: StreamedWavHeader | undefined,
  halted: () => boolean,
  maxBytes: number,
  oversized: () => void,
): Promise<void> {
  let received = 0;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    if (halted()) break;
    received += chunk.length;
    if (received > maxBytes) return oversized();
    for (const piece of header ? header.push(chunk) : [chunk]) await pipe.write(piece);
  }
  if (!halted()) for (const piece of header?.flush() ?? []) await pipe.write(piece);
}

/** A file's size; undefined while it does not exist. */
const measure = (file: string): Promise<number | undefined> =>
  stat(file).then(
    (it) => it.size,
    () => undefined,
  );
