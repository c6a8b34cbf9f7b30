import { z } from 'zod';
import type { EngineVoice } from '../../ports/engine.js';
import type { SpeechUpstream } from './speech-call.js';

/**
 * Kokoro-FastAPI's `GET /v1/audio/voices` (api/src/routers/openai_compatible.py `list_voices`):
 * `{"voices":[{"id","name"}]}` since 0.3, `{"voices":["af_heart",…]}` before (and with `?legacy=true`).
 */
const voicesAnswer = z.object({
  voices: z.array(z.union([z.string().min(1), z.object({ id: z.string().min(1), name: z.string().optional() })])),
});

/** The upstream voices a Kokoro voice string names: `af_bella(2)+af_sky-am_adam` → three of them. */
function parts(voice: string): string[] {
  return voice.split(/[+-]/).map((part) => part.replace(/\(.*\)$/, '').trim());
}

/**
 * The voices the upstream lists, plus the instance's `voices` names whose every upstream voice
 * is listed (so a request may name either). Rejects when the upstream answers otherwise (OpenAI
 * itself, LocalAI and Speaches have no such route: a 404).
 */
export async function listVoices(upstream: SpeechUpstream, signal: AbortSignal): Promise<readonly EngineVoice[]> {
  const answer = await upstream.client.json('/audio/voices', {}, voicesAnswer, signal);
  const listed: EngineVoice[] = answer.voices.map((voice) =>
    typeof voice === 'string' ? { id: voice, name: voice } : { id: voice.id, name: voice.name ?? voice.id },
  );
  const ids = new Set(listed.map((voice) => voice.id));
  const named = Object.entries(upstream.voices)
    .filter(([name, target]) => !ids.has(name) && parts(target).every((part) => ids.has(part)))
    .map(([name, target]) => ({ id: name, name: target }));
  return [...named, ...listed];
}
