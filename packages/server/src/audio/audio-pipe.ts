import type { AudioFormat, ByteSink } from '../ports/engine.js';
import { AudioConversion } from './audio-conversion.js';
import { type AudioMeter, createAudioMeter } from './audio-meter.js';
import { MalformedAudioError, SNIFF_BYTES, sniffAudioFormat } from './audio-sniff.js';
import { concatBytes } from './byte-queue.js';
import { PCM_SAMPLE_RATE } from './frame-codecs.js';
import { mp3RateFor } from './mp3-writer.js';
import { OPUS_SAMPLE_RATE } from './ogg-opus-writer.js';
import { STREAMABLE_FORMATS } from './streaming-encoder.js';

export { formatOfContentType, MalformedAudioError, sniffAudioFormat } from './audio-sniff.js';

/** Streams upstream audio to a sink in the format the client asked for, measuring what it wrote. */
export interface AudioPipe {
  /** Feed the next bytes received from the upstream (any chunking). Honour back-pressure: resolve after the sink accepted what this produced. */
  write(chunk: Uint8Array): Promise<void>;
  /** The upstream finished: flush, validate and resolve with the measured duration. Throws MalformedAudioError when the bytes were not a complete, well-formed file. */
  end(): Promise<{ durationSeconds: number; bytesWritten: number }>;
  /**
   * Give up without finishing (the upstream failed or the call was aborted): frees the decoder,
   * once a write in progress has settled. Later calls reject.
   */
  abort(): void;
}

/** What `createAudioPipe` needs. */
export interface AudioPipeOptions {
  /** The format to write (the client's). */
  target: AudioFormat;
  /** Where the written file goes. */
  sink: ByteSink;
  /** The format the upstream says it sent (from its Content-Type or what we asked for); undefined: sniff the first bytes. */
  source?: AudioFormat;
  /** For raw `pcm` input: s16le mono at this rate (default PCM_SAMPLE_RATE = 24000). */
  pcmSampleRate?: number;
  /** Output sample rate wanted, when the client or row asks for one; undefined: keep the source rate (or the codec's own). */
  sampleRate?: number;
  /** Maximum input bytes accepted; more throws MalformedAudioError('too large') — protects against oversized upstream answers. */
  maxInputBytes?: number;
}

/** Most bytes held back while waiting for the header that decides between passing through and converting. */
const MAX_PENDING_BYTES = 1 << 20;

/** The sample rate `target`'s encoder writes when asked for `wanted` (opus and pcm have fixed rates). */
function encodedRate(target: AudioFormat, wanted: number): number {
  if (target === 'opus') return OPUS_SAMPLE_RATE;
  if (target === 'pcm') return PCM_SAMPLE_RATE;
  return target === 'mp3' ? mp3RateFor(wanted) : wanted;
}

/**
 * A pipe from upstream bytes to `options.sink`. Same format and rate in and out: bytes pass
 * through unchanged as they arrive while a meter measures and validates them. Otherwise the
 * stream is decoded and re-encoded piece by piece. Either way memory stays bounded, and `end`
 * throws MalformedAudioError for a truncated, empty or foreign stream (the caller then discards
 * what was written). The pipe may keep references to written chunks: do not reuse their buffers.
 */
export function createAudioPipe(options: AudioPipeOptions): AudioPipe {
  const { target, sink } = options;
  const pcmSampleRate = options.pcmSampleRate ?? PCM_SAMPLE_RATE;
  const maxInputBytes = options.maxInputBytes ?? Number.POSITIVE_INFINITY;
  let inputBytes = 0;
  let bytesWritten = 0;
  let pending: Uint8Array[] = [];
  let meter: AudioMeter | undefined;
  let route: { conversion?: AudioConversion } | undefined;
  let source: AudioFormat | undefined;
  let failure: unknown;
  let inFlight: Promise<unknown> | undefined;
  const counted: ByteSink = {
    write(chunk) {
      bytesWritten += chunk.length;
      return sink.write(chunk);
    },
  };

  /** Choose the format, then (once the rate is known when it matters) pass-through or conversion. */
  async function decide(final: boolean): Promise<boolean> {
    if (!meter) {
      if (inputBytes < SNIFF_BYTES && !final) return false;
      const head = concatBytes(pending, SNIFF_BYTES);
      const format = options.source ?? sniffAudioFormat(head);
      if (!format) throw new MalformedAudioError(inputBytes === 0 ? 'not audio: the upstream sent nothing' : 'not audio');
      meter = createAudioMeter(format, pcmSampleRate);
      for (const chunk of pending) meter.push(chunk);
      source = format;
    }
    const sourceFormat = source as AudioFormat;
    const sourceRate = sourceFormat === 'pcm' ? pcmSampleRate : meter.sampleRate;
    const rateMatters = sourceFormat === target && options.sampleRate !== undefined;
    if (rateMatters && sourceRate === undefined && !final) {
      if (inputBytes > MAX_PENDING_BYTES) throw new MalformedAudioError(`${sourceFormat} has no readable header`);
      return false;
    }
    const wanted = (rate: number) => encodedRate(target, options.sampleRate ?? rate);
    const passThrough = sourceFormat === target && (sourceRate === undefined || wanted(sourceRate) === sourceRate);
    if (passThrough) route = {};
    else {
      if (!STREAMABLE_FORMATS.includes(target) && sourceFormat !== 'aac')
        throw new Error(`${target} output cannot be encoded in this build (no offline ${target} encoder)`);
      const conversion = await AudioConversion.create({
        source: sourceFormat,
        target,
        sink: counted,
        pcmSampleRate,
        encodeRate: wanted,
        declaredChannels: () => meter?.channelCount,
      });
      route = { conversion };
    }
    const held = concatBytes(pending);
    pending = [];
    await forward(held);
    return true;
  }

  async function forward(chunk: Uint8Array): Promise<void> {
    if (chunk.length === 0) return;
    if (route?.conversion) await route.conversion.write(chunk);
    else await counted.write(chunk);
  }

  /** Run one call; on error keep failing. The decoder is freed only when no call is using it. */
  async function guarded<T>(work: () => Promise<T>): Promise<T> {
    if (failure) throw failure;
    const call = work();
    inFlight = call;
    try {
      return await call;
    } catch (error) {
      failure ??= error;
      throw error;
    } finally {
      inFlight = undefined;
      if (failure) route?.conversion?.free();
    }
  }

  return {
    write: (chunk) =>
      guarded(async () => {
        inputBytes += chunk.length;
        if (inputBytes > maxInputBytes) throw new MalformedAudioError(`upstream audio too large (over ${maxInputBytes} bytes)`);
        meter?.push(chunk);
        if (route) return forward(chunk);
        pending.push(chunk);
        await decide(false);
      }),
    end: () =>
      guarded(async () => {
        if (!route) await decide(true);
        const measured = (meter as AudioMeter).finish();
        const durationSeconds = route?.conversion ? await route.conversion.end() : measured;
        failure = new Error('AudioPipe.end() was already called');
        return { durationSeconds, bytesWritten };
      }),
    abort() {
      failure ??= new Error('AudioPipe was aborted');
      if (!inFlight) route?.conversion?.free();
    },
  };
}
