/** Mix a sung vocal line into the rendered band (placeholder until singing is wired). */
import type { PcmAudio } from '../../../audio/pcm-audio.js';
import type { EngineRequest } from '../../../ports/engine.js';
import type { Score } from '../compose/score.js';

/** Return `band` with vocals mixed in when the request asks for singing. */
export async function addVocals(band: PcmAudio, _score: Score, _request: EngineRequest, _signal: AbortSignal): Promise<PcmAudio> {
  return band;
}
