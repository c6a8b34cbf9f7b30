/** The `speech` engine: offline text to speech with eSpeak NG, streamed sentence by sentence. */
import { ENCODABLE_FORMATS, PCM_SAMPLE_RATE } from '../../audio/encode-audio.js';
import { createVerifiedStreamingEncoder } from '../../audio/verified-stream.js';
import {
  type ByteSink,
  type Engine,
  type EngineCallOptions,
  EngineRejection,
  type EngineRequest,
  type EngineResult,
} from '../../ports/engine.js';
import { preloadEspeak } from './espeak-instance.js';
import { SPEECH_SAMPLE_RATE, synthesizeSentences } from './speech-synthesizer.js';
import { hasSpeakableText } from './text-normalizer.js';

/** The text has nothing to say: the API answers `speakable_text` (a 400). */
function unspeakable(): EngineRejection {
  return new EngineRejection('invalid_input', 'Input must contain speakable text', undefined, 'no_speakable_text');
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const error = new Error('The speech job was aborted');
  error.name = 'AbortError';
  return error;
}

/**
 * Speak `request.prompt` in `request.voice` (any vendor's name is mapped to a built-in voice),
 * at `request.speed`, in `request.languageCode`. Each sentence is true-peak limited and encoded as
 * soon as it is synthesised (served once the next one has shown the codec kept it at or under
 * −1 dBTP), so bytes start flowing early.
 */
async function generate(request: EngineRequest, sink: ByteSink, options: EngineCallOptions): Promise<EngineResult> {
  if (!hasSpeakableText(request.prompt)) throw unspeakable();
  const { signal, onProgress } = options;
  if (signal.aborted) throw abortError(signal);
  const encoder = createVerifiedStreamingEncoder(request.format, SPEECH_SAMPLE_RATE, 1, sink);
  let frames = 0;
  const sentences = synthesizeSentences(request.prompt, {
    voice: request.voice,
    speed: request.speed,
    language: request.languageCode,
  });
  for await (const sentence of sentences) {
    if (signal.aborted) {
      await sentences.return(undefined);
      throw abortError(signal);
    }
    await encoder.write(sentence.audio);
    frames += sentence.audio.channels[0]?.length ?? 0;
    onProgress(sentence.progress, 'speak');
  }
  if (frames === 0) throw unspeakable();
  await encoder.end();
  return { durationSeconds: frames / SPEECH_SAMPLE_RATE };
}

/**
 * Create the speech engine. The eSpeak NG instance is shared and loaded on first use (~150 ms);
 * with `preload` (the default) its import starts now, in the background, so the first request
 * does not wait for it.
 */
export function createSpeechEngine(options: { readonly preload?: boolean } = {}): Engine {
  if (options.preload !== false) preloadEspeak().catch(() => undefined);
  return {
    name: 'speech',
    formats: ENCODABLE_FORMATS,
    pcmSampleRate: PCM_SAMPLE_RATE,
    pacedByText: true,
    concurrency: 4,
    generate,
  };
}
