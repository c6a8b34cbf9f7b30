/** What every HTTP path of the server shares: request ids, JSON bodies and error mapping. */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyError, FastifyReply } from 'fastify';
import { ApiError } from '../domain/api-error.js';

/** Content types read as JSON: `application/json` and `application/<anything>+json`. */
export const JSON_CONTENT_TYPE = /^application\/([\w.+-]+\+)?json\b/i;

/** The client's `X-Request-Id` when it is a sane token, else a new UUID. */
export function requestIdOf(headers: IncomingHttpHeaders): string {
  const sent = headers['x-request-id'];
  return typeof sent === 'string' && /^[\w.-]{1,100}$/.test(sent) ? sent : randomUUID();
}

/**
 * A JSON request body: an empty one is `{}` (undefined for GET and DELETE, which take none);
 * anything unparsable is the contract's 400 "Invalid JSON request".
 */
export function parseJsonBody(text: string, method: string | undefined): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return method === 'GET' || method === 'DELETE' ? undefined : {};
  try {
    return JSON.parse(trimmed);
  } catch {
    throw new ApiError('invalid_json');
  }
}

/** Any error thrown while answering, as the contract's error (unknown ones become a 500). */
export function toApiError(error: FastifyError | ApiError | Error): ApiError {
  if (error instanceof ApiError) return error;
  const { code, statusCode } = error as FastifyError;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('payload_too_large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError('unsupported_media_type');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError('invalid_json');
    case 'FST_ERR_REQ_TIMEOUT':
      return new ApiError('timeout');
    default:
      if (statusCode === 413) return new ApiError('payload_too_large');
      if (statusCode === 400 && /JSON/i.test(error.message)) return new ApiError('invalid_json');
      return new ApiError('inference_failed');
  }
}

/**
 * Take the response over from Fastify (for a stream it writes itself) and send a 200 head with
 * the headers set so far (request id, rate limit, balance) and `headers`; the raw response.
 */
export function hijackWithHead(reply: FastifyReply, headers: Record<string, string>): ServerResponse {
  reply.hijack();
  reply.raw.writeHead(200, { ...(reply.getHeaders() as Record<string, string>), ...headers });
  return reply.raw;
}
