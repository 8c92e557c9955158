/**
 * An in-memory KVNamespace for benchmarks that run the Worker's code in Node: get (text, json, arrayBuffer, stream, bulk),
 * getWithMetadata, put with metadata and expirationTtl, list with prefix, cursor and limit, delete. Values are kept
 * as bytes, as KV keeps them: a string put is encoded and a text or JSON read decodes, as workerd does on every
 * call (handing back the string put would leave a 0.9 MB snapshot's decoding and encoding out of the figures).
 * Metadata is kept as JSON and parsed by every list() and getWithMetadata(), as the runtime parses KV's answer (handing
 * back the object put left 500 count keys' metadata parse out of a ranking run). What KV does on its side, sorting
 * the keys a list() walks, costs the Worker nothing, and nothing here: the order is kept with each snapshot.
 */
import { concatBytes } from '../src/domain/prebuilt-thread.js';

type Stored = { value: ArrayBuffer; metadata: string | null };
export type KvSnapshot = Map<string, Stored>;

type ValueType = 'text' | 'json' | 'arrayBuffer' | 'stream';

/** Bytes a value's stream hands over per chunk: a reader that stops early (and cancels) never copies the rest. */
const STREAM_CHUNK_BYTES = 64 * 1024;

function typeOf(options: unknown): ValueType {
  if (typeof options === 'string') return options as ValueType;
  return ((options as { type?: ValueType } | undefined)?.type ?? 'text') as ValueType;
}

function parseMetadata(stored: Stored | undefined): unknown {
  return stored?.metadata == null ? null : JSON.parse(stored.metadata);
}

function decode(stored: Stored | undefined, type: ValueType): unknown {
  if (!stored) return null;
  const { value } = stored;
  if (type === 'arrayBuffer') return value.slice(0);
  if (type === 'stream') return streamOf(value);
  const text = new TextDecoder().decode(value);
  return type === 'json' ? JSON.parse(text) : text;
}

/**
 * A value as workerd hands a stream read over: chunk by chunk, each copied when it is read (none ahead of the reader,
 * `highWaterMark` 0), so a stream cancelled unread copies nothing, as one whose body the Worker never reads.
 */
function streamOf(value: ArrayBuffer): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= value.byteLength) {
          controller.close();
          return;
        }
        const end = Math.min(offset + STREAM_CHUNK_BYTES, value.byteLength);
        controller.enqueue(new Uint8Array(value.slice(offset, end)));
        offset = end;
      },
    },
    { highWaterMark: 0 },
  );
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

/** Each snapshot's keys in order, made once: a restore hands the store its own copy. */
const sortedKeys = new WeakMap<KvSnapshot, readonly string[]>();

function sortedKeysOf(snapshot: KvSnapshot): string[] {
  let sorted = sortedKeys.get(snapshot);
  if (sorted === undefined) sortedKeys.set(snapshot, (sorted = [...snapshot.keys()].sort()));
  return [...sorted];
}

export class MemoryKv {
  #entries = new Map<string, Stored>();
  /** The keys in order, made by the first list() (or given by a restore) and kept in order by put and delete. */
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

  /** The store as `snapshot` holds it, with its keys in order (made outside the operations measured). */
  restore(snapshot: KvSnapshot): void {
    this.#entries = new Map(snapshot);
    this.#sorted = sortedKeysOf(snapshot);
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
    return { value: decode(stored, typeOf(options)), metadata: parseMetadata(stored) };
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
    const metadata = options.metadata === undefined ? null : JSON.stringify(options.metadata);
    this.#entries.set(key, { value: stored as ArrayBuffer, metadata });
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
      const stored = this.#entries.get(name)!;
      return stored.metadata === null ? { name } : { name, metadata: parseMetadata(stored) };
    });
    return done ? { keys, list_complete: true } : { keys, list_complete: false, cursor: String(start - low + limit) };
  }
}
