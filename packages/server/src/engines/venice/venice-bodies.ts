import { EngineRejection, type EngineRequest } from '../../ports/engine.js';

/**
 * The upstream's model id: the catalog row's `engine_options.model`, else the public model id
 * (an Overture in front of an Overture, or a row named after the Venice model it resells).
 */
export function upstreamModel(request: EngineRequest): string {
  const model = request.options.model;
  if (model === undefined) return request.modelId;
  if (typeof model === 'string' && model.length > 0) return model;
  throw new EngineRejection('refused', `The catalog row ${request.modelId} has an engine_options.model that is not a model id`);
}

/** The upstream's name for a row's voice. */
function voiceOf(request: EngineRequest, voices: Readonly<Record<string, string>>): string | undefined {
  return request.voice === undefined ? undefined : (voices[request.voice] ?? request.voice);
}

/**
 * The `/audio/queue` body. A field is sent only when it carries information (a true flag, a set
 * voice, a speed other than 1, …): the contract makes any field the model does not support a
 * 400, even when it is false.
 */
export function queueBody(request: EngineRequest, model: string, voices: Readonly<Record<string, string>>): Record<string, unknown> {
  const body: Record<string, unknown> = { model, prompt: request.prompt };
  if (request.lyrics) body.lyrics_prompt = request.lyrics;
  if (request.durationSeconds !== undefined) body.duration_seconds = request.durationSeconds;
  const voice = voiceOf(request, voices);
  if (voice !== undefined) body.voice = voice;
  if (request.languageCode) body.language_code = request.languageCode;
  if (request.speed !== 1) body.speed = request.speed;
  if (request.forceInstrumental) body.force_instrumental = true;
  if (request.lyricsOptimizer) body.lyrics_optimizer = true;
  if (request.loop) body.loop = true;
  return body;
}

/** The `/audio/speech` body: streamed, in the format the client asked for. */
export function speechBody(request: EngineRequest, model: string, voices: Readonly<Record<string, string>>): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model,
    input: request.prompt,
    response_format: request.format,
    speed: request.speed,
    streaming: true,
  };
  const voice = voiceOf(request, voices);
  if (voice !== undefined) body.voice = voice;
  if (request.languageCode) body.language = request.languageCode;
  return body;
}
