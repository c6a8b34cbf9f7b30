import type { Catalog } from '../domain/catalog.js';
import type { InstanceStatus } from '../engines/engine-registry.js';
import { routeOf } from '../engines/engine-registry.js';

/** One engine instance as `/readyz` and a worker's `/healthz` show it. */
export interface EngineHealthLine {
  readonly name: string;
  readonly adapter: string;
  readonly up: boolean;
  readonly circuit: InstanceStatus['circuit'];
  readonly in_flight: number;
  readonly concurrency: number;
  readonly errors: number;
}

/**
 * The instances' health and the catalog rows none of whose instances is up. A row is listed only
 * when EVERY instance of its failover list is down (circuit open): with one left, jobs still run.
 */
export function engineHealth(
  instances: readonly InstanceStatus[],
  catalog: Catalog,
): { engines: EngineHealthLine[]; unavailable_models: string[] } {
  const up = new Set(instances.filter((instance) => instance.up).map((instance) => instance.name));
  return {
    engines: instances.map((instance) => ({
      name: instance.name,
      adapter: instance.adapter,
      up: instance.up,
      circuit: instance.circuit,
      in_flight: instance.inFlight,
      concurrency: instance.concurrency,
      errors: instance.errors,
    })),
    unavailable_models: catalog.models.filter((model) => !routeOf(model.engine).some((name) => up.has(name))).map((model) => model.id),
  };
}
