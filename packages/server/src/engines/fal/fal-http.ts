import type { z } from 'zod';
import { EngineRejection } from '../../ports/engine.js';
import type { InstanceSettings } from '../../ports/engine-adapter.js';
import { readJsonAnswer } from '../remote/read-json.js';
import { readText, type UpstreamClient, type UpstreamRequest } from '../remote/upstream-client.js';
import { messageOf, UpstreamFailure } from '../remote/upstream-errors.js';
import type { FalOptions } from './fal-options.js';

/** What every call of one `fal` instance shares: `queue` carries the fal key, `files` (any host) does not. */
export interface FalContext {
  readonly queue: UpstreamClient;
  readonly files: UpstreamClient;
  readonly settings: InstanceSettings;
  readonly options: FalOptions;
}

const MAX_JSON = 1 << 20;

/** A queue request, waiting out 429/503; a 422 is the model's refusal (`detail: [{type, msg}]`, docs.fal.ai/errors). */
export async function send(context: FalContext, path: string, request: UpstreamRequest, signal: AbortSignal): Promise<Response> {
  const { queue, settings } = context;
  const asked = { ...request, passStatuses: [422, ...(request.passStatuses ?? [])] };
  const response = await queue.whileBusy(() => queue.send(path, asked, signal), signal);
  if (response.status !== 422) return response;
  const text = await readText(response, MAX_JSON).catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {}
  const detail = (body as { detail?: unknown } | undefined)?.detail;
  const policy = Array.isArray(detail) && detail.some((item) => (item as { type?: unknown })?.type === 'content_policy_violation');
  const message = messageOf(body, text);
  if (policy) throw new EngineRejection('content_policy', message);
  throw new EngineRejection('invalid_input', `The model refused the request (${settings.name}): ${message}`);
}

/** A queue answer's JSON (at most 1 MiB), checked against `schema`. */
export function readJson<T>(context: FalContext, response: Response, schema: z.ZodType<T>, what: string, signal: AbortSignal): Promise<T> {
  return readJsonAnswer(response, schema, { instance: context.settings.name, what, limit: MAX_JSON, signal });
}

/** The output's audio file: `output_field`, else the first of `audio`, `audio_file`, `audio_url` (a File `{url, content_type}`, a URL, or a list of them). */
export function audioFile(
  instance: string,
  output: Record<string, unknown>,
  field: string | undefined,
): { url: string; contentType?: string } {
  const names = field ? [field] : ['audio', 'audio_file', 'audio_url'];
  for (const name of names) {
    const value = Array.isArray(output[name]) ? (output[name] as unknown[])[0] : output[name];
    const file = typeof value === 'string' ? { url: value } : (value as { url?: unknown; content_type?: unknown } | undefined);
    if (typeof file?.url !== 'string') continue;
    if (!/^(https?|data):/i.test(file.url))
      throw new UpstreamFailure(`${instance} answered an audio URL that is not http(s): ${file.url.slice(0, 100)}`);
    return { url: file.url, contentType: typeof file.content_type === 'string' ? file.content_type : undefined };
  }
  throw new UpstreamFailure(`${instance} answered no audio file (looked for ${names.join(', ')}; set engine_options.output_field)`);
}
