import {
  completeBodySchema,
  modelsQuerySchema,
  queueBodySchema,
  quoteBodySchema,
  retrieveBodySchema,
  speechBodySchema,
} from '../../domain/request-schemas.js';
import { audioContent } from './components.js';
import type { OperationSpec } from './operation.js';

const idempotencyKey = { $ref: '#/components/parameters/IdempotencyKey' };
const header = (name: string) => ({ $ref: `#/components/headers/${name}` });
const audioHeaders = {
  'x-venice-audio-format': header('AudioFormat'),
  'x-venice-audio-duration': header('AudioDuration'),
  'x-venice-inference-time': header('InferenceTime'),
  'x-venice-model-id': header('ModelId'),
};
const json = (schema: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } });

/** The contract's audio routes under `/api/v1`, by path and method. */
export const API_OPERATIONS: Record<string, Record<string, OperationSpec>> = {
  '/api/v1/models': {
    get: {
      id: 'listModels',
      summary: 'List models',
      tag: 'Models',
      guard: 'optional-key',
      query: modelsQuerySchema,
      ok: { 200: 'ModelList' },
    },
  },
  '/api/v1/audio/quote': {
    post: {
      id: 'quoteAudio',
      summary: 'Price a job',
      description: 'Public; with an API key the answer also carries a binding `quote_id` (an Overture extension).',
      tag: 'Audio',
      guard: 'optional-key',
      body: quoteBodySchema,
      ok: { 200: 'Quote' },
      errors: [404],
    },
  },
  '/api/v1/audio/queue': {
    post: {
      id: 'queueAudio',
      summary: 'Queue a job (reserves its price)',
      tag: 'Audio',
      guard: 'key',
      body: queueBodySchema,
      parameters: [idempotencyKey],
      ok: {
        200: { description: 'Queued', headers: { 'idempotent-replayed': header('IdempotentReplayed') }, content: json('QueueAnswer') },
      },
      errors: [402, 404, 409, 422, 503],
    },
  },
  '/api/v1/audio/retrieve': {
    post: {
      id: 'retrieveAudio',
      summary: 'Status, then the audio',
      description: 'While the job runs: the PROCESSING JSON. Once done: the audio bytes, with the `x-venice-audio-*` headers.',
      tag: 'Audio',
      guard: 'key',
      body: retrieveBodySchema,
      ok: {
        200: {
          ...audioContent('PROCESSING JSON while the job runs, then the audio bytes'),
          headers: audioHeaders,
          content: { ...json('Processing'), ...audioContent('').content },
        },
      },
      errors: [404, 422],
    },
  },
  '/api/v1/audio/complete': {
    post: {
      id: 'completeAudio',
      summary: 'Delete the media and finalise',
      tag: 'Audio',
      guard: 'key',
      body: completeBodySchema,
      ok: { 200: 'Success' },
      errors: [404],
    },
  },
  '/api/v1/audio/speech': {
    post: {
      id: 'createSpeech',
      summary: 'Synchronous speech',
      description:
        'The audio in the answer; with `"streaming": true` it is sent in chunks as it is made. Raw PCM says how to play it in `x-audio-*` headers.',
      tag: 'Audio',
      guard: 'key',
      body: speechBodySchema,
      parameters: [idempotencyKey],
      ok: {
        200: {
          ...audioContent('The audio (chunked when streaming)'),
          headers: {
            'x-venice-model-id': header('ModelId'),
            'x-audio-sample-rate': header('SampleRate'),
            'x-audio-channels': header('Channels'),
            'x-audio-encoding': header('Encoding'),
            'idempotent-replayed': header('IdempotentReplayed'),
          },
        },
      },
      errors: [402, 404, 409, 422, 503],
    },
  },
};
