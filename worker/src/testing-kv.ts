/**
 * Test helpers that need no Worker: counting a KV namespace's calls, and pages of their own. Apart from testing.ts, so
 * a test of storage alone does not load the whole Worker (Hono and every route) before its first test.
 */

/** `kv` with every method call recorded, for asserting what a request costs in KV operations. */
export function countingKv(kv: KVNamespace): { kv: KVNamespace; calls: { method: string; args: unknown[] }[] } {
  const calls: { method: string; args: unknown[] }[] = [];
  const counted = new Proxy(kv, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push({ method: String(property), args });
        return (value as (...params: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { kv: counted, calls };
}

/** A unique page id per call, so tests sharing the namespace never share a thread. */
export function freshPage(label = 'post'): string {
  return `https://blog.example.com/${label}-${crypto.randomUUID()}`;
}
