/**
 * For `npm run bench:cpu:workerd` (bench/cpu-workerd.ts), the big posts' last parts: a Worker whose KV is the Node
 * bench's in-memory KV (bench/memory-kv.ts) inside its own isolate, as import-bench.ts has it, not Miniflare's local
 * KV (a Worker in the same process whose 43 to 123 puts cost 0.2 to 1 s of CPU, ±100 ms from run to run: no room left
 * to read Sala's part). It is Sala's Worker, or the KV calls' one (bench/workerd-kv-replay.ts) where the bench
 * resolves `../src/index.js` to it at bundling. `PUT /__seed` with the saved KV (`[key, { text | bytes (base64),
 * metadata }]`) fills the store before the measured request, which then is the first to run the Worker's code.
 */
import worker from '../src/index.js';
import { MemoryKv, type KvSnapshot } from './memory-kv.js';

type SavedValue = { text?: string; bytes?: string; metadata: string | null };

const memory = new MemoryKv();
const encoder = new TextEncoder();

/** base64 to bytes, without node:buffer (this runs in workerd without Node's compatibility). */
function bytesOf(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const withMemory = (env: Env): Env => ({ ...env, SALA: memory.namespace });

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext) {
    if (new URL(request.url).pathname === '/__seed') {
      const saved = (await request.json()) as [string, SavedValue][];
      const snapshot: KvSnapshot = new Map(
        saved.map(([key, { text, bytes, metadata }]) => {
          const value = text !== undefined ? encoder.encode(text) : bytesOf(bytes ?? '');
          return [key, { value: value.buffer as ArrayBuffer, metadata }];
        }),
      );
      memory.restore(snapshot);
      return new Response('seeded');
    }
    return worker.fetch(request, withMemory(env), ctx);
  },
  async scheduled(controller: ScheduledController, env: Env) {
    return worker.scheduled(controller, withMemory(env));
  },
} satisfies ExportedHandler<Env>;
