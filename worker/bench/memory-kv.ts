/**
 * An in-memory KVNamespace for benchmarks that run the Worker's code in Node: get (text, json, arrayBuffer, bulk),
 * getWithMetadata, put with metadata and expirationTtl, list with prefix, cursor and limit, delete. Values are kept
 * as bytes, as KV keeps them: a string put is encoded and a text or JSON read decodes, as workerd does on every
 * call (handing back the string put would leave a 0.9 MB snapshot's decoding and encoding out of the figures).
 */
import { concatBytes } from '../src/domain/prebuilt-thread.js';

type Stored = { value: ArrayBuffer; metadata: unknown };
export type KvSnapshot = Map<string, Stored>;

type ValueType = 'text' | 'json' | 'arrayBuffer';

function typeOf(options: unknown): ValueType {
  if (typeof options === 'string') return options as ValueType;
  return ((options as { type?: ValueType } | undefined)?.type ?? 'text') as ValueType;
}

function decode(stored: Stored | undefined, type: ValueType): unknown {
  if (!stored) return null;
  const { value } = stored;
  if (type === 'arrayBuffer') return value.slice(0);
  const text = new TextDecoder().decode(value);
  return type === 'json' ? JSON.parse(text) : text;
}

/** The index of the first key in `sorted` that is not less than `key`. */
function lowerBound(sorted: readonly string[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < key) low = middle + 1;
    else high = middle;
  }
  return low;
}

async function bytesOfStream(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return concatBytes(chunks);
}

export class MemoryKv {
  #entries = new Map<string, Stored>();
  /** The keys in order, made by the first list() and kept in order by put and delete. */
  #sorted: string[] | null = null;
  /** KV operations since `resetCounts` and the writes among them; a bulk get counts one per key (Cloudflare counts 1). */
  operations = 0;
  writes = 0;

  resetCounts(): void {
    this.operations = 0;
    this.writes = 0;
  }

  /** This store typed as the binding the Worker's code takes. */
  get namespace(): KVNamespace {
    return this as unknown as KVNamespace;
  }

  snapshot(): KvSnapshot {
    return new Map(this.#entries);
  }

  restore(snapshot: KvSnapshot): void {
    this.#entries = new Map(snapshot);
    this.#sorted = null;
  }

  async get(key: string | string[], options?: unknown): Promise<unknown> {
    const type = typeOf(options);
    this.operations += Array.isArray(key) ? key.length : 1;
    if (Array.isArray(key)) return new Map(key.map((name) => [name, decode(this.#entries.get(name), type)]));
    return decode(this.#entries.get(key), type);
  }

  async getWithMetadata(key: string, options?: unknown): Promise<{ value: unknown; metadata: unknown }> {
    this.operations += 1;
    const stored = this.#entries.get(key);
    return { value: decode(stored, typeOf(options)), metadata: stored?.metadata ?? null };
  }

  async put(
    key: string,
    value: string | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array>,
    options: { metadata?: unknown; expirationTtl?: number } = {},
  ): Promise<void> {
    this.operations += 1;
    this.writes += 1;
    // A stream is read to its end and its chunks copied into the value, as workerd pumps it into the request body.
    if (value instanceof ReadableStream) value = await bytesOfStream(value);
    const stored =
      typeof value === 'string'
        ? new TextEncoder().encode(value).buffer
        : value instanceof ArrayBuffer
          ? value.slice(0)
          : value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
    if (!this.#entries.has(key)) this.#sorted?.splice(lowerBound(this.#sorted, key), 0, key);
    this.#entries.set(key, { value: stored as ArrayBuffer, metadata: options.metadata ?? null });
  }

  async delete(key: string): Promise<void> {
    this.operations += 1;
    this.writes += 1;
    if (this.#entries.delete(key)) this.#sorted?.splice(lowerBound(this.#sorted, key), 1);
  }

  async list(options: { prefix?: string; cursor?: string; limit?: number } = {}): Promise<{
    keys: { name: string; metadata?: unknown }[];
    list_complete: boolean;
    cursor?: string;
  }> {
    this.operations += 1;
    const prefix = options.prefix ?? '';
    const limit = Math.min(options.limit ?? 1000, 1000);
    const sorted = (this.#sorted ??= [...this.#entries.keys()].sort());
    // The keys under the prefix are one run of the sorted keys: found by bisection, not by a scan of them all, and
    // only the page asked for is copied (a 3,000-comment page is listed in three calls, each its own 1,000 keys).
    const low = lowerBound(sorted, prefix);
    const end = lowerBound(sorted, `${prefix}\uffff`);
    const start = low + (options.cursor ? Number(options.cursor) : 0);
    const page = sorted.slice(start, Math.min(start + limit, end));
    const done = start + limit >= end;
    const keys = page.map((name) => {
      const metadata = this.#entries.get(name)!.metadata;
      return metadata === null ? { name } : { name, metadata };
    });
    return done ? { keys, list_complete: true } : { keys, list_complete: false, cursor: String(start - low + limit) };
  }
}
