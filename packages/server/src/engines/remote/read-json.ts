import type { z } from 'zod';
import { UpstreamFailure } from './upstream-errors.js';

/** Which answer is read, for messages, and what bounds its body. */
export interface JsonAnswer {
  /** The instance name. */
  readonly instance: string;
  /** The request answered: `/health-check`, `PUT /predictions/…`, `the submission`. */
  readonly what: string;
  /** Largest body accepted, in bytes. */
  readonly limit: number;
  readonly signal: AbortSignal;
  /**
   * Longest the whole body may take: for an answer sent `streamed`, whose request timeout
   * stopped once its headers came. Otherwise the request timeout bounds it already.
   */
  readonly timeoutMs?: number;
}

/**
 * Read a JSON body of at most `answer.limit` bytes: its value. A dropped, stalled, oversized
 * or malformed answer is an `UpstreamFailure`; an aborted call throws the abort's reason.
 */
export async function readJsonBody(response: Response, answer: JsonAnswer): Promise<unknown> {
  const { instance, what, limit, signal } = answer;
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  const stop = stopper(signal, answer.timeoutMs);
  let size = 0;
  try {
    signal.throwIfAborted();
    for (;;) {
      const next = reader ? await Promise.race([reader.read(), stop.promise]) : { done: true as const, value: undefined };
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
  } finally {
    stop.release();
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new UpstreamFailure(`${instance} answered ${what} with malformed JSON`);
  }
}

/** `data` checked against `schema`; an answer of another shape is an `UpstreamFailure`. */
export function answerOfShape<T>(data: unknown, schema: z.ZodType<T>, instance: string, what: string): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new UpstreamFailure(`${instance} answered ${what} with an unexpected shape: ${parsed.error.message}`);
  return parsed.data;
}

/** Read a JSON body (see `readJsonBody`) and check it against `schema`. */
export async function readJsonAnswer<T>(response: Response, schema: z.ZodType<T>, answer: JsonAnswer): Promise<T> {
  return answerOfShape(await readJsonBody(response, answer), schema, answer.instance, answer.what);
}

/** A promise that rejects when `signal` aborts or `timeoutMs` passes, and its release. */
function stopper(signal: AbortSignal, timeoutMs: number | undefined): { promise: Promise<never>; release: () => void } {
  let onAbort = () => {};
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    if (timeoutMs !== undefined) timer = setTimeout(() => reject(new Error(`no whole answer within ${timeoutMs} ms`)), timeoutMs);
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => undefined);
  return {
    promise,
    release: () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    },
  };
}
