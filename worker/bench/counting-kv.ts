/**
 * The KV namespace every modelled isolate shares, counted the way Cloudflare bills it (a bulk get is one read
 * per key; list, write and delete one each), and with list()'s lag: a key created less than `listLagMs` ago
 * (virtual time) is left out of list results, as KV may do for up to 60 s.
 */

export type KvOperation = 'read' | 'write' | 'list' | 'delete';

export interface KvCounts {
  read: number;
  write: number;
  list: number;
  delete: number;
  /** Operations per kind of key (`v1:views:…` → `views`), for the printout. */
  byKey: Record<string, Record<KvOperation, number>>;
}

export function emptyCounts(): KvCounts {
  return { read: 0, write: 0, list: 0, delete: 0, byKey: {} };
}

/** The second segment of a key (`v1:ranking:demo` → `ranking`): what kind of record it is. */
function keyKind(key: string): string {
  return key.split(':')[1] ?? key;
}

export class CountingKv {
  counts = emptyCounts();
  readonly #createdAt = new Map<string, number>();
  readonly kv: KVNamespace;

  constructor(
    private readonly inner: KVNamespace,
    private readonly listLagMs = 60_000,
  ) {
    this.kv = this.#proxy();
  }

  /** Starts a new tally (the day's totals), keeping what the lag emulation knows. */
  reset(): KvCounts {
    const previous = this.counts;
    this.counts = emptyCounts();
    return previous;
  }

  /**
   * Counts operations the benchmark did not send (requests it counted without replaying, each known to cost one
   * read of `key`'s kind), so the totals stay whole.
   */
  countUnsent(operation: KvOperation, key: string, times = 1): void {
    this.#count(operation, key, times);
  }

  #count(operation: KvOperation, key: string, times = 1): void {
    this.counts[operation] += times;
    const kind = (this.counts.byKey[keyKind(key)] ??= { read: 0, write: 0, list: 0, delete: 0 });
    kind[operation] += times;
  }

  #proxy(): KVNamespace {
    const inner = this.inner;
    const counter = {
      get: (key: string | string[], options?: unknown) => {
        if (Array.isArray(key)) for (const each of key) this.#count('read', each);
        else this.#count('read', key);
        return (inner.get as (key: unknown, options?: unknown) => Promise<unknown>)(key, options);
      },
      getWithMetadata: (key: string, options?: unknown) => {
        this.#count('read', key);
        return (inner.getWithMetadata as (key: string, options?: unknown) => Promise<unknown>)(key, options);
      },
      put: (key: string, value: string, options?: KVNamespacePutOptions) => {
        this.#count('write', key);
        if (!this.#createdAt.has(key)) this.#createdAt.set(key, Date.now());
        return inner.put(key, value, options);
      },
      delete: (key: string) => {
        this.#count('delete', key);
        this.#createdAt.delete(key);
        return inner.delete(key);
      },
      list: async (options?: KVNamespaceListOptions) => {
        this.#count('list', options?.prefix ?? '');
        const listed = await inner.list(options);
        const visibleBefore = Date.now() - this.listLagMs;
        const keys = listed.keys.filter((key) => (this.#createdAt.get(key.name) ?? -Infinity) <= visibleBefore);
        return { ...listed, keys };
      },
    };
    return counter as unknown as KVNamespace;
  }
}
