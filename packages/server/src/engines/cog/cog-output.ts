import { abortableSink } from '../abortable-sink.js';
import type { AudioFormat, ByteSink } from '../../ports/engine.js';
import { receiveAudio } from '../remote/receive-audio.js';
import type { UpstreamClient } from '../remote/upstream-client.js';
import { UpstreamFailure } from '../remote/upstream-errors.js';

/** Statuses of an output download that mean the file is gone (expired or removed), not that the host is at capacity. */
const GONE = [403, 404, 410];
/** Chunks a decoded data URL is fed to the audio pipe in, as if it were downloaded. */
const CHUNK = 64 * 1024;

/**
 * Read a JSON answer of at most `limit` bytes (the caller's request timeout bounds the time);
 * a dropped, oversized or malformed answer is an `UpstreamFailure`.
 */
export async function readJsonBody(
  response: Response,
  limit: number,
  what: string,
  instance: string,
  signal: AbortSignal,
): Promise<unknown> {
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const next = reader ? await reader.read() : { done: true as const, value: undefined };
      if (next.done) break;
      size += next.value.byteLength;
      if (size > limit) throw new UpstreamFailure(`${instance} answered ${what} with more than ${limit} bytes`);
      chunks.push(next.value);
    }
  } catch (error) {
    reader?.cancel().catch(() => undefined);
    signal.throwIfAborted();
    if (error instanceof UpstreamFailure) throw error;
    throw new UpstreamFailure(`${instance} dropped the answer to ${what}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new UpstreamFailure(`${instance} answered ${what} with malformed JSON`);
  }
}

/**
 * The audio file in a Cog prediction's `output`: `output[field]` when a field is named, else
 * the first file URL found in it (a string, or the first in a list or object) — a
 * base64 `data:` URL (Cog's default) or an `http(s)` URL (Cog's `--upload-url`, Replicate).
 */
export function outputUrl(output: unknown, field: string | undefined, instance: string): string {
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

/** Where and how an output file is taken in. */
export interface OutputReceipt {
  readonly instance: string;
  readonly target: AudioFormat;
  readonly sink: ByteSink;
  readonly signal: AbortSignal;
  readonly maxBytes: number;
  readonly idleTimeoutMs: number;
  /** Downloads `http(s)` outputs; `headers` for the file host (e.g. a bearer key for the API's own file URLs). */
  readonly files: UpstreamClient;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Write the output file into the sink in the client's format (converted when needed): a data URL
 * is decoded (refused over `maxBytes` before decoding), a URL downloaded (size-capped, each
 * chunk within the idle timeout). Its measured duration.
 */
export async function receiveOutput(url: string, receipt: OutputReceipt): Promise<number> {
  const { instance, signal } = receipt;
  let response: Response;
  if (url.startsWith('data:')) response = dataUrlResponse(url, receipt);
  else {
    response = await receipt.files.whileBusy(
      () => receipt.files.send(url, { headers: receipt.headers, streamed: true, passStatuses: GONE }, signal),
      signal,
    );
    if (!response.ok) {
      await response.arrayBuffer().catch(() => undefined);
      throw new UpstreamFailure(`${instance}'s output file is gone (${response.status}): ${url.split('?')[0]}`);
    }
  }
  const { durationSeconds } = await receiveAudio(response, {
    instance,
    target: receipt.target,
    sink: abortableSink(receipt.sink, signal),
    signal,
    maxBytes: receipt.maxBytes,
    idleTimeoutMs: receipt.idleTimeoutMs,
  });
  return durationSeconds;
}

function dataUrlResponse(url: string, receipt: OutputReceipt): Response {
  const comma = url.indexOf(',');
  const header = url.slice(5, comma < 0 ? 5 : comma);
  if (comma < 0 || !/;base64$/i.test(header)) throw new UpstreamFailure(`${receipt.instance} answered a data URL that is not base64`);
  const encoded = url.length - comma - 1;
  if (Math.floor((encoded * 3) / 4) > receipt.maxBytes + 2)
    throw new UpstreamFailure(`${receipt.instance} answered an audio file over the ${receipt.maxBytes}-byte limit`);
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
