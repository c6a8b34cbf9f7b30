/**
 * The shared conformance suite of the engine port (src/ports/engine.ts): every engine — built-in,
 * on a thread, or a client of an upstream — must pass it. It checks what the job runner and the
 * speech route rely on: the bytes are a valid file in the format asked for and as long as the
 * engine says; a claimed `duration` is honoured; an abort stops the call with an AbortError and
 * nothing is written after it; progress stays within 0..1 and never goes back; rejections carry
 * their kind; a slow sink is waited for and a failing sink fails the call; capabilities name only
 * known types and features. No check depends on the machine's speed: waits are bounded waits on
 * conditions, never assertions on elapsed time.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import {
  type AudioFormat,
  type ByteSink,
  type Engine,
  type EngineCallOptions,
  EngineRejection,
  type EngineRequest,
  type EngineResult,
  StopReason,
} from '../../src/ports/engine.js';
import { decodeAudio } from '../support/audio-decode.js';

/** A check of the suite; a subject may mark one `todo` (with the reason) while its engine is being fixed. */
export type ConformanceCheck =
  | 'capabilities'
  | `format:${AudioFormat}`
  | 'duration'
  | 'abort:progress'
  | 'abort:chunk'
  | 'abort:before'
  | 'progress'
  | 'rejection'
  | 'slow-sink'
  | 'failing-sink';

/** One engine under test, with what the suite needs to know about it. */
export interface ConformanceSubject {
  readonly engine: Engine;
  /** A request the engine serves; each check replaces its `format` (and, for the duration check, its length). */
  readonly request: EngineRequest;
  /** Formats to check; default every one the engine declares. */
  readonly formats?: readonly AudioFormat[];
  /**
   * `speech`: the length follows the text (speech, narration); `duration`: the length written is
   * the request's `durationSeconds` (music, effects), checked when the engine claims `duration`.
   */
  readonly timing: 'speech' | 'duration';
  /** The two lengths (seconds) the duration check asks for; default 2 and 3. */
  readonly durations?: readonly [number, number];
  /** A request the engine must refuse, and the `EngineRejection` kind it must refuse it with. */
  readonly reject?: { readonly request: EngineRequest; readonly kind: EngineRejection['kind'] };
  /** Checks known to fail, with the reason: they still run, reported as todo. */
  readonly todo?: Partial<Record<ConformanceCheck, string>>;
  /** Release the engine and whatever serves it (a fake upstream). */
  close(): Promise<void>;
}

const KNOWN_FORMATS: readonly AudioFormat[] = ['mp3', 'wav', 'flac', 'opus', 'aac', 'pcm'];
const KNOWN_TYPES = ['music', 'tts'];
const KNOWN_FEATURES = ['lyrics', 'lyrics_optimizer', 'force_instrumental', 'loop', 'speed', 'language_code', 'duration'];
/** Raw `pcm` is s16le mono (at PCM_SAMPLE_RATE): its length is a whole number of samples. */
const PCM_SAMPLE_BYTES = 2;
/** Tolerance between two lengths of one piece of audio, in seconds. */
const TOLERANCE_SECONDS = 0.05;
/** LAME's encoder delay plus mpg123's decoder delay, in samples: decoded MP3 keeps them at the start. */
const MP3_DELAY_SAMPLES = 576 + 529;
/** How long a call may take to settle before the suite calls it hung (a bound, not a speed requirement). */
const SETTLE_BOUND_MS = 120_000;
const TEST_TIMEOUT_MS = 300_000;

/**
 * Register the conformance tests of one engine. `subject` is called once, when the suite is
 * built; its `close()` runs after the suite.
 */
export function engineConformance(name: string, subject: () => Promise<ConformanceSubject>): void {
  describe(`engine conformance: ${name}`, async () => {
    const s = await subject();
    after(() => s.close());
    const { engine } = s;
    const formats = s.formats ?? engine.formats;
    const options = (check: ConformanceCheck) => ({ timeout: TEST_TIMEOUT_MS, ...(s.todo?.[check] ? { todo: s.todo[check] } : {}) });

    test('declares known formats, types and features, and a concurrency of at least 1', options('capabilities'), () => {
      assert.ok(engine.formats.length > 0, 'declares at least one format');
      for (const format of engine.formats) assert.ok(KNOWN_FORMATS.includes(format), `unknown format ${format}`);
      assert.equal(new Set(engine.formats).size, engine.formats.length, 'formats are listed once each');
      assert.ok(Number.isInteger(engine.concurrency) && engine.concurrency >= 1, `concurrency ${engine.concurrency}`);
      for (const format of formats)
        assert.ok(engine.formats.includes(format), `the subject checks ${format}, which the engine does not declare`);
      const { capabilities } = engine;
      if (!capabilities) return;
      assert.ok(capabilities.types.length > 0, 'capabilities name at least one type');
      for (const type of capabilities.types) assert.ok(KNOWN_TYPES.includes(type), `unknown type ${type}`);
      for (const feature of capabilities.features) assert.ok(KNOWN_FEATURES.includes(feature), `unknown feature ${feature}`);
      assert.ok(
        capabilities.types.includes(s.request.modelType),
        `the subject's request is a ${s.request.modelType} row the engine does not serve`,
      );
    });

    for (const format of formats) {
      test(`writes valid ${format}, as long as it reports`, options(`format:${format}`), async () => {
        const { bytes, result } = await generate(engine, { ...s.request, format });
        await assertAudio(bytes, format, result.durationSeconds);
      });
    }

    const claimsDuration = !engine.capabilities || engine.capabilities.features.includes('duration');
    const durationSkip =
      s.timing === 'speech'
        ? 'speech-like: the length follows the text'
        : claimsDuration
          ? undefined
          : 'the engine does not claim the duration feature';
    test('writes the duration asked for, at two lengths', {
      ...options('duration'),
      ...(durationSkip ? { skip: durationSkip } : {}),
    }, async () => {
      const format = formats.includes('wav') ? 'wav' : (formats[0] as AudioFormat);
      for (const seconds of s.durations ?? [2, 3]) {
        const { bytes, result } = await generate(engine, { ...s.request, format, durationSeconds: seconds });
        assert.ok(
          Math.abs(result.durationSeconds - seconds) <= TOLERANCE_SECONDS,
          `asked for ${seconds} s, the engine reported ${result.durationSeconds} s`,
        );
        await assertAudio(bytes, format, seconds);
      }
    });

    test('an abort at the first progress report stops the call with an AbortError', options('abort:progress'), async (t) => {
      const run = await abortedRun(engine, { ...s.request }, 'progress');
      if (!run.triggered) {
        assert.ok(run.outcome.ok, 'a call that reported no progress still succeeds');
        t.diagnostic('the engine reports no progress: nothing to abort at');
        return;
      }
      await assertStopped(run);
    });

    test('an abort at the first chunk written stops the call with an AbortError', options('abort:chunk'), async () => {
      const run = await abortedRun(engine, { ...s.request }, 'chunk');
      assert.ok(run.triggered, 'the call wrote something');
      await assertStopped(run);
    });

    test('an already aborted signal is refused with an AbortError, writing nothing', options('abort:before'), async () => {
      const controller = new AbortController();
      controller.abort();
      const chunks: Uint8Array[] = [];
      const sink: ByteSink = { write: async (chunk) => void chunks.push(chunk.slice()) };
      const outcome = await settle(engine.generate(s.request, sink, { signal: controller.signal, onProgress: () => undefined }));
      assert.ok(!outcome.ok, 'the call rejects');
      assertAbortError(outcome.error, controller.signal);
      await quiet();
      assert.equal(chunks.length, 0, 'nothing is written');
    });

    test('progress stays within 0..1 and never goes back', options('progress'), async (t) => {
      const { progress } = await generate(engine, s.request);
      if (progress.length === 0) t.diagnostic('the engine reports no progress');
      let last = 0;
      for (const [index, fraction] of progress.entries()) {
        assert.ok(Number.isFinite(fraction) && fraction >= 0 && fraction <= 1, `progress #${index} is ${fraction}`);
        assert.ok(fraction >= last, `progress #${index} went back from ${last} to ${fraction} (${progress.join(', ')})`);
        last = fraction;
      }
    });

    test('refuses what it cannot serve with an EngineRejection of the right kind', {
      ...options('rejection'),
      ...(s.reject ? {} : { skip: 'the subject names no request the engine must refuse' }),
    }, async () => {
      const refused = s.reject as NonNullable<typeof s.reject>;
      const chunks: Uint8Array[] = [];
      const sink: ByteSink = { write: async (chunk) => void chunks.push(chunk.slice()) };
      const outcome = await settle(engine.generate(refused.request, sink, callOptions()));
      assert.ok(!outcome.ok, 'the call rejects');
      assert.ok(outcome.error instanceof EngineRejection, `an EngineRejection, not ${describeError(outcome.error)}`);
      assert.equal(outcome.error.kind, refused.kind, `kind (${outcome.error.message})`);
    });

    test('a slow sink (each write resolves a tick later) still gets a valid file', options('slow-sink'), async () => {
      const chunks: Uint8Array[] = [];
      let pending = 0;
      let overlapped = 0;
      const sink: ByteSink = {
        write: (chunk) => {
          if (++pending > 1) overlapped++;
          // Copied only when the write resolves: the engine must leave a chunk alone until then.
          return new Promise((resolve) =>
            setImmediate(() => {
              chunks.push(chunk.slice());
              pending--;
              resolve();
            }),
          );
        },
      };
      const result = await bounded(engine.generate(s.request, sink, callOptions()), 'the call with a slow sink');
      assert.equal(overlapped, 0, 'each write waits for the one before it to resolve');
      await assertAudio(join(chunks), s.request.format, result.durationSeconds);
    });

    test('a sink that rejects makes the call reject', options('failing-sink'), async () => {
      let writes = 0;
      const refusal = new Error('the sink refused the chunk');
      const sink: ByteSink = {
        write: async () => {
          writes++;
          throw refusal;
        },
      };
      const outcome = await settle(engine.generate(s.request, sink, callOptions()));
      assert.ok(writes > 0, 'the call wrote to the sink');
      assert.ok(!outcome.ok, 'the call rejects');
    });
  });
}

/** The options of a call nobody aborts, recording progress. */
function callOptions(progress: number[] = []): EngineCallOptions {
  return { signal: new AbortController().signal, onProgress: (fraction) => void progress.push(fraction) };
}

/** Run a call to the end into memory: its bytes, its progress and its result. */
async function generate(engine: Engine, request: EngineRequest) {
  const chunks: Uint8Array[] = [];
  const progress: number[] = [];
  const sink: ByteSink = { write: async (chunk) => void chunks.push(chunk.slice()) };
  const result: EngineResult = await bounded(engine.generate(request, sink, callOptions(progress)), `a ${request.format} call`);
  return { bytes: join(chunks), progress, result };
}

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** How a call settles; fails the test when it has not settled within the (generous) bound. */
async function settle<T>(promise: Promise<T>, what = 'the call'): Promise<Outcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), SETTLE_BOUND_MS);
  });
  try {
    const outcome = await Promise.race([
      promise.then(
        (value): Outcome<T> => ({ ok: true, value }),
        (error: unknown): Outcome<T> => ({ ok: false, error }),
      ),
      hung,
    ]);
    assert.notEqual(outcome, 'hung', `${what} did not settle within ${SETTLE_BOUND_MS} ms`);
    return outcome as Outcome<T>;
  } finally {
    clearTimeout(timer);
  }
}

/** The value of a call that must succeed (within the bound). */
async function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  const outcome = await settle(promise, what);
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** Let anything still in flight (timers, thread messages, sockets) arrive. */
async function quiet(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 100));
}

/** A call whose signal aborts (with a StopReason, as the job runner's) at its first progress report or first chunk. */
async function abortedRun(engine: Engine, request: EngineRequest, at: 'progress' | 'chunk') {
  const controller = new AbortController();
  const chunks: Uint8Array[] = [];
  let triggered = false;
  const trigger = () => {
    if (triggered) return;
    triggered = true;
    controller.abort(new StopReason('cancelled'));
  };
  const sink: ByteSink = {
    write: async (chunk) => {
      chunks.push(chunk.slice());
      if (at === 'chunk') trigger();
    },
  };
  const onProgress = () => {
    if (at === 'progress') trigger();
  };
  const outcome = await settle(engine.generate(request, sink, { signal: controller.signal, onProgress }));
  return { outcome, chunks, signal: controller.signal, triggered };
}

/** The aborted call rejected with an AbortError (or the signal's reason), and wrote nothing after that. */
async function assertStopped(run: Awaited<ReturnType<typeof abortedRun>>): Promise<void> {
  assert.ok(!run.outcome.ok, `the aborted call rejects (it resolved with ${JSON.stringify(run.outcome.ok && run.outcome.value)})`);
  assertAbortError(run.outcome.error, run.signal);
  const written = run.chunks.length;
  await quiet();
  assert.equal(run.chunks.length, written, 'nothing is written after the call rejected');
}

function assertAbortError(error: unknown, signal: AbortSignal): void {
  assert.ok(
    error === signal.reason || (error as { name?: unknown } | undefined)?.name === 'AbortError',
    `an AbortError or the signal's reason, not ${describeError(error)}`,
  );
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function join(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

const ascii = (bytes: Uint8Array, offset: number, length: number) => String.fromCharCode(...bytes.subarray(offset, offset + length));

/** The container's signature at the start of `bytes`. */
function assertMagic(bytes: Uint8Array, format: AudioFormat): void {
  assert.ok(bytes.length > 0, `${format}: nothing was written`);
  const ok = {
    mp3: ascii(bytes, 0, 3) === 'ID3' || (bytes[0] === 0xff && ((bytes[1] as number) & 0xe0) === 0xe0),
    wav: ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE',
    flac: ascii(bytes, 0, 4) === 'fLaC',
    opus: ascii(bytes, 0, 4) === 'OggS' && ascii(bytes, 28, 8) === 'OpusHead',
    // ADTS frames, an ADIF header or an MP4 (M4A) container.
    aac: (bytes[0] === 0xff && ((bytes[1] as number) & 0xf6) === 0xf0) || ascii(bytes, 0, 4) === 'ADIF' || ascii(bytes, 4, 4) === 'ftyp',
    pcm: bytes.length % PCM_SAMPLE_BYTES === 0,
  }[format];
  assert.ok(ok, `${format}: the bytes do not start as ${format} does (${Buffer.from(bytes.subarray(0, 12)).toString('hex')})`);
}

/**
 * `bytes` decode as `format`, to audio as long as `seconds` (within 50 ms; decoded MP3 may be
 * longer by the coder's delay and one frame of padding). Formats the tests cannot decode (aac)
 * are checked by their signature only.
 */
async function assertAudio(bytes: Uint8Array, format: AudioFormat, seconds: number): Promise<void> {
  assertMagic(bytes, format);
  assert.ok(Number.isFinite(seconds) && seconds > 0, `${format}: a reported duration of ${seconds} s`);
  if (format === 'aac') return;
  const { frames, sampleRate } = format === 'flac' ? await decodeFlac(bytes) : await decodeOther(bytes, format);
  const decoded = frames / sampleRate;
  let longer = TOLERANCE_SECONDS;
  if (format === 'mp3') longer += (MP3_DELAY_SAMPLES + (sampleRate >= 32_000 ? 1152 : 576)) / sampleRate;
  assert.ok(
    decoded >= seconds - TOLERANCE_SECONDS && decoded <= seconds + longer,
    `${format}: decoded to ${decoded.toFixed(4)} s, expected ${seconds.toFixed(4)} s`,
  );
}

async function decodeOther(bytes: Uint8Array, format: AudioFormat): Promise<{ frames: number; sampleRate: number }> {
  const audio = await decodeAudio(bytes, format);
  assert.ok(audio.sampleRate > 0 && audio.channels.length > 0, `${format}: decoded to no audio`);
  return { frames: audio.channels[0]?.length ?? 0, sampleRate: audio.sampleRate };
}

/**
 * Decode FLAC frame by frame with libFLAC. The frames are cut here (each a sync code through a
 * matching CRC-16) rather than by the decoder's own parser, which drops a final frame of a few
 * bytes (a short constant block, as silence at the end of speech encodes to). Every byte after
 * the metadata must belong to a frame; a STREAMINFO that states the total length must be right.
 */
async function decodeFlac(bytes: Uint8Array): Promise<{ frames: number; sampleRate: number }> {
  assert.equal(ascii(bytes, 0, 4), 'fLaC');
  let offset = 4;
  let declaredSamples = 0;
  for (;;) {
    assert.ok(offset + 4 <= bytes.length, 'flac: the metadata blocks run past the end');
    const type = (bytes[offset] as number) & 0x7f;
    const size = ((bytes[offset + 1] as number) << 16) | ((bytes[offset + 2] as number) << 8) | (bytes[offset + 3] as number);
    if (type === 0) {
      const info = offset + 4;
      declaredSamples =
        ((bytes[info + 13] as number) & 0x0f) * 2 ** 32 + new DataView(bytes.buffer, bytes.byteOffset + info + 14, 4).getUint32(0);
    }
    const last = ((bytes[offset] as number) & 0x80) !== 0;
    offset += 4 + size;
    if (last) break;
  }
  const frames: Uint8Array[] = [];
  while (offset < bytes.length) {
    assert.ok(isFlacSync(bytes, offset), `flac: no frame starts at byte ${offset} of ${bytes.length}`);
    let crc = 0;
    let covered = offset;
    let end = -1;
    for (let candidate = offset + 8; candidate <= bytes.length; candidate++) {
      while (covered < candidate - 2) crc = crc16Step(crc, bytes[covered++] as number);
      if (candidate < bytes.length && !isFlacSync(bytes, candidate)) continue;
      if (crc === (((bytes[candidate - 2] as number) << 8) | (bytes[candidate - 1] as number))) {
        end = candidate;
        break;
      }
    }
    assert.ok(end > 0, `flac: the frame at byte ${offset} has no matching CRC-16`);
    frames.push(bytes.subarray(offset, end));
    offset = end;
  }
  assert.ok(frames.length > 0, 'flac: no audio frames');
  const decoder = new FLACDecoder();
  await decoder.ready;
  try {
    const decoded = await decoder.decodeFrames(frames);
    assert.deepEqual(decoded.errors, [], 'flac: libFLAC reports errors');
    assert.ok(decoded.samplesDecoded > 0 && decoded.sampleRate > 0, 'flac: decoded to no audio');
    if (declaredSamples > 0) assert.equal(decoded.samplesDecoded, declaredSamples, 'flac: STREAMINFO states the length decoded');
    return { frames: decoded.samplesDecoded, sampleRate: decoded.sampleRate };
  } finally {
    decoder.free();
  }
}

function isFlacSync(bytes: Uint8Array, offset: number): boolean {
  return bytes[offset] === 0xff && (bytes[offset + 1] === 0xf8 || bytes[offset + 1] === 0xf9);
}

/** CRC-16 of FLAC frames (polynomial x^16 + x^15 + x^2 + 1, initial 0), one byte on. */
function crc16Step(crc: number, byte: number): number {
  let value = crc ^ (byte << 8);
  for (let bit = 0; bit < 8; bit++) value = value & 0x8000 ? ((value << 1) ^ 0x8005) & 0xffff : (value << 1) & 0xffff;
  return value;
}
