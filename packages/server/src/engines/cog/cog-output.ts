import { abortableSink } from '../abortable-sink.js';
import type { AudioFormat, ByteSink } from '../../ports/engine.js';
import type { InstanceSettings } from '../../ports/engine-adapter.js';
import { receiveAudio } from '../remote/receive-audio.js';
import { discard } from '../remote/upstream-attempt.js';
import { receiveLimits } from '../remote/upstream-base.js';
import type { UpstreamClient } from '../remote/upstream-client.js';
import { UpstreamFailure } from '../remote/upstream-errors.js';

/** Statuses of an output download that mean the file is gone (expired or removed), not that the host is at capacity. */
const GONE = [403, 404, 410];
/** Chunks a decoded data URL is fed to the audio pipe in, as if it were downloaded. */
const CHUNK = 64 * 1024;

/**
 * The audio file in a Cog prediction's `output`: `output[field]` when a field is named, else
 * the first file URL found in it (a string, or the first in a list or object) — a
 * base64 `data:` URL (Cog's default) or an `http(s)` URL (Cog's `--upload-url`, Replicate).
 */
function outputUrl(output: unknown, field: string | undefined, instance: string): string {
  let value = output;
  if (field !== undefined) value = typeof output === 'object' && output !== null ? (output as Record<string, unknown>)[field] : undefined;
  const url = firstUrl(value, 0);
  if (url === undefined)
    throw new UpstreamFailure(`${instance} answered no audio file${field === undefined ? '' : ` in output.${field}`}: ${preview(output)}`);
  return url;
}

function firstUrl(value: unknown, depth: number): string | undefined {
  if (typeof value === 'string') return /^(data:|https?:\/\/)/i.test(value) ? value : undefined;
  if (typeof value !== 'object' || value === null || depth > 3) return undefined;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    const url = firstUrl(item, depth + 1);
    if (url !== undefined) return url;
  }
  return undefined;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? 'nothing';
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Which prediction's output goes where. */
export interface OutputTake {
  readonly id: string;
  /** The row's `output_field`, when it names one. */
  readonly field: string | undefined;
  readonly target: AudioFormat;
  readonly sink: ByteSink;
  readonly signal: AbortSignal;
  /** Headers for the file host of `url` (e.g. a bearer key for the API's own file URLs). */
  readonly headersFor?: (url: string) => Readonly<Record<string, string>> | undefined;
}

/** A prediction's `error` as text: a string as it is, anything else as JSON. */
export function predictionError(prediction: { readonly error?: unknown }): string {
  return typeof prediction.error === 'string' ? prediction.error : JSON.stringify(prediction.error ?? null);
}

/**
 * Write a finished prediction's output file into the sink in the client's format (converted when
 * needed); one that did not succeed fails the attempt, naming its status and error. A data URL is
 * decoded (refused over `maxResponseBytes` before decoding), a URL downloaded with `files`
 * (size-capped, each chunk within the request timeout). Its measured duration.
 */
export async function receivePrediction(
  source: { readonly settings: InstanceSettings; readonly files: UpstreamClient },
  prediction: { readonly status: string; readonly output?: unknown; readonly error?: unknown },
  take: OutputTake,
): Promise<number> {
  const { settings, files } = source;
  const { signal } = take;
  const instance = settings.name;
  if (prediction.status !== 'succeeded')
    throw new UpstreamFailure(`${instance}'s prediction ${take.id} ${prediction.status}: ${predictionError(prediction).slice(0, 500)}`);
  const url = outputUrl(prediction.output, take.field, instance);
  let response: Response;
  if (url.startsWith('data:')) response = dataUrlResponse(url, instance, settings.maxResponseBytes);
  else {
    const headers = take.headersFor?.(url);
    response = await files.whileBusy(() => files.send(url, { headers, streamed: true, passStatuses: GONE }, signal), signal);
    if (!response.ok) {
      await discard(response);
      throw new UpstreamFailure(`${instance}'s output file is gone (${response.status}): ${url.split('?')[0]}`);
    }
  }
  const { durationSeconds } = await receiveAudio(response, {
    ...receiveLimits(settings),
    target: take.target,
    sink: abortableSink(take.sink, signal),
    signal,
  });
  return durationSeconds;
}

function dataUrlResponse(url: string, instance: string, maxBytes: number): Response {
  const comma = url.indexOf(',');
  const header = url.slice(5, comma < 0 ? 5 : comma);
  if (comma < 0 || !/;base64$/i.test(header)) throw new UpstreamFailure(`${instance} answered a data URL that is not base64`);
  const encoded = url.length - comma - 1;
  if (Math.floor((encoded * 3) / 4) > maxBytes + 2)
    throw new UpstreamFailure(`${instance} answered an audio file over the ${maxBytes}-byte limit`);
  const bytes = Buffer.from(url.slice(comma + 1), 'base64');
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + CHUNK));
      offset += CHUNK;
    },
  });
  const mime = header.replace(/;base64$/i, '').split(';')[0] ?? '';
  return new Response(body, { headers: mime ? { 'content-type': mime } : {} });
}
