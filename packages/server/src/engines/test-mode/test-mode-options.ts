import { z } from 'zod';

/**
 * What a test-mode row's `engine_options` say its model does (docs/test-mode.md):
 * - `succeed`: after `seconds` of steady progress, a real tone of the length asked for;
 * - `fail`: after `seconds`, a final failure — the contract's 500 `Inference processing failed`;
 * - `content_policy`: after `seconds`, the contract's 422 with `suggested_prompt`;
 * - `capacity`: after `seconds`, an engine at capacity (a 503 on `/audio/speech`; queued jobs retry).
 */
export const testModeOptionsSchema = z.strictObject({
  behaviour: z.enum(['succeed', 'fail', 'content_policy', 'capacity']).default('succeed'),
  /** Fixed time before the outcome, in seconds (progress is reported four times a second meanwhile). */
  seconds: z.number().min(0).max(3600).default(0),
  /** The rewrite a `content_policy` refusal suggests. */
  suggested_prompt: z.string().min(1).default('a calm solo piano melody'),
  /** Length of a `tts` row's tone, in seconds (queued rows use the request's `duration_seconds`). */
  speech_seconds: z.number().positive().max(60).default(1),
});

/** A test-mode row's behaviour, defaults applied. */
export type TestModeOptions = z.output<typeof testModeOptionsSchema>;

/** Parse a row's `engine_options` (the upstream `model` key, if any, is not ours); throws a readable Error. */
export function parseTestModeOptions(options: Readonly<Record<string, unknown>>): TestModeOptions {
  const { model: _model, ...own } = options;
  const parsed = testModeOptionsSchema.safeParse(own);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `engine_options.${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`test engine: ${problems.join('; ')}`);
}
