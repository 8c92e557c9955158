/**
 * Runs the rebuilds of one page one at a time within this isolate. Changes arriving during a rebuild share one
 * follow-up run instead of starting their own, and runs start at least `minIntervalMs()` after the previous one
 * finished, because KV takes at most one write per second to a key (the page's snapshot).
 */
import { DailyLimitNotice } from '../domain/daily-limit.js';

interface PageRebuilds {
  /** The rebuild to run next: the most recently scheduled one. */
  latest: () => Promise<unknown>;
  running?: Promise<boolean>;
  /** The follow-up run, not started yet; every change scheduled now is covered by it. */
  queued?: Promise<boolean>;
  lastFinishedAt: number;
}

/** Pages remembered before idle ones are forgotten. */
const MAX_REMEMBERED_PAGES = 1000;

const dailyLimit = new DailyLimitNotice(
  'page snapshots wait for 00:00 UTC; their dirty markers keep them for the cron to rebuild then',
);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RebuildQueue {
  readonly #pages = new Map<string, PageRebuilds>();
  readonly #minIntervalMs: () => number;

  /** `minIntervalMs`: the gap, or a function read before each run that gives it. */
  constructor(minIntervalMs: number | (() => number) = 1000) {
    this.#minIntervalMs = typeof minIntervalMs === 'number' ? () => minIntervalMs : minIntervalMs;
  }

  /**
   * Runs `rebuild` for `pageKey` soon, after any rebuild of that page in progress. Resolves true once a run that
   * started after this call succeeded; false if it threw (logged; the cron retries).
   */
  schedule(pageKey: string, rebuild: () => Promise<unknown>): Promise<boolean> {
    const page = this.#page(pageKey, rebuild);
    page.latest = rebuild;
    page.queued ??= this.#runAfter(pageKey, page, page.running);
    return page.queued;
  }

  async #runAfter(pageKey: string, page: PageRebuilds, previous: Promise<boolean> | undefined): Promise<boolean> {
    await previous;
    // Clamped, so a clock moved by a test (or NTP) can neither skip the gap nor stall the queue.
    const interval = this.#minIntervalMs();
    const gap = Math.min(Math.max(page.lastFinishedAt + interval - Date.now(), 0), interval);
    if (gap > 0) await sleep(gap);

    // From here on this run may already have read the keys: a change scheduled now needs the next run.
    const self = page.queued;
    page.running = self;
    page.queued = undefined;
    try {
      await page.latest();
      return true;
    } catch (error) {
      if (!dailyLimit.handled(error)) console.error('[sala] rebuild failed; the cron will retry', pageKey, error);
      return false;
    } finally {
      page.lastFinishedAt = Date.now();
      if (page.running === self) page.running = undefined;
    }
  }

  /** Forgets every page, as a new isolate knows none (the startup warm-up's, domain/isolate-state.ts). */
  clear(): void {
    this.#pages.clear();
  }

  #page(pageKey: string, rebuild: () => Promise<unknown>): PageRebuilds {
    let page = this.#pages.get(pageKey);
    if (!page) {
      if (this.#pages.size >= MAX_REMEMBERED_PAGES) this.#forgetIdlePages();
      // Never finished: its first run starts at once, whatever the clock says (workerd's reads 0 at startup).
      page = { latest: rebuild, lastFinishedAt: Number.NEGATIVE_INFINITY };
      this.#pages.set(pageKey, page);
    }
    return page;
  }

  #forgetIdlePages(): void {
    const settled = Date.now() - this.#minIntervalMs();
    for (const [pageKey, page] of this.#pages) {
      if (!page.running && !page.queued && page.lastFinishedAt < settled) this.#pages.delete(pageKey);
    }
  }
}
