/**
 * One isolate's view buffers, one per site (a batch key belongs to one site), and their flushes. Each Worker
 * instance owns one (`createWorker`), so a test or the cost benchmark can run several isolates side by side.
 */
import { dailyLimitResetAt, DailyLimitNotice } from '../domain/daily-limit.js';
import type { UsageTally } from '../domain/usage.js';
import { ViewBuffer, type ViewBatch, type ViewBufferOptions } from '../domain/view-buffer.js';
import type { PageView } from '../domain/view-beacon.js';
import { ViewBatchStore } from './views.js';

/**
 * The Worker's flush age: 20 minutes, the shortest with which `npm run bench:cost` fits a 20,000-view day and its
 * comments in the free plan's 1,000 writes with nine busy isolates (10 minutes took about 1,450). Longer loses more
 * views when an isolate is recycled (worker/README.md has the trade-off measured); counting half of each batch's
 * views ahead makes up for them on average (`inFlightShare`, worker/README.md "Views in flight").
 */
export const WORKER_VIEW_FLUSH: ViewBufferOptions = { maxAgeMs: 20 * 60_000, inFlightShare: 0.5 };

const dailyLimit = new DailyLimitNotice(
  "view batches wait in this isolate's memory for 00:00 UTC (and are lost if it is recycled first)",
);

export class ViewCounter {
  readonly #buffers = new Map<string, ViewBuffer>();
  /** After a write met the daily limit: no batch is tried before this time (ms), when the limit resets. */
  #pausedUntil = 0;
  private readonly options: ViewBufferOptions;

  /** `usage`: this isolate's count of the free plan's limits, reported along with the batches it writes. */
  constructor(
    options: ViewBufferOptions = {},
    private readonly usage: UsageTally | null = null,
  ) {
    this.options = { ...WORKER_VIEW_FLUSH, ...options };
  }

  /**
   * Counts a view of a page of `site` unless this reader already viewed it today, or its address has added the
   * most one address may to the page today (`maxViewsPerAddress`); false when not counted.
   */
  add(site: string, view: PageView, readerHash: string, now: number, addressHash?: string): boolean {
    let buffer = this.#buffers.get(site);
    if (!buffer) {
      buffer = new ViewBuffer(this.options);
      this.#buffers.set(site, buffer);
    }
    return buffer.add(view, readerHash, now, addressHash);
  }

  /** Views buffered and not yet written, over all sites: what an eviction now would lose. */
  get bufferedViews(): number {
    let views = 0;
    for (const buffer of this.#buffers.values()) views += buffer.bufferedViews;
    return views;
  }

  /** True when a request now would write a batch (`flushDue` would not return null). */
  isDue(now: number): boolean {
    if (now < this.#pausedUntil) return false;
    for (const buffer of this.#buffers.values()) if (buffer.shouldFlush(now)) return true;
    return false;
  }

  /**
   * Writes a batch for every site whose buffer is due (age, size, or a failed batch's retry), or null when none
   * is: cheap enough to ask on every request. A failed write goes back to the buffer for a retry under its id.
   */
  flushDue(kv: KVNamespace, now: number): Promise<void> | null {
    if (now < this.#pausedUntil) return null;
    const writes: Promise<void>[] = [];
    for (const [site, buffer] of this.#buffers) {
      if (!buffer.shouldFlush(now)) continue;
      const batch = buffer.drain(now);
      if (batch !== null) writes.push(this.#write(kv, site, buffer, batch));
    }
    return writes.length === 0 ? null : Promise.all(writes).then(() => undefined);
  }

  /** Writes every site's buffered views now, due or not: local development only (SALA_DEV_FLUSH_VIEWS). */
  flushAll(kv: KVNamespace, now: number): Promise<void> {
    const writes: Promise<void>[] = [];
    for (const [site, buffer] of this.#buffers) {
      const batch = buffer.drain(now, true);
      if (batch !== null) writes.push(this.#write(kv, site, buffer, batch));
    }
    return Promise.all(writes).then(() => undefined);
  }

  async #write(kv: KVNamespace, site: string, buffer: ViewBuffer, batch: ViewBatch): Promise<void> {
    const usage = this.usage?.take(Date.now()) ?? null;
    try {
      await new ViewBatchStore(kv).put(site, batch, usage);
    } catch (error) {
      if (usage !== null) this.usage?.giveBack(usage, Date.now());
      if (dailyLimit.handled(error)) {
        // Every write fails the same way until the reset: wait for it rather than fail once per request.
        this.#pausedUntil = dailyLimitResetAt(Date.now()).getTime();
        buffer.takeBack(batch);
        return;
      }
      console.error('[sala] view batch write failed; kept for a retry', site, batch.id, error);
      buffer.restore(batch);
    }
  }
}
