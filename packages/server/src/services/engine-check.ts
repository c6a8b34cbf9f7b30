import type { GenerationRequest } from '../domain/generation-request.js';
import { type EngineRegistry, routeOf } from '../engines/engine-registry.js';
import type { EngineCheckProblem } from '../ports/engine.js';

/**
 * Whether the instances of a catalog row's `engine` field can make a request, asked at queue time
 * before any money is held (see `Engine.check`). The request is refused only when every instance
 * of the route refuses it, with the first one's problem; an instance without `check` (or not
 * running in this process) takes it, as it may on failover.
 */
export function checkOnRoute(
  engines: Pick<EngineRegistry, 'get'>,
  engineField: string,
  request: GenerationRequest,
): EngineCheckProblem | undefined {
  let first: EngineCheckProblem | undefined;
  for (const name of routeOf(engineField)) {
    const engine = engines.get(name)?.engine;
    const problem = engine?.check?.(request);
    if (!problem) return undefined;
    first ??= problem;
  }
  return first;
}
