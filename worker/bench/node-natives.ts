/// <reference types="node" />
/**
 * What a first-run bench (routes-cpu.ts, import-first-run.ts) runs in its fresh process before the request it times:
 * Node's own JavaScript for what workerd has natively, compiled on data of its own.
 */
import { MemoryKv } from './memory-kv.js';

// workerd's non-standard constant-time compare: bench/global-scope.ts adds it, as the Worker's token checks use it.
const subtle = crypto.subtle as SubtleCrypto & { timingSafeEqual?: (a: BufferSource, b: BufferSource) => boolean };

/**
 * Runs, on data of its own, what workerd has natively and Node builds in JavaScript on first use (WebCrypto's
 * wrappers, undici's Request, Response, Headers and bodies, streams, URL, text coding, ICU's data) and the bench's own stand-ins
 * for workerd (the in-memory KV, `timingSafeEqual`), so a first run times what a cold isolate compiles: Sala's code.
 * Nothing of Sala's is called.
 */
export async function warmNodeNatives({ cryptoCalls = 1 }: { cryptoCalls?: number } = {}): Promise<void> {
  const encoder = new TextEncoder();
  const bytes = encoder.encode('warm-up: nothing of Sala\u2019s');
  new TextDecoder().decode(bytes);
  new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  await crypto.subtle.digest('SHA-256', bytes);
  for (const usages of [['sign'], ['sign', 'verify']] as string[][]) {
    const key = await crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, usages);
    const signature = await crypto.subtle.sign('HMAC', key, bytes);
    subtle.timingSafeEqual!(signature, signature);
    subtle.timingSafeEqual!(new Uint8Array(signature), new Uint8Array(signature));
  }
  // `cryptoCalls` HMACs and hashes more: Node's WebCrypto is JavaScript around each call (workerd's is native), which
  // a request making dozens (an import's avatars, one per author, and ids, one per comment) would otherwise compile
  // and time as Sala's.
  const key = await crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  for (let i = 1; i < cryptoCalls; i++) {
    await crypto.subtle.sign('HMAC', key, encoder.encode(`author ${i}`));
    await crypto.subtle.digest('SHA-256', encoder.encode(`comment ${i}`));
  }
  crypto.getRandomValues(new Uint8Array(16));
  crypto.randomUUID();
  btoa(atob(btoa('warm')));
  // ICU's time zone and normalisation data: loaded once per process, long before a workerd isolate starts.
  Date.parse(new Date(0).toISOString());
  'Warm \u00c9'.normalize('NFC').toLowerCase();
  const url = new URL('https://warm.example/a/b?x=1&y=%C3%A9#h');
  url.searchParams.getAll('x');
  url.searchParams.delete('x');
  url.hash = '';
  void [...url.searchParams.keys(), url.href, url.hostname, url.pathname, url.search, url.toString()];
  new URLSearchParams('a=1&a=2&b=%20').getAll('a');
  const headers = new Headers({ 'Content-Type': 'application/json', 'X-Warm': '1' });
  headers.set('X-Other', '2');
  headers.append('Vary', 'Origin');
  headers.get('content-type');
  headers.has('x-warm');
  headers.delete('x-other');
  headers.forEach(() => {});
  [...headers.entries()];
  const json = JSON.stringify({ warm: [1, 'two', null] });
  for (const method of ['POST', 'PUT', 'PATCH']) {
    await new Request('https://warm.example/json', { method, headers, body: json }).json();
    await new Request('https://warm.example/text', {
      method,
      headers: { 'Content-Type': 'text/plain' },
      body: json,
    }).text();
  }
  const get = new Request('https://warm.example/get?x=1', { headers });
  get.headers.get('origin');
  void [get.method, get.url, get.signal];
  await new Request('https://warm.example/buffer', { method: 'POST', body: json }).arrayBuffer();
  await new Request('https://warm.example/clone', { method: 'POST', body: json }).clone().text();
  await new Response(json, { status: 201, headers }).text();
  await new Response(bytes, { headers: { 'Content-Type': 'text/plain' } }).arrayBuffer();
  await new Response(null, { status: 204 }).text();
  await Response.json({ warm: true }).json();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  await new Response(stream.pipeThrough(new TransformStream())).text();
  const form = new FormData();
  form.set('warm', 'yes');
  await new Response(form).arrayBuffer();
  // The stand-in for KV, every call and value type the Worker makes, on a store of its own.
  const store = new MemoryKv();
  await store.put('warm:a', json, { metadata: { v: 1 }, expirationTtl: 60 });
  await store.put('warm:b', encoder.encode(json));
  await store.get('warm:a');
  await store.get('warm:a', 'json');
  await store.get('warm:a', { type: 'arrayBuffer' });
  await store.get(['warm:a', 'warm:b'], { type: 'json' });
  await store.getWithMetadata('warm:a', 'text');
  await store.list({ prefix: 'warm:', limit: 1 });
  await store.list({ prefix: 'warm:', cursor: '1' });
  await store.delete('warm:b');
}
