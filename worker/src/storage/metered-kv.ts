/**
 * A KV namespace that counts its operations in this isolate's usage tally, as Cloudflare bills them: a bulk get
 * counts one read per key.
 */
import type { UsageKind, UsageTally } from '../domain/usage.js';

const KINDS: Record<string, UsageKind> = {
  get: 'reads',
  getWithMetadata: 'reads',
  put: 'writes',
  delete: 'deletes',
  list: 'lists',
};

export function meteredKv(kv: KVNamespace, usage: UsageTally): KVNamespace {
  return new Proxy(kv, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      const kind = typeof property === 'string' ? KINDS[property] : undefined;
      if (typeof value !== 'function' || kind === undefined) return value;
      return (...args: unknown[]) => {
        usage.count(kind, Array.isArray(args[0]) ? args[0].length : 1, Date.now());
        return (value as (...params: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
