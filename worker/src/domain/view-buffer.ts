/**
 * The per-isolate view buffer: views are summed in memory and written to KV as one batch key at a time, so
 * the write count follows the number of flushes, not the number of views (KV rules 1 and 6 in DESIGN.md).
 * Buffered views are lost if the isolate is evicted before it flushes; the age limit bounds that loss, and the
 * estimate of views in flight (`inFlightShare`) makes up for it on average.
 */
import type { PageMeta } from '@sala/protocol';
import { utcDay } from './utc-time.js';
import type { PageView } from './view-beacon.js';

/** What one flush writes: one KV value under a key of its own, never merged into a shared key. */
export interface ViewBatch {
  /** Unique and time-ordered: `<flushedAt, compact>-<random>`. */
  id: string;
  /** ISO 8601. The aggregation counts the batch's views in the UTC hour this falls in. */
  flushedAt: string;
  /** Summed weight per page id. */
  views: Record<string, number>;
  /** The latest address and title seen for each page in `views` (the rest of a beacon's metadata is not kept). */
  meta: Record<string, PageMeta>;
}

export interface ViewBufferOptions {
  /** Flush once this many views (summed weight) are buffered. */
  maxEvents?: number;
  /** Flush once the oldest buffered view is this old: the most an evicted isolate can lose, in time. */
  maxAgeMs?: number;
  /** Flush once this many distinct pages are buffered: bounds a batch's size and the isolate's memory. */
  maxPages?: number;
  /** Reader+page pairs remembered for today's dedupe; the oldest are forgotten first. */
  maxRememberedReads?: number;
  /**
   * Views one address (IP) may add to one page per UTC day, whatever User-Agent each beacon claims: a script that
   * changes it on every beacon is a new "reader" each time, this bounds it. Several people behind one address
   * (a household, an office) still count, up to this many.
   */
  maxViewsPerAddress?: number;
  /** Failed batches kept for a retry under the same id; older ones are folded back into the buffer. */
  maxRetries?: number;
  /** Wait after a failed flush before trying again, so a KV outage is not retried on every request. */
  retryDelayMs?: number;
  /**
   * Counts, with each batch, this share of its views per page again, ahead of time: the views an isolate holds
   * unwritten between two flushes, which die with it when Cloudflare recycles it. At any moment a buffer holds on
   * average half a flush cycle's views, so 0.5 keeps the counts unbiased whenever the isolate dies; the views
   * counted ahead are taken out of the next views of the same page, so an isolate that lives on counts each view
   * once. 0 counts only views written (unit tests, local development). worker/README.md "Views in flight".
   */
  inFlightShare?: number;
  /** Random part of batch ids; injectable for tests. */
  randomId?: () => string;
}

export const VIEW_BUFFER_DEFAULTS = {
  maxEvents: 500,
  maxAgeMs: 10 * 60 * 1000,
  maxPages: 1000,
  maxRememberedReads: 10_000,
  maxViewsPerAddress: 10,
  maxRetries: 3,
  retryDelayMs: 30 * 1000,
  inFlightShare: 0,
} as const;

/** Compact UTC time that starts a batch id: `20250305T101003000Z`, so ids sort by time. */
function compactTime(iso: string): string {
  return iso.replace(/[-:.]/g, '');
}

/** The length of `batchIdPrefix`: a batch id's first characters name its hour. */
export const BATCH_ID_HOUR_LENGTH = 11;

/**
 * The prefix every batch id flushed in `hour` (an `hourStart` value) begins with, `20250305T10`: a batch key
 * that ends with the id lets the cron list one hour's batches with a prefix.
 */
export function batchIdPrefix(hour: string): string {
  return compactTime(hour).slice(0, BATCH_ID_HOUR_LENGTH);
}

function defaultRandomId(): string {
  return crypto.randomUUID().replaceAll('-', '').slice(0, 16);
}

export class ViewBuffer {
  private readonly options: Required<ViewBufferOptions>;
  private views = new Map<string, number>();
  private meta = new Map<string, PageMeta>();
  private weight = 0;
  private oldestAt: number | null = null;
  private remembered = new Set<string>();
  private addressViews = new Map<string, number>();
  private rememberedDay = '';
  private retries: ViewBatch[] = [];
  /** Views per page counted ahead (`inFlightShare`) and not yet seen: the next views of the page pay them off. */
  private ahead = new Map<string, number>();
  /** The last drain, so a batch KV refused can be undone exactly: its own views, and `ahead` before it. */
  private lastDrain: { id: string; views: Map<string, number>; ahead: Map<string, number> } | null = null;

  constructor(options: ViewBufferOptions = {}) {
    this.options = { ...VIEW_BUFFER_DEFAULTS, randomId: defaultRandomId, ...options };
  }

  /** Views (summed weight) waiting for the next flush, failed batches excluded. */
  get bufferedViews(): number {
    return this.weight;
  }

  /**
   * Count a view unless this reader (a salted hash the caller makes) already viewed this page today (UTC).
   * The browser already sends one beacon per page per day; this catches scripts that replay it. With
   * `addressHash` (the same hash without the User-Agent), one address adds at most `maxViewsPerAddress` beacons
   * to a page a day. Returns whether the view counted.
   */
  add(view: PageView, readerHash: string, now: number, addressHash?: string): boolean {
    if (!(view.weight >= 1)) return false;
    const address = addressHash === undefined ? undefined : `${addressHash} ${view.pageId}`;
    if (address !== undefined && (this.addressViews.get(address) ?? 0) >= this.options.maxViewsPerAddress) return false;
    if (!this.rememberRead(`${readerHash} ${view.pageId}`, now)) return false;
    if (address !== undefined) this.countAddress(address);

    this.views.set(view.pageId, (this.views.get(view.pageId) ?? 0) + view.weight);
    // Address and title only: all the cron keeps of a beacon's metadata (the lists show the page's own), and the
    // cron parses every batch it folds, so the rest would cost CPU time there and bytes here.
    this.meta.set(view.pageId, { url: view.meta.url, title: view.meta.title, labels: [] });
    this.weight += view.weight;
    this.oldestAt ??= now;
    return true;
  }

  /** True when the caller should drain and write a batch now (check on every request, not only beacons). */
  shouldFlush(now: number): boolean {
    if (this.retryDue(now)) return true;
    if (this.oldestAt === null) return false;
    return (
      this.weight >= this.options.maxEvents ||
      this.views.size >= this.options.maxPages ||
      now - this.oldestAt >= this.options.maxAgeMs
    );
  }

  /**
   * The batch to write, and the buffer emptied of it; null when there is nothing to write.
   * A failed batch due for retry comes first, unchanged, so writing it again cannot count it twice.
   * `settle` (local development, which flushes on every request and loses nothing) counts nothing ahead.
   */
  drain(now: number, settle = false): ViewBatch | null {
    if (this.retryDue(now)) return this.retries.shift() ?? null;
    if (this.views.size === 0) return null;

    const flushedAt = new Date(now).toISOString();
    const id = `${compactTime(flushedAt)}-${this.options.randomId()}`;
    const share = settle ? 0 : this.options.inFlightShare;
    const aheadBefore = new Map(this.ahead);
    const counted: Record<string, number> = {};
    for (const [pageId, views] of this.views) {
      const owed = this.ahead.get(pageId) ?? 0;
      const paid = Math.min(owed, views);
      const next = Math.floor(views * share);
      const stillOwed = owed - paid + next;
      if (stillOwed > 0) this.ahead.set(pageId, stillOwed);
      else this.ahead.delete(pageId);
      if (views - paid + next > 0) counted[pageId] = views - paid + next;
    }
    this.forgetOldestAhead();
    this.lastDrain = { id, views: this.views, ahead: aheadBefore };
    const meta = Object.fromEntries([...this.meta].filter(([pageId]) => pageId in counted));
    this.views = new Map();
    this.meta = new Map();
    this.weight = 0;
    this.oldestAt = null;
    // Every view paid off views counted ahead: nothing new to count, no write.
    if (Object.keys(counted).length === 0) return null;
    return { id, flushedAt, views: counted, meta };
  }

  /** Take back a batch whose write failed; it is retried under the same id after `retryDelayMs`. */
  restore(batch: ViewBatch): void {
    this.retries.push(batch);
    this.retries.sort((a, b) => a.flushedAt.localeCompare(b.flushedAt));
    while (this.retries.length > this.options.maxRetries) {
      const oldest = this.retries.shift();
      if (oldest) this.foldBack(oldest);
    }
  }

  /**
   * Take back a batch KV refused outright (the daily limit): it surely was not written, so its views go out in
   * the next batch under a new id, in an hour the popularity cron has not finalized yet.
   */
  takeBack(batch: ViewBatch): void {
    const last = this.lastDrain;
    if (last?.id !== batch.id) return this.foldBack(batch);
    // Undo the drain exactly: its own views come back, and what it counted ahead is forgotten.
    this.ahead = last.ahead;
    this.lastDrain = null;
    this.foldBack({ ...batch, views: Object.fromEntries(last.views) });
  }

  private retryDue(now: number): boolean {
    const next = this.retries[0];
    return next !== undefined && now >= Date.parse(next.flushedAt) + this.options.retryDelayMs;
  }

  /** Merge a batch's views into the buffer; newer metadata already buffered wins. */
  private foldBack(batch: ViewBatch): void {
    for (const [pageId, weight] of Object.entries(batch.views)) {
      this.views.set(pageId, (this.views.get(pageId) ?? 0) + weight);
      this.weight += weight;
      const meta = batch.meta[pageId];
      if (meta && !this.meta.has(pageId)) this.meta.set(pageId, meta);
    }
    const flushedAt = Date.parse(batch.flushedAt);
    this.oldestAt = this.oldestAt === null ? flushedAt : Math.min(this.oldestAt, flushedAt);
  }

  /** Keeps `ahead` within `maxPages`: a page forgotten keeps the views counted ahead for it (at most a few). */
  private forgetOldestAhead(): void {
    for (const pageId of this.ahead.keys()) {
      if (this.ahead.size <= this.options.maxPages) return;
      this.ahead.delete(pageId);
    }
  }

  /** One more view of a page from an address today; the oldest addresses are forgotten past the memory bound. */
  private countAddress(key: string): void {
    this.addressViews.set(key, (this.addressViews.get(key) ?? 0) + 1);
    if (this.addressViews.size > this.options.maxRememberedReads) {
      const oldest = this.addressViews.keys().next();
      if (!oldest.done) this.addressViews.delete(oldest.value);
    }
  }

  /** Remember a reader+page pair for today; false if it was already remembered. */
  private rememberRead(key: string, now: number): boolean {
    const day = utcDay(now);
    if (day !== this.rememberedDay) {
      this.remembered.clear();
      this.addressViews.clear();
      this.rememberedDay = day;
    }
    if (this.remembered.has(key)) return false;
    if (this.remembered.size >= this.options.maxRememberedReads) {
      // Forget the oldest pair: at worst a replayed beacon counts again, never a real view lost.
      const oldest = this.remembered.values().next();
      if (!oldest.done) this.remembered.delete(oldest.value);
    }
    this.remembered.add(key);
    return true;
  }
}
