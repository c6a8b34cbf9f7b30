import { PCM_SAMPLE_RATE } from '../../audio/frame-codecs.js';
import { createStreamingEncoder } from '../../audio/streaming-encoder.js';
import { type ByteSink, type EngineCallOptions, EngineRejection, type EngineRequest, type EngineResult } from '../../ports/engine.js';
import { receiveAudio } from '../remote/receive-audio.js';
import { splitNarration } from './narration-parts.js';
import { S16Decoder, SeamJoiner } from './seam-joiner.js';
import { postSpeech, type SpeechUpstream, speechBody } from './speech-call.js';

/**
 * A queued narration (`music`-type row): a long text spoken part by part, one upstream request
 * per part (each at most `max_characters`, cut at sentence boundaries), joined without clicks
 * into one stream encoded in the client's format. Parts are asked for as raw `pcm` (or `wav` when
 * the upstream lacks it) and taken in through `receiveAudio` converted to 24 kHz s16le mono, so
 * every part arrives at one rate whatever the upstream sends. One part is in memory at a time —
 * and not even that: samples flow from the upstream's socket to the encoder as they arrive.
 *
 * An upstream at capacity (429/503) is waited out (its Retry-After honoured) without failing the
 * job. There is no upstream request to resume: `/audio/speech` is synchronous HTTP with no id or
 * status to ask for later, so `options.upstream` (the job's upstream journal) is left unused and
 * a later attempt starts the narration again.
 */
export async function narrate(
  upstream: SpeechUpstream,
  request: EngineRequest,
  sink: ByteSink,
  options: EngineCallOptions,
): Promise<EngineResult> {
  const { signal } = options;
  const parts = splitNarration(request.prompt, upstream.maxCharacters);
  if (parts.length === 0) throw new EngineRejection('invalid_input', 'The text has nothing to narrate (no letters or digits).');
  const asked = upstream.formats.includes('pcm') ? 'pcm' : 'wav';
  const joiner = new SeamJoiner(createStreamingEncoder(request.format, PCM_SAMPLE_RATE, 1, sink), PCM_SAMPLE_RATE);
  for (let index = 0; index < parts.length; index++) {
    signal.throwIfAborted();
    const part = parts[index] as (typeof parts)[number];
    const body = speechBody(upstream, request, part.text, asked);
    const response = await upstream.client.whileBusy(() => postSpeech(upstream, body, signal), signal);
    joiner.startPart();
    const decoder = new S16Decoder();
    await receiveAudio(response, {
      instance: upstream.instance,
      target: 'pcm',
      sink: { write: (bytes) => joiner.push(decoder.decode(bytes)) },
      signal,
      maxBytes: upstream.maxResponseBytes,
      idleTimeoutMs: upstream.idleTimeoutMs,
      expected: asked,
      pcmSampleRate: upstream.pcmSampleRate,
    });
    const last = index === parts.length - 1;
    await joiner.endPart(last ? 0 : part.pauseSeconds / request.speed);
    options.onProgress((index + 1) / parts.length, 'speak');
  }
  await joiner.end();
  return { durationSeconds: joiner.frames / PCM_SAMPLE_RATE };
}
