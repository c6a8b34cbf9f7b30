import { z } from 'zod';
import type { EngineRequest } from '../../ports/engine.js';
import { parseInstanceOptions, seconds } from '../remote/instance-options.js';
import { rowOptionsReader } from '../remote/row-options.js';

/** The options an `ace-step` instance takes in the engines file; every one is optional. */
const instanceSchema = z.strictObject({
  /** Seconds between two `/query_result` of a task (and the first wait when its queue is full). */
  poll_seconds: seconds(3600).default(1),
});

export type AceStepOptions = z.output<typeof instanceSchema>;

/** A catalog row's `engine_options` for an `ace-step` instance. */
const rowSchema = z.strictObject({
  /** The DiT model the server should use (`/v1/models`, e.g. `acestep-v15-turbo`); the server's default when absent. */
  model: z.string({ error: 'must be a DiT model name' }).min(1, { error: 'must not be empty' }).optional(),
  /** Fixed `/release_task` fields sent with every request of the row (e.g. `{"thinking": true, "inference_steps": 8}`). */
  input: z.record(z.string(), z.unknown(), { error: 'must be an object of /release_task fields' }).optional(),
});

export type AceStepRowOptions = z.output<typeof rowSchema>;

/** Validate an instance's `options`; throws an Error naming every bad option. */
export function parseAceStepOptions(options: Readonly<Record<string, unknown>>): AceStepOptions {
  return parseInstanceOptions(instanceSchema, options, { test: (key) => key === 'model' || key === 'input' });
}

/** A row's `engine_options`, validated once per row; a bad one refuses the request, naming the row. */
export const rowOptions: (request: EngineRequest) => AceStepRowOptions = rowOptionsReader(rowSchema, 'ACE-Step', (row) => row);
