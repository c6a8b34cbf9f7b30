import { z } from 'zod';
import { parseInstanceOptions, seconds } from '../remote/instance-options.js';
import { checkFixedInput, inputFieldsShape, rowParser } from './cog-input.js';

/** The options a `cog` instance takes in the engines file; every one is optional. */
const cogOptionsSchema = z
  .strictObject({
    /**
     * `sync` (default without `webhook_url`): one blocking `PUT /predictions/{id}` per job.
     * `webhook` (default with it): `PUT … Prefer: respond-async`, the result posted back to `webhook_url`.
     */
    mode: z.enum(['sync', 'webhook'], { error: 'must be "sync" or "webhook"' }).optional(),
    /** This worker's externally reachable base for Cog's webhooks; the prediction id is appended. */
    webhook_url: z
      .string({ error: 'must be a URL' })
      .regex(/^https?:\/\/[^\s?#]+$/, { error: 'must be an http:// or https:// URL without query' })
      .optional(),
    /** Seconds between two checks: of a busy container, of an orphaned prediction, of health while awaiting a webhook. */
    poll_seconds: seconds(3600).default(2),
    /** Longest a synchronous prediction may block (the job's attempt timeout usually stops it first). */
    predict_timeout_seconds: seconds(86_400).default(1800),
    /** On cancel or timeout, `POST /predictions/{id}/cancel` (a 404 is ignored). */
    cancel_upstream: z.boolean({ error: 'must be true or false' }).default(true),
  })
  .superRefine((options, context) => {
    if (options.mode === 'webhook' && options.webhook_url === undefined)
      context.addIssue({ code: 'custom', path: ['webhook_url'], message: 'required in webhook mode: this worker’s base URL Cog posts to' });
    if (options.mode === 'sync' && options.webhook_url !== undefined)
      context.addIssue({ code: 'custom', path: ['webhook_url'], message: 'only used in webhook mode; remove it or set mode "webhook"' });
  });

export type CogOptions = z.output<typeof cogOptionsSchema> & { readonly mode: 'sync' | 'webhook' };

/** Validate an instance's `options`; throws an Error naming every bad option. */
export function parseCogOptions(options: Readonly<Record<string, unknown>>): CogOptions {
  const parsed = parseInstanceOptions(cogOptionsSchema, options, { test: (key) => /_field$|^input$/.test(key) });
  return { ...parsed, mode: parsed.mode ?? (parsed.webhook_url ? 'webhook' : 'sync') };
}

/** A `cog` row's `engine_options`: the input mapping only (a Cog container serves one model). */
export const parseCogRow = rowParser(z.strictObject(inputFieldsShape).superRefine(checkFixedInput), 'cog');
