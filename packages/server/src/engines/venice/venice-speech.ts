import { type ByteSink, type EngineCallOptions, EngineRejection, type EngineRequest, type EngineResult } from '../../ports/engine.js';
import { UpstreamBusy } from '../remote/upstream-errors.js';
import { speechBody, upstreamModel } from './venice-bodies.js';
import { receive, type VeniceContext } from './venice-context.js';

/**
 * Synchronous speech: one streamed `/audio/speech`, passed to the sink as its bytes arrive (or
 * converted when the upstream answers another format). An upstream at capacity is a `capacity`
 * rejection at once: the caller fails over to another instance or answers 503.
 */
export async function generateSpeech(
  context: VeniceContext,
  request: EngineRequest,
  sink: ByteSink,
  call: EngineCallOptions,
): Promise<EngineResult> {
  const body = speechBody(request, upstreamModel(request), context.options.voices);
  let response: Response;
  try {
    response = await context.client.send('/audio/speech', { json: body, streamed: true }, call.signal);
  } catch (error) {
    if (error instanceof UpstreamBusy) throw new EngineRejection('capacity', error.message);
    throw error;
  }
  call.onProgress(0, 'upstream');
  const durationSeconds = await receive(context, response, request, sink, call.signal, request.format);
  return { durationSeconds };
}
