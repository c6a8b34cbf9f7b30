import { type AudioFormat, type ByteSink, EngineRejection } from '../../ports/engine.js';
import type { InstanceSettings } from '../../ports/engine-adapter.js';
import { receiveAudio } from '../remote/receive-audio.js';
import { readText, sleep, type UpstreamClient } from '../remote/upstream-client.js';
import { messageOf, parseRetryAfter, UpstreamBusy, upstreamError } from '../remote/upstream-errors.js';
import type { ElevenLabsOptions } from './elevenlabs-options.js';

/** What every call of one `elevenlabs` instance shares. */
export interface ElevenLabs {
  readonly client: UpstreamClient;
  readonly settings: InstanceSettings;
  readonly options: ElevenLabsOptions;
}

/** The `output_format` asked for, and how its bytes are read. */
export interface Asked {
  readonly outputFormat: string;
  readonly format: AudioFormat;
  readonly pcmRate?: number;
}

/**
 * ElevenLabs' 429 `too_many_concurrent_requests`: every request the plan allows at once is
 * running; one frees soon, so it is asked again after a short wait (no back-off).
 */
export class SlotBusy extends UpstreamBusy {
  override name = 'SlotBusy';
}

/** Error statuses read here (ElevenLabs' `{"detail":{"status","message"}}`) rather than by the toolkit alone. */
const READ = [400, 401, 402, 403, 404, 422, 429];
const POLICY = /\b(bad_prompt|bad_composition_plan|moderation|content[ _-]?policy|terms of service|tos|harmful|copyright(ed)?)\b/i;

/**
 * Map an ElevenLabs error answer: `too_many_concurrent_requests` → `SlotBusy` (Retry-After, else
 * `busy_retry_seconds`); `system_busy` and other 429s → `UpstreamBusy` without a delay of its own,
 * so `whileBusy` backs off from `system_busy_seconds`, doubling; `bad_prompt`/`bad_composition_plan`
 * and other moderation refusals → `content_policy` (with the `prompt_suggestion`); `quota_exceeded`,
 * `invalid_api_key` and 401/402/403 → `refused`; the rest as the toolkit maps them.
 */
export function elevenLabsError(upstream: ElevenLabs, status: number, headers: Headers, text: string): Error {
  const instance = upstream.settings.name;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const detail = (body as { detail?: unknown } | undefined)?.detail;
  const fields = (typeof detail === 'object' && detail !== null && !Array.isArray(detail) ? detail : {}) as Record<string, unknown>;
  const code = typeof fields.status === 'string' ? fields.status : '';
  const message = messageOf(body, text);
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'));
  if (/quota|credit|payment/i.test(code))
    return new EngineRejection('refused', `Upstream ${instance} refused Overture's request (${status} ${code}): ${message}`);
  if (status === 429 && code === 'too_many_concurrent_requests')
    return new SlotBusy(
      `${instance} has no free slot (429 ${code}): ${message}`,
      retryAfterMs ?? upstream.options.busy_retry_seconds * 1000,
    );
  if (status === 429) return new UpstreamBusy(`${instance} is busy (429 ${code || 'rate limited'}): ${message}`, retryAfterMs);
  if ((status === 400 || status === 403 || status === 422) && POLICY.test(`${code} ${message}`)) {
    const data = (typeof fields.data === 'object' && fields.data !== null ? fields.data : fields) as Record<string, unknown>;
    const suggested = typeof data.prompt_suggestion === 'string' ? data.prompt_suggestion : undefined;
    return new EngineRejection('content_policy', message, suggested);
  }
  return upstreamError(instance, status, headers, text);
}

/** POST a JSON body with `?output_format=`; resolves with the 2xx answer whose body is the audio. */
export async function post(upstream: ElevenLabs, path: string, asked: Asked, body: unknown, signal: AbortSignal): Promise<Response> {
  const url = `${path}?output_format=${encodeURIComponent(asked.outputFormat)}`;
  const response = await upstream.client.send(url, { json: body, streamed: true, passStatuses: READ }, signal);
  if (response.ok) return response;
  const text = await readText(response, 64 * 1024).catch(() => '');
  throw elevenLabsError(upstream, response.status, response.headers, text);
}

/**
 * For a synchronous request: wait for a free slot (`SlotBusy`) up to `speech_wait_seconds` in
 * all; any other busy answer, or a longer wait, is a `capacity` rejection (the caller fails over
 * to another instance or answers 503).
 */
export async function withSlot<T>(upstream: ElevenLabs, work: () => Promise<T>, signal: AbortSignal): Promise<T> {
  let waited = 0;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof UpstreamBusy)) throw error;
      const delay = error.retryAfterMs ?? 0;
      if (!(error instanceof SlotBusy) || waited + delay > upstream.options.speech_wait_seconds * 1000)
        throw new EngineRejection('capacity', error.message);
      await sleep(delay, signal);
      waited += delay;
    }
  }
}

/** Stream an answer into the sink in the client's format (converted when it differs): its measured duration. */
export async function receive(
  upstream: ElevenLabs,
  response: Response,
  asked: Asked,
  target: AudioFormat,
  sink: ByteSink,
  signal: AbortSignal,
): Promise<number> {
  const { durationSeconds } = await receiveAudio(response, {
    instance: upstream.settings.name,
    target,
    sink,
    signal,
    maxBytes: upstream.settings.maxResponseBytes,
    idleTimeoutMs: upstream.settings.requestTimeoutMs,
    expected: asked.format,
    pcmSampleRate: asked.pcmRate,
  });
  return durationSeconds;
}

/** Music and sound effects: always MP3 (ElevenLabs does not document its raw PCM's channels for them). */
export function musicAsked(options: ElevenLabsOptions): Asked {
  return { outputFormat: options.mp3_format, format: 'mp3' };
}

/** Speech: MP3 for mp3, 24 kHz PCM (Overture's own) for pcm, and PCM at `speech_pcm_rate` converted for the rest. */
export function speechAsked(options: ElevenLabsOptions, target: AudioFormat): Asked {
  if (target === 'mp3') return { outputFormat: 'mp3_44100_128', format: 'mp3' };
  const rate = target === 'pcm' ? 24_000 : options.speech_pcm_rate;
  return { outputFormat: `pcm_${rate}`, format: 'pcm', pcmRate: rate };
}
