import type { JobReference, OvertureClient } from '@overture/sdk';
import type { CommandContext } from './command.js';
import { UsageError } from './exit-codes.js';
import { isMissingRoute } from './missing-route.js';
import { definedFields, text } from './option-values.js';

/** The job a command names: its `QUEUE_ID` argument and, when given, `--model`. */
export function jobReference({ argument, options }: CommandContext): JobReference {
  return { queue_id: argument, ...definedFields({ model: text(options, 'model') }) };
}

/**
 * The model of a queued job: `--model` when given, else what the server's status route says
 * (Overture). Servers without that route (Venice) need `--model`.
 */
export async function jobModel(client: OvertureClient, queueId: string, given: string | undefined, signal: AbortSignal): Promise<string> {
  if (given !== undefined && given.trim() !== '') return given;
  try {
    return (await client.audio.status(queueId, { signal })).model;
  } catch (error) {
    if (isMissingRoute(error)) throw new UsageError('This server has no status route to look up the job: pass --model M');
    throw error;
  }
}
