import { PCM_SAMPLE_RATE } from '../../audio/frame-codecs.js';
import { createStreamingEncoder } from '../../audio/streaming-encoder.js';
import { type ByteSink, type EngineCallOptions, EngineRejection, type EngineRequest, type EngineResult } from '../../ports/engine.js';
import { splitNarration } from '../openai-speech/narration-parts.js';
import { S16Decoder, SeamJoiner } from '../openai-speech/seam-joiner.js';
import { type Asked, type ElevenLabs, post, receive, speechAsked, withSlot } from './elevenlabs-call.js';
import type { ElevenLabsRow } from './elevenlabs-options.js';

/** ElevenLabs' documented range of `voice_settings.speed`. */
const SPEED = { min: 0.7, max: 1.2 };
/** Context sent around a narration part (`previous_text`/`next_text`), in characters. */
const CONTEXT = 300;

/** The voice id of a request: the `voices` map, else the name as an id, else `default_voice`. */
function voiceId(upstream: ElevenLabs, request: EngineRequest): string {
  const voice = request.voice === undefined ? upstream.options.default_voice : (upstream.options.voices[request.voice] ?? request.voice);
  if (voice === undefined)
    throw new EngineRejection(
      'refused',
      `Upstream ${upstream.settings.name} needs a voice: the request names none and no default_voice is set`,
    );
  return voice;
}

/**
 * The text-to-speech body: `{text, model_id, language_code, voice_settings: {…row settings,
 * speed}, seed, previous_text, next_text}`; speed outside 0.7–1.2 is refused here.
 */
export function speechBody(request: EngineRequest, row: ElevenLabsRow, text: string, around: { before?: string; after?: string } = {}) {
  if (request.speed < SPEED.min || request.speed > SPEED.max)
    throw new EngineRejection('invalid_input', `ElevenLabs speaks at speeds from ${SPEED.min} to ${SPEED.max}.`);
  const settings = { ...row.voice_settings, ...(request.speed === 1 ? {} : { speed: request.speed }) };
  return {
    text,
    ...(row.model === undefined ? {} : { model_id: row.model }),
    ...(request.languageCode ? { language_code: request.languageCode } : {}),
    ...(Object.keys(settings).length > 0 ? { voice_settings: settings } : {}),
    seed: request.seed >>> 0,
    ...(around.before ? { previous_text: around.before.slice(-CONTEXT) } : {}),
    ...(around.after ? { next_text: around.after.slice(0, CONTEXT) } : {}),
  };
}

/**
 * `/audio/speech`: `POST /v1/text-to-speech/{voice_id}/stream`, passed to the sink as its bytes
 * arrive (MP3 as is, PCM at 24 kHz as is, converted for the rest). With no free slot it waits up
 * to `speech_wait_seconds`; then, or when ElevenLabs is `system_busy`, a `capacity` rejection.
 */
export async function speak(
  upstream: ElevenLabs,
  request: EngineRequest,
  row: ElevenLabsRow,
  sink: ByteSink,
  signal: AbortSignal,
): Promise<EngineResult> {
  const body = speechBody(request, row, request.prompt);
  const path = `/v1/text-to-speech/${encodeURIComponent(voiceId(upstream, request))}/stream`;
  const asked = speechAsked(upstream.options, request.format);
  const response = await withSlot(upstream, () => post(upstream, path, asked, body, signal), signal);
  return { durationSeconds: await receive(upstream, response, asked, request.format, sink, signal) };
}

/**
 * A narration (`music` row of kind `narration`): the text spoken part by part (at most
 * `max_characters` each, whole sentences), each part asked as 24 kHz PCM with its neighbours as
 * `previous_text`/`next_text`, joined without clicks and encoded in the client's format. Busy
 * answers are waited out without failing the job. Nothing is resumable (see generateAudio): a
 * later attempt speaks the narration again.
 */
export async function narrate(
  upstream: ElevenLabs,
  request: EngineRequest,
  row: ElevenLabsRow,
  sink: ByteSink,
  call: EngineCallOptions,
): Promise<EngineResult> {
  const { signal } = call;
  const parts = splitNarration(request.prompt, upstream.options.max_characters);
  if (parts.length === 0) throw new EngineRejection('invalid_input', 'The text has nothing to narrate (no letters or digits).');
  const path = `/v1/text-to-speech/${encodeURIComponent(voiceId(upstream, request))}/stream`;
  const asked: Asked = { outputFormat: `pcm_${PCM_SAMPLE_RATE}`, format: 'pcm', pcmRate: PCM_SAMPLE_RATE };
  const joiner = new SeamJoiner(createStreamingEncoder(request.format, PCM_SAMPLE_RATE, 1, sink), PCM_SAMPLE_RATE);
  for (let index = 0; index < parts.length; index++) {
    signal.throwIfAborted();
    const part = parts[index] as (typeof parts)[number];
    const around = { before: parts[index - 1]?.text, after: parts[index + 1]?.text };
    const body = speechBody(request, row, part.text, around);
    const response = await upstream.client.whileBusy(() => post(upstream, path, asked, body, signal), signal);
    joiner.startPart();
    const decoder = new S16Decoder();
    const partSink: ByteSink = { write: (bytes) => joiner.push(decoder.decode(bytes)) };
    await receive(upstream, response, asked, 'pcm', partSink, signal);
    await joiner.endPart(index === parts.length - 1 ? 0 : part.pauseSeconds / request.speed);
    call.onProgress((index + 1) / parts.length, 'speak');
  }
  await joiner.end();
  return { durationSeconds: joiner.frames / PCM_SAMPLE_RATE };
}
