/**
 * What this isolate read from KV a moment ago, for the reads every page view makes (a thread, the counts of an index
 * page). A hot page's readers then cost no KV read and no JSON parse: under load that is most of what a thread GET
 * costs besides the HTTP itself (worker/README.md "Throughput"), and each read saved is one of the free plan's
 * 100,000 a day.
 *
 * Values written by this isolate replace their cached copy at once, so a commenter's own isolate shows the rebuilt
 * thread as before. A change made by another isolate shows here after `maxAgeMs` at most, on top of KV's own
 * propagation (up to 60 s): the staleness readers already live with, made a few seconds longer. One Worker has one
 * KV namespace, so keys are KV keys.
 */
export class IsolateCache<T> {
  readonly #entries = new Map<string, { value: T; size: number; storedAt: number }>();
  #size = 0;
  /** Bumped by every write: a KV read that began before a write must not cache what it read over the write. */
  #writes = 0;

  /**
   * @param maxAgeMs how long a value read from KV is served without reading it again
   * @param maxSize the most the cache holds, in the callers' size unit (characters of JSON); oldest use goes first
   */
  constructor(
    readonly maxAgeMs: number,
    readonly maxSize: number,
  ) {}

  /** The cached value, or undefined when there is none younger than maxAgeMs. */
  get(key: string, now: number): T | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (now - entry.storedAt > this.maxAgeMs || now < entry.storedAt) {
      this.#size -= entry.size;
      return undefined;
    }
    this.#entries.set(key, entry); // most recently used last
    return entry.value;
  }

  /** A token to pass to `fromRead`: take it before the KV read starts. */
  readStarted(): number {
    return this.#writes;
  }

  /** Caches what a read returned, unless a write happened since the read began (its value is the newer one). */
  fromRead(key: string, value: T, size: number, now: number, started: number): void {
    if (started === this.#writes) this.#store(key, value, size, now);
  }

  /** Caches what this isolate has just written to KV. */
  written(key: string, value: T, size: number, now: number): void {
    this.#writes += 1;
    this.#store(key, value, size, now);
  }

  /** Drops the copy of a key this isolate has just written in a form it does not keep: the next read reads KV. */
  forget(key: string): void {
    this.#writes += 1;
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#size -= entry.size;
  }

  /** Forgets every copy, as a new isolate has none (the startup warm-up's, domain/isolate-state.ts). */
  clear(): void {
    this.#entries.clear();
    this.#size = 0;
    this.#writes = 0;
  }

  #store(key: string, value: T, size: number, now: number): void {
    const previous = this.#entries.get(key);
    if (previous !== undefined) {
      this.#entries.delete(key);
      this.#size -= previous.size;
    }
    if (size > this.maxSize) return;
    this.#entries.set(key, { value, size, storedAt: now });
    this.#size += size;
    for (const [oldest, entry] of this.#entries) {
      if (this.#size <= this.maxSize) break;
      this.#entries.delete(oldest);
      this.#size -= entry.size;
    }
  }
}
