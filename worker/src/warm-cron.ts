/**
 * The warm-up's cron at a blog's scale (src/warm.ts runs it near its end). The warm-up's own site has two pages and one
 * hour of views, so a new cron isolate's first real run still ran in V8's interpreter the loops that go over every page
 * (the windows' sums, the rankings, the hours folded, the hints hashed): 14 ms at 300 pages and 23 to 46 ms at 5,000 on
 * a first run, against 3 to 8 ms warm. Here the cron's :10 fold and :20 ranking run `WARM_CRON.runs` times each over a
 * synthetic site of `WARM_CRON.pages` pages as a month of counting leaves it (counts, day ring and sums, an hour of
 * batches to fold and one open, the pages read for the lists, half of them commented), then the ranking
 * `WARM_CRON.lastRankings` more times, each as a new isolate makes it, so V8 has compiled and optimized that code
 * before the first real event: a first ranking run about halves (worker/docs/cpu-cron.md, "The cron warmed at a blog's
 * scale"). After the Posts tab's requests, which run `windowViews` and `addFinalized` on a few slots: run after this,
 * they had V8 throw away the code it optimized here. Same rules as the rest of the warm-up: no I/O (a KV of its own in
 * memory), no timer, no random value, no digest (the page hashes are made up); its clock is the runs' scheduled time.
 */
import type { PageMeta } from '@sala/protocol';
import { storedCountMetadata, type CountKeyMetadata } from './domain/comment-activity.js';
import { resetIsolateState } from './domain/isolate-state.js';
import { PAGE_HASH_BYTES, setPageHash } from './domain/page-hashes.js';
import { DAY_CELLS, HOUR_CELLS, SLOT_CELLS, type PopularityState } from './domain/popularity.js';
import type { VerifiedPages } from './domain/page-verification.js';
import { DAY_MS, HOUR_MS, hourStart, utcDay } from './domain/utc-time.js';
import type { ViewBatch } from './domain/view-buffer.js';
import { countKey, verifiedPagesKey } from './storage/keys.js';
import { encodeVerifiedPages } from './storage/page-verification.js';
import { PopularityStore } from './storage/popularity.js';
import { ViewBatchStore } from './storage/views.js';

export const WARM_CRON = {
  /**
   * Pages of the synthetic site: slots enough that the loops over them run long enough to be optimized. 600, with a
   * quarter commented: a first fold at 5,000 pages no longer compiles anything in its time, and the first ranking runs
   * are 1 to 2.5 ms less of Sala's own CPU in workerd, for about 25 ms more startup (worker/docs/cpu-cron.md, "The
   * warm-up's comments at a blog's scale"); 800 measured worse (its own compiles still running beside the real run),
   * as 1,000 did before; 200 less gain.
   */
  pages: 600,
  /**
   * Fold and ranking runs made of each. With 2, the first real run still started V8's optimizing compiles of the
   * loops over every slot (`hourlyCounts`, `windowViews`, `mayDropPages`, `hintsChanged` had only on-stack-replacement
   * code or none): 4 leave them compiled, a first ranking run about a third less (worker/docs/cpu-cron.md, "The cron's
   * warm-up run four times"); 3 tipped the fold's `hintHash` (then over UTF-8 bytes) into TurboFan in the real fold
   * instead.
   */
  runs: 4,
  /**
   * Ranking runs made after the last fold and its ranking, from the counts it wrote. In workerd (its V8 tiers up later
   * than Node's) the four runs left the ranking's last steps (`rankingDocument`, the recent comments' pick, the sort by
   * comments, the verified pages' loops, `finalizedSum` to TurboFan) marked for optimization or compiling as the
   * warm-up ended, and a fresh isolate's first real ranking run compiled them as it ran: 8.4 ms of compiles in a trace
   * of it at 5,000 pages (`MINIFLARE_WORKERD_V8_FLAGS=--trace-opt`), 3.5 to 4.5 ms of V8's helper threads in its CPU;
   * with these two and the count keys below, 0.1 to 0.2 (worker/docs/cpu-cron.md, "The warm-up's last rankings").
   * Without them the count keys' changes alone left the helper threads at 3.8 to 4.5.
   */
  lastRankings: 2,
  /** Batches in the hour folded and in the open hour, each of `pagesPerBatch` pages. */
  batchesPerHour: 20,
  pagesPerBatch: 40,
  /**
   * Of the count keys (every tenth page), one in this many names no page, as keys written before page ids were kept:
   * the ranking matches those by page hash (`PageHashLookup.matchAll`), the rest by the page id they name
   * (`placeNamed`). Half and half keeps both warm: with one in 4, a first run over old keys compiled the hash match
   * again (worker/docs/cpu-cron.md, "The ranking places named count keys").
   */
  unnamedKeyEvery: 2,
  /**
   * Pages with a count key: one in this many. Half (300 keys) with `commentDays` each, as a blog with comments has
   * them: with a tenth of 400 pages, each key of two days, the first real ranking run over 500 keys of a month's days
   * compiled the count keys' check (`checkedDays`, `isDayCount`), `windowComments` and the sort by comments
   * (`commentsFirst`) as it ran, and listed 20 pages by comments, not 50. With a quarter (150), the lists by comments
   * never held twice their depth (`PAGE_VERIFICATION.keptDepth`, 150), so the cut back to it (`topPages`'s `offer`)
   * never ran here, and the first real run's 500 keys dropped its compiled code there ("Insufficient type feedback").
   */
  commentedEvery: 2,
  /**
   * Days with comments in each count key's metadata, every other day, the newest today: this many on one key in five,
   * up to 4 fewer on the others. All of one length, the keys' `days` objects shared one map (hidden class), and the
   * first real key's, of other lengths, dropped the code compiled for `readCountMetadata` ("field type changed").
   */
  commentDays: 12,
} as const;

/** A KV in memory whose contents can be copied and put back (the warm-up's `WarmKv`). */
export interface WarmCronKv {
  namespace: KVNamespace;
  snapshot(): unknown;
  restore(snapshot: unknown): void;
}

interface CronWorker {
  scheduled(controller: ScheduledController, env: Env): Promise<void>;
}

/** A fixed day, far from the epoch a startup's clock reads in workerd (the day ring counts days before it). */
const NOW = Date.UTC(2026, 0, 14, 12, 25);

/** The synthetic site's pages, made once per warm-up. */
function pagesOf(origin: string): PageMeta[] {
  const description = 'A first paragraph about the river, the market and the people met on the way. '.repeat(3);
  return Array.from({ length: WARM_CRON.pages }, (_, page) => ({
    url: `${origin}/2026/01/warm-up-${page}`,
    title: `Warm-up post ${page}: a walk along the river at dusk, with notes on where to eat`,
    image: `${origin}/images/warm-up-${page}.jpg`,
    description,
    published: new Date(NOW - (page % 300) * DAY_MS).toISOString(),
    labels: [`Label ${page % 7}`, 'Travel'],
  }));
}

/**
 * A page hash for each slot, as the counts keep them (16 bytes a slot) and a count key names them (hex): made up
 * from the slot, so the warm-up takes no SHA-256 digest for them. Their first bytes are spread as a digest's are
 * (a multiplicative hash of the slot): with the same first bytes for every page, the ranking's match of count keys
 * to slots (`PageHashLookup.matchAll`) warmed only its rare path, and the first real run compiled it again.
 */
function pageHashOf(page: number): string {
  const spread = (Math.imul(page + 1, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0');
  return spread + (page + 1).toString(16).padStart(PAGE_HASH_BYTES * 2 - 8, 'a');
}

/** Views on a page in one cell: a long tail, as on a real blog, never zero for the first pages. */
function views(page: number, salt: number): number {
  return Math.max(1, Math.round(2000 / (page + 1) + ((page * 7 + salt * 13) % 5)));
}

/**
 * The counts of a site counted for a month, as a fold wrote them an hour ago: finalized through two hours before
 * `NOW`'s, so the :10 run folds the hour before `NOW`'s.
 */
function monthOfCounts(metas: readonly PageMeta[]): PopularityState {
  const { pages } = WARM_CRON;
  const final = Date.parse(hourStart(NOW)) - 2 * HOUR_MS;
  const finalHour = final / HOUR_MS;
  const finalDay = Math.floor(final / DAY_MS);
  const counts = new Float32Array(pages * SLOT_CELLS);
  const cells = new Float32Array(pages * DAY_CELLS);
  const held = new Int32Array(DAY_CELLS).fill(-1);
  for (let day = finalDay - DAY_CELLS + 1; day < finalDay; day++) held[day % DAY_CELLS] = day;
  const allTime = new Float64Array(pages);
  const pageIds: string[] = [];
  const meta: PopularityState['meta'] = {};
  for (let page = 0; page < pages; page++) {
    const { url, title } = metas[page]!;
    pageIds.push(url);
    // A hint as the state keeps it (domain/popularity.ts `pageHint`): address and title.
    meta[url] = { url, title, labels: [], updatedAt: new Date(NOW - DAY_MS).toISOString() };
    for (let hour = finalHour - SLOT_CELLS + 2; hour <= finalHour; hour++)
      counts[page * SLOT_CELLS + (hour % HOUR_CELLS)] = views(page, hour);
    // The current day's cell, after the hour ring.
    counts[page * SLOT_CELLS + HOUR_CELLS] = views(page, HOUR_CELLS) * 12;
    for (let day = 0; day < DAY_CELLS; day++) cells[page * DAY_CELLS + day] = views(page, day) * 24;
    allTime[page] = views(page, 99) * 24 * 90;
  }
  return {
    version: 2,
    finalizedThrough: new Date(final).toISOString(),
    pageIds,
    counts,
    days: { cells, held },
    daySums: null,
    allTime,
    live: {},
    meta,
  };
}

/** `WARM_CRON.batchesPerHour` batches flushed in the hour starting at `hour`, each of an isolate's few dozen pages. */
function batchesOf(metas: readonly PageMeta[], hour: number): ViewBatch[] {
  const batches: ViewBatch[] = [];
  for (let index = 0; index < WARM_CRON.batchesPerHour; index++) {
    const flushedAt = new Date(hour + index * 60_000 + 1_000).toISOString();
    const batch: ViewBatch = {
      id: `${flushedAt.replace(/[-:.]/g, '')}-warm${String(index).padStart(12, '0')}`,
      flushedAt,
      views: {},
      meta: {},
    };
    for (let pick = 0; pick < WARM_CRON.pagesPerBatch; pick++) {
      const { url, title } = metas[(index * 37 + pick * pick) % WARM_CRON.pages]!;
      batch.views[url] = (batch.views[url] ?? 0) + 1 + (pick % 3);
      // A batch keeps a beacon's address and title only (domain/view-buffer.ts).
      batch.meta[url] = { url, title, labels: [] };
    }
    batches.push(batch);
  }
  return batches;
}

/**
 * The synthetic site in `kv`: its counts, day ring and sums, hints, the batches of the hour the :10 run folds and of
 * the open hour, the pages read for the lists (recently, so none is due), and the count keys of every tenth page.
 */
async function seed(kv: KVNamespace, site: string, origin: string): Promise<void> {
  const metas = pagesOf(origin);
  const state = monthOfCounts(metas);
  const popularity = new PopularityStore(kv);
  await popularity.writeMeta(site, state);
  await popularity.writeDays(site, state);
  const pageHashes = new Uint8Array(WARM_CRON.pages * PAGE_HASH_BYTES);
  for (let page = 0; page < WARM_CRON.pages; page++) setPageHash(pageHashes, page, pageHashOf(page));
  await popularity.writeCounts(site, state, null, undefined, false, pageHashes);
  const batchStore = new ViewBatchStore(kv);
  const openHour = Date.parse(hourStart(NOW));
  for (const hour of [openHour - HOUR_MS, openHour]) {
    for (const batch of batchesOf(metas, hour)) await batchStore.put(site, batch);
  }
  const checkedAt = new Date(NOW - HOUR_MS).toISOString();
  const verified: VerifiedPages = { version: 1, pages: {} };
  for (const meta of metas.slice(0, 200))
    verified.pages[meta.url] = { url: meta.url, checkedAt, meta, verifiedAt: checkedAt };
  await kv.put(verifiedPagesKey(site), encodeVerifiedPages(verified));
  for (let page = 0; page < WARM_CRON.pages; page += WARM_CRON.commentedEvery) {
    // Oldest first, as the thread rebuild writes them.
    const days: Record<string, number> = {};
    for (let ago = WARM_CRON.commentDays - 1 - (page % 5); ago >= 0; ago--)
      days[utcDay(NOW - ago * 2 * DAY_MS)] = 1 + ((page + ago) % 3);
    // Each key's newest comment at its own time of today, in no order: the ranking's pick of the pages with the newest
    // comments (`pagesWithNewestComments`) then keeps and drops pages as on a blog, not only its first 20.
    const last = new Date(NOW - HOUR_MS - ((page * 7919) % 600) * 60_000).toISOString();
    const activity: CountKeyMetadata = { total: 30 + (page % 7), days, last };
    // Named by their page, as the thread rebuild writes them, but for one in `unnamedKeyEvery`: a key written before
    // (matched by page hash), so that path is warmed too.
    const named = (page / WARM_CRON.commentedEvery) % WARM_CRON.unnamedKeyEvery !== 0;
    const stored = storedCountMetadata(activity, NOW - HOUR_MS, named ? metas[page]!.url : undefined);
    // As list() hands a real key's metadata back: parsed from its JSON, its fields in the order the thread rebuild
    // writes them. Objects made here have other maps (hidden classes), and `readCountMetadata`, compiled on them, was
    // dropped back to the interpreter at a real run's first key ("wrong map").
    const metadata = JSON.parse(JSON.stringify(stored)) as CountKeyMetadata;
    await kv.put(countKey({ site, pageHash: pageHashOf(page) }), String(metadata.total), { metadata });
  }
}

/**
 * Runs the cron's :10 fold and :20 ranking `WARM_CRON.runs` times each over the synthetic site of `site` (its only
 * site, at `origin`): each fold from the site as seeded, each ranking after its fold, then `WARM_CRON.lastRankings`
 * more rankings after the last fold, every run as a new isolate's (`resetIsolateState`). Throws what a run throws: the
 * warm-up catches it.
 */
export async function warmCronAtScale(
  worker: CronWorker,
  env: Env,
  kv: WarmCronKv,
  site: string,
  origin: string,
): Promise<void> {
  await seed(kv.namespace, site, origin);
  const seeded = kv.snapshot();
  const bindings = { ...env, SALA: kv.namespace };
  const hour = Date.parse(hourStart(NOW));
  for (let run = 0; run < WARM_CRON.runs; run++) {
    // The fold, then the ranking from the counts it wrote.
    kv.restore(seeded);
    for (const minutes of [10, 20]) {
      resetIsolateState();
      const controller = { scheduledTime: hour + minutes * 60_000, cron: '*/10 * * * *', noRetry: () => {} };
      await worker.scheduled(controller as ScheduledController, bindings);
    }
  }
  for (let run = 0; run < WARM_CRON.lastRankings; run++) {
    resetIsolateState();
    const controller = { scheduledTime: hour + 20 * 60_000, cron: '*/10 * * * *', noRetry: () => {} };
    await worker.scheduled(controller as ScheduledController, bindings);
  }
}
