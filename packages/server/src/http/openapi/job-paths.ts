import { historyQuerySchema } from '../../domain/job-history.js';
import { cancelBodySchema } from '../../domain/request-schemas.js';
import { voicesQuerySchema } from '../voice-routes.js';
import type { OperationSpec } from './operation.js';

/** Overture's extensions for jobs and voices under `/api/v1`, by path and method. */
export const JOB_OPERATIONS: Record<string, Record<string, OperationSpec>> = {
  '/api/v1/audio/cancel': {
    post: {
      id: 'cancelAudio',
      summary: 'Overture: cancel a job and release its hold',
      tag: 'Jobs',
      guard: 'key',
      body: cancelBodySchema,
      ok: { 200: 'CancelAnswer' },
      errors: [404],
    },
  },
  '/api/v1/audio/jobs': {
    get: {
      id: 'listJobs',
      summary: "Overture: the account's jobs, newest first",
      description: 'Cursor pagination: pass `next_cursor` as `after` until `has_more` is false.',
      tag: 'Jobs',
      guard: 'key',
      query: historyQuerySchema,
      ok: { 200: 'JobHistoryPage' },
    },
  },
  '/api/v1/audio/status/{queue_id}': {
    get: {
      id: 'getJobStatus',
      summary: 'Overture: live status of a job',
      tag: 'Jobs',
      guard: 'key',
      path: ['queue_id'],
      ok: { 200: 'JobStatus' },
      errors: [404],
    },
  },
  '/api/v1/audio/status/{queue_id}/events': {
    get: {
      id: 'streamJobStatus',
      summary: 'Overture: live status as Server-Sent Events',
      description: 'Each `status` event carries a JobStatus as JSON; the stream ends when the job does. `Last-Event-ID` resumes.',
      tag: 'Jobs',
      guard: 'key',
      path: ['queue_id'],
      parameters: [{ name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } }],
      ok: { 200: { description: 'A stream of `status` events', content: { 'text/event-stream': { schema: { type: 'string' } } } } },
      errors: [404],
    },
  },
  '/api/v1/audio/status/{queue_id}/webhooks': {
    get: {
      id: 'listJobWebhooks',
      summary: "Overture: the job's webhook delivery log",
      tag: 'Jobs',
      guard: 'key',
      path: ['queue_id'],
      ok: { 200: 'WebhookDeliveries' },
      errors: [404],
    },
  },
  '/api/v1/audio/voices': {
    get: {
      id: 'listVoices',
      summary: "Overture: a model's voices",
      tag: 'Models',
      guard: 'key',
      query: voicesQuerySchema,
      ok: { 200: 'Voices' },
      errors: [404],
    },
  },
};
