import { z } from 'zod';
import type { EngineVoice } from '../../ports/engine.js';
import type { ElevenLabs } from './elevenlabs-call.js';

/**
 * `GET /v1/voices` (elevenlabs-python `voices/raw_client.py` `get_all` → `types/get_voices_response.py`):
 * `{"voices":[Voice]}` with `voice_id`, `name`, `labels` (a string map, often with `language`) and
 * `verified_languages[{language, model_id, …}]`; every other field is ignored.
 */
const voicesAnswer = z.object({
  voices: z.array(
    z.object({
      voice_id: z.string().min(1),
      name: z.string().nullish(),
      labels: z.record(z.string(), z.string().nullish()).nullish(),
      verified_languages: z.array(z.object({ language: z.string() })).nullish(),
    }),
  ),
});

/**
 * The voices of the key's account (premade, cloned, added from the library), plus the instance's
 * `voices` names whose voice id is among them. Rejects when the list cannot be had (a key without
 * the voices_read permission is a 401).
 */
export async function listVoices(upstream: ElevenLabs, signal: AbortSignal): Promise<readonly EngineVoice[]> {
  const answer = await upstream.client.json('/v1/voices', {}, voicesAnswer, signal);
  const listed = new Map<string, EngineVoice>();
  for (const voice of answer.voices) {
    const language = voice.labels?.language ?? voice.verified_languages?.[0]?.language;
    listed.set(voice.voice_id, { id: voice.voice_id, name: voice.name ?? voice.voice_id, ...(language ? { language } : {}) });
  }
  const named: EngineVoice[] = [];
  for (const [name, id] of Object.entries(upstream.options.voices)) {
    const voice = listed.get(id);
    if (voice && !listed.has(name)) named.push({ ...voice, id: name });
  }
  return [...named, ...listed.values()];
}
