import { CONTENT_TYPES } from '../../audio/encode-audio.js';
import { ERROR_CATALOG } from '../../domain/api-error.js';
import { RESPONSE_SCHEMAS } from './schemas.js';

const numberHeader = (description: string) => ({ description, schema: { type: 'number' } });
const stringHeader = (description: string) => ({ description, schema: { type: 'string' } });

/** Response headers the server really sends (see authenticate.ts, queue-service.ts, speech-service.ts). */
const HEADERS = {
  RateLimitLimit: numberHeader("Requests a minute this key may make on the route's family (queue, retrieve, other)."),
  RateLimitRemaining: numberHeader('Requests left in the current minute.'),
  RateLimitReset: numberHeader('Seconds until the window resets.'),
  RetryAfter: numberHeader('Seconds to wait before trying again.'),
  BalanceUsd: numberHeader("The account's available USD balance (after any hold this request made)."),
  BalanceDiem: numberHeader("The account's available DIEM balance."),
  AudioFormat: stringHeader('The audio format: mp3, wav, flac, opus, aac or pcm.'),
  AudioDuration: numberHeader('Seconds of audio.'),
  InferenceTime: numberHeader('Seconds the engine took.'),
  ModelId: stringHeader('The model that made the audio.'),
  IdempotentReplayed: stringHeader('`true` when this answer replays an earlier request with the same Idempotency-Key.'),
  PaymentRequired: stringHeader("x402's payment options, base64 JSON."),
  SampleRate: numberHeader('Raw PCM only: samples a second.'),
  Channels: numberHeader('Raw PCM only: channels.'),
  Encoding: stringHeader('Raw PCM only: sample encoding (s16le).'),
};

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid request (the body or query names the problem)',
  401: 'Missing or invalid credentials',
  402: 'Insufficient balance, or a consumption limit reached',
  404: 'Not found',
  408: 'Request timed out',
  409: 'A request with this Idempotency-Key is still in progress',
  413: 'Request body is too large',
  415: 'Content-Type must be application/json',
  422: 'Refused by the content policy, or an Idempotency-Key reused with another request',
  429: 'Rate limit exceeded',
  500: 'Internal error (nothing is leaked)',
  503: 'At capacity, or a dependency is unavailable',
};

/** Every status the error catalog can answer with. */
export const ERROR_STATUSES = [...new Set(Object.values(ERROR_CATALOG).map((entry) => entry.status))].sort();

const errorResponses = Object.fromEntries(
  Object.entries(STATUS_TEXT).map(([status, description]) => [
    `Error${status}`,
    {
      description,
      ...(status === '429' || status === '503' ? { headers: { 'retry-after': { $ref: '#/components/headers/RetryAfter' } } } : {}),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    },
  ]),
);

/** The document's `components`. */
export const COMPONENTS = {
  securitySchemes: {
    apiKey: {
      type: 'http',
      scheme: 'bearer',
      description: 'An Overture API key (`Authorization: Bearer <key>`); admin routes need an ADMIN key.',
    },
    signInWithX: {
      type: 'apiKey',
      in: 'header',
      name: 'SIGN-IN-WITH-X',
      description: 'x402 wallet sign-in (a signed SIWE message), when x402 is enabled.',
    },
    operatorToken: { type: 'http', scheme: 'bearer', description: 'The operator token (`OVERTURE_OPERATOR_TOKEN`); API keys are refused.' },
    metricsToken: { type: 'http', scheme: 'bearer', description: 'The metrics token (`OVERTURE_METRICS_TOKEN`), when one is set.' },
  },
  headers: HEADERS,
  responses: errorResponses,
  schemas: RESPONSE_SCHEMAS,
  parameters: {
    IdempotencyKey: {
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Replays the first answer for a repeated request instead of charging twice (1 to 255 visible ASCII characters).',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    },
  },
};

/** Audio bytes in every format the server sends. */
export function audioContent(description: string) {
  return {
    description,
    content: Object.fromEntries(Object.values(CONTENT_TYPES).map((type) => [type, { schema: { type: 'string', contentMediaType: type } }])),
  };
}
