/**
 * Test helper: a KV namespace on the free plan's last day. It lets a set number of each kind of operation
 * through and then throws as the real binding does once the daily limit is spent
 * (`Error: KV put() limit exceeded for the day.`), so tests can fail the 1st, 2nd, ... write of a request.
 */

export type KvOperation = 'get' | 'put' | 'list' | 'delete';

/** How many operations of each kind still succeed; an operation left out never runs out. */
export type Allowance = Partial<Record<KvOperation, number>>;

export interface LimitedKv {
  kv: KVNamespace;
  /** Keys written (put) through this namespace that landed, in order. */
  written: string[];
  /** Operations refused because their allowance was spent. */
  refused: { operation: KvOperation; key: string }[];
  /** Changes what is left of the allowance, e.g. `{ put: Infinity }` once 00:00 UTC has passed. */
  allow(allowance: Allowance): void;
}

export function limitedKv(kv: KVNamespace, allowance: Allowance): LimitedKv {
  const left: Allowance = { ...allowance };
  const written: string[] = [];
  const refused: LimitedKv['refused'] = [];
  const limited = new Proxy(kv, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const operation = String(property) as KvOperation;
      return async (...args: unknown[]) => {
        const remaining = left[operation];
        const key = typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0] ?? '');
        if (remaining !== undefined) {
          if (remaining <= 0) {
            refused.push({ operation, key });
            throw new Error(`KV ${operation}() limit exceeded for the day.`);
          }
          left[operation] = remaining - 1;
        }
        const result: unknown = await (value as (...params: unknown[]) => unknown).apply(target, args);
        if (operation === 'put') written.push(key);
        return result;
      };
    },
  });
  return {
    kv: limited,
    written,
    refused,
    allow(more) {
      Object.assign(left, more);
    },
  };
}

/** `bindings` with SALA replaced by `kv`. */
export function withKv(bindings: Env, kv: KVNamespace): Env {
  return { ...bindings, SALA: kv };
}
