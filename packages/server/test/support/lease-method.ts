import type { JobLeaseStore } from '../../src/ports/store/job-lease-store.js';
import type { Store } from '../../src/ports/store/store.js';

/** Methods are handed out bound to their object, as a caller of the real one would use them. */
function bound<T extends object>(target: T, property: string | symbol): unknown {
  const value = Reflect.get(target, property, target) as unknown;
  return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
}

/**
 * `store` with one method of its lease store replaced: `replace` receives the original (bound)
 * and answers the method to use instead; every other part and method is the store's own.
 */
export function withLeaseMethod<K extends keyof JobLeaseStore>(
  store: Store,
  name: K,
  replace: (original: JobLeaseStore[K]) => JobLeaseStore[K],
): Store {
  const replaced = replace(bound(store.leases, name) as JobLeaseStore[K]);
  const leases = new Proxy(store.leases, {
    get: (target, property) => (property === name ? replaced : bound(target, property)),
  });
  return new Proxy(store, {
    get: (target, property) => (property === 'leases' ? leases : bound(target, property)),
  });
}
