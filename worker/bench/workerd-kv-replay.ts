/**
 * For `npm run bench:cpu:workerd` (bench/cpu-workerd.ts): the baseline Worker. It reads the request's body, makes the
 * KV and rate limiter calls Sala made for the same request (bench/workerd-kv-log.ts), one after another, reading each value whole,
 * and answers `?bytes=` bytes: the local runtime's cost of that request and those KV calls without Sala's code.
 * The calls are put into the module by the bench (`KV_CALLS`, replaced at bundling), with their values made at startup.
 */
import type { KvCall } from './workerd-kv-log.js';

declare const KV_CALLS: KvCall[];
const calls = KV_CALLS;
/** Each put's value: as long as Sala's, and JSON (a string) in case a later read in the list asks for JSON. */
const values = calls.map((call) => {
  if (call.method !== 'put') return null;
  const text = `"${'x'.repeat(Math.max(0, (call.size ?? 2) - 2))}"`;
  return call.text ? text : new TextEncoder().encode(text);
});

type Bindings = { SALA: KVNamespace } & Record<string, RateLimit>;

async function replay(env: Bindings): Promise<void> {
  const kv = env.SALA;
  for (const [index, call] of calls.entries()) {
    const { method, key, options } = call;
    if (method === 'put') {
      await kv.put(key as string, values[index]!, call.putOptions as KVNamespacePutOptions);
    } else if (method === 'get' || method === 'getWithMetadata') {
      const read =
        method === 'get' ? kv.get(key as never, options as never) : kv.getWithMetadata(key as never, options as never);
      const value = (await read) as unknown;
      const stream = method === 'get' ? value : (value as { value: unknown }).value;
      if (stream instanceof ReadableStream) await new Response(stream).arrayBuffer();
    } else if (method === 'list') {
      await kv.list(key as KVNamespaceListOptions);
    } else if (method === 'limit') {
      await env[key as string]!.limit(options as { key: string });
    } else if (method === 'delete') {
      await kv.delete(key as string);
    }
  }
}

export default {
  async fetch(request: Request, env: Bindings) {
    const url = new URL(request.url);
    await request.text();
    try {
      await replay(env);
    } catch (error) {
      return new Response(String((error as Error).stack), { status: 500 });
    }
    const bytes = Number(url.searchParams.get('bytes') ?? 2);
    return new Response('x'.repeat(Math.max(0, bytes)), { headers: { 'Content-Type': 'application/json' } });
  },
  async scheduled(_controller: ScheduledController, env: Bindings) {
    await replay(env);
  },
};
