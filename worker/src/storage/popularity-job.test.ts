import type { PopularPostsResponse } from '@sala/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { countingKv, send } from '../testing.js';
import {
  at,
  countDigests,
  freshSite,
  isolate,
  runCron,
  serveBlog,
  storeBatch,
  withoutPageHashes,
  type Isolate,
} from '../testing-views.js';
import v1Fixture from '@sala-fixtures/popularity-v1.json?raw';
import { fromV1, type PageCounts, type PopularityStateV1 } from '../domain/popularity.js';
import {
  POPULAR_BYS,
  POPULAR_RANGES,
  RANKING_DEPTH,
  rankPages,
  viewsInRange,
  type CommentActivity,
  type CommentActivityByPage,
  type RankingDocument,
} from '../domain/ranking.js';
import type { ListedPages } from './page-verification.js';
import { DAY_MS, HOUR_MS, utcDay } from '../domain/utc-time.js';
import type { ViewBatch } from '../domain/view-buffer.js';
import {
  countKey,
  forgetPageHashes,
  pageRef,
  popularityConversionKey,
  popularityCountsKey,
  popularityDaySumsKey,
  popularityDaysKey,
  popularityKey,
  popularityMetaKey,
  rankingKey,
} from './keys.js';
import { ViewBatchStore } from './views.js';
import { MAX_BATCH_READS, PAGE_HASHES_PER_WRITE, refreshPopularity, V1_PART_CHARS } from './popularity-job.js';
import { listCommentActivity } from './comment-activity.js';
import type { CountKeyMetadata } from '../domain/comment-activity.js';
import { decodeCounts, PopularityStore } from './popularity.js';
import { matchPageHashes, UNKNOWN_HASH } from '../domain/page-hashes.js';
import { cronRun } from '../domain/cron-schedule.js';

const PAGE = 'https://blog.example.com/2030/01/tonle-sap';
const OTHER = 'https://blog.example.com/2030/01/kampot';
/** Float32 cells per slot in a format 4 counts value: 24 hours, then 30 days. */
const RING_CELLS = 54;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  serveBlog(); // the blog's own pages, which the cron reads for what the lists show
  vi.setSystemTime(at(10, 10));
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/**
 * The counts value `current` (format 5) and the day ring `days` as one value of format 4, as the code before the day
 * ring had its own value wrote them: 54 Float32 per slot, the hour ring then the day ring, the current day included.
 */
function format4Counts(current: ArrayBuffer, days: ArrayBuffer): ArrayBuffer {
  const [, slots, final, idBytes] = new Uint32Array(current, 0, 4) as unknown as [number, number, number, number];
  const counts = new Float32Array(current, 16 + slots * 8, slots * 25);
  const held = new Int32Array(days, 8, 30);
  const dayCells = new Float32Array(days, 8 + 30 * 4);
  const today = Math.floor(((final - 1) * HOUR_MS) / DAY_MS);
  const old = new ArrayBuffer(current.byteLength + slots * 29 * 4);
  new Uint32Array(old, 0, 4).set([4, slots, final, idBytes]);
  new Uint8Array(old, 16, slots * 8).set(new Uint8Array(current, 16, slots * 8));
  const rings = new Float32Array(old, 16 + slots * 8, slots * 54);
  for (let slot = 0; slot < slots; slot++) {
    rings.set(counts.subarray(slot * 25, slot * 25 + 24), slot * 54);
    for (let day = today - 29; day < today; day++)
      if (held[day % 30] === day) rings[slot * 54 + 24 + (day % 30)] = dayCells[slot * 30 + (day % 30)] ?? 0;
    rings[slot * 54 + 24 + (today % 30)] = counts[slot * 25 + 24]!;
  }
  // The hashes and the page ids, as they follow the counts in both.
  new Uint8Array(old, 16 + slots * (8 + 54 * 4)).set(new Uint8Array(current, 16 + slots * (8 + 25 * 4)));
  return old;
}

/**
 * The counts value `current` (format 4) as the code before Float32 rings wrote it: every cell a Float64, 55 per slot
 * with the all-time total last; format 3 with each slot's hint hash, format 2 without.
 */
function float64Counts(current: ArrayBuffer, format: 2 | 3): ArrayBuffer {
  const [, slots, final, idBytes] = new Uint32Array(current, 0, 4) as unknown as [number, number, number, number];
  const allTime = new Float64Array(current, 16, slots);
  const rings = new Float32Array(current, 16 + slots * 8, slots * RING_CELLS);
  const hintsAt = 16 + slots * 8 + slots * RING_CELLS * 4;
  const cellBytes = slots * (RING_CELLS + 1) * 8;
  const old = new ArrayBuffer(16 + cellBytes + (format === 3 ? slots * 4 : 0) + idBytes);
  new Uint32Array(old, 0, 4).set([format, slots, final, idBytes]);
  const cells = new Float64Array(old, 16, slots * (RING_CELLS + 1));
  for (let slot = 0; slot < slots; slot++) {
    cells.set(rings.subarray(slot * RING_CELLS, (slot + 1) * RING_CELLS), slot * (RING_CELLS + 1));
    cells[slot * (RING_CELLS + 1) + RING_CELLS] = allTime[slot]!;
  }
  // The hashes (format 3) and the page ids, as they follow the counts in both.
  new Uint8Array(old, 16 + cellBytes).set(new Uint8Array(current, format === 3 ? hintsAt : hintsAt + slots * 4));
  return old;
}

/** The site's counts and day ring as the code before the day ring had its own value stored them (format 4). */
async function storedFormat4(kv: KVNamespace, site: string): Promise<ArrayBuffer> {
  const current = withoutPageHashes((await kv.get(popularityCountsKey(site), 'arrayBuffer'))!);
  return format4Counts(current, (await kv.get(popularityDaysKey(site), 'arrayBuffer'))!);
}

/** A hint's hash as the code before 2026-12-07 took it (MurmurHash3 over the UTF-8 bytes, 4 a word), which counts still hold. */
function utf8HintHash(hint: { url: string; title: string }): number {
  const bytes = new TextEncoder().encode(`${hint.url}\n${hint.title}`);
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  padded.set(bytes);
  const words = new Uint32Array(padded.buffer);
  let hash = bytes.length;
  for (const value of words) {
    let word = Math.imul(value, 0xcc9e2d51);
    word = Math.imul((word << 15) | (word >>> 17), 0x1b873593);
    hash ^= word;
    hash = (Math.imul((hash << 13) | (hash >>> 19), 5) + 0xe6546b64) | 0;
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0 || 1;
}

/** The titles GET /popular lists for `range`, by page id. */
async function titles(target: Isolate, range: string): Promise<Record<string, string>> {
  const sent = await send<PopularPostsResponse>('GET', `/api/v1/popular?site=${target.site.id}&range=${range}`, {
    worker: target.worker,
    bindings: target.site.bindings,
  });
  return Object.fromEntries(sent.body.posts.map((post) => [post.pageId, post.title]));
}

async function views(target: Isolate, range: string): Promise<Record<string, number>> {
  const sent = await send<PopularPostsResponse>('GET', `/api/v1/popular?site=${target.site.id}&range=${range}`, {
    worker: target.worker,
    bindings: target.site.bindings,
  });
  return Object.fromEntries(sent.body.posts.map((post) => [post.pageId, post.views]));
}

/** How many keys the calls read in bulk gets (the view batches a run read). */
function bulkReadKeys(calls: { method: string; args: unknown[] }[]): number {
  return calls
    .filter((call) => call.method === 'get' && Array.isArray(call.args[0]))
    .reduce((sum, call) => sum + (call.args[0] as string[]).length, 0);
}

function writes(calls: { method: string; args: unknown[] }[]): string[] {
  return calls.filter((call) => call.method === 'put' || call.method === 'delete').map((call) => String(call.args[0]));
}

/**
 * The writes of the popularity work: its state (counts, day ring and sums, metadata), the version 1 document, its
 * conversion's progress and the ranking (not pages or recent comments).
 */
function popularityWrites(calls: { method: string; args: unknown[] }[]): string[] {
  return writes(calls)
    .filter((key) => /:(popconvert|popcounts|popdays|popdaysums|popmeta|popularity|ranking):/.test(key))
    .sort();
}

/**
 * How many slots of the site's counts hold their page's hash (`pageRef`); fails on a slot holding another's.
 */
async function storedPageHashes(kv: KVNamespace, site: string): Promise<number> {
  const stored = decodeCounts((await kv.get(popularityCountsKey(site), 'arrayBuffer'))!)!;
  const hashes = await Promise.all(stored.pageIds.map(async (pageId) => (await pageRef(site, pageId)).pageHash));
  const matched = matchPageHashes(stored.pageHashes!, stored.pageIds.length, hashes);
  const known = [...matched.keys()].filter((slot) => matched[slot] !== UNKNOWN_HASH);
  expect(known.filter((slot) => matched[slot] !== slot)).toEqual([]);
  return known.length;
}

/** A :10 run, which folds the views into the counts, and the :20 run after it, which writes the lists. */
async function foldAndRank(target: Isolate, fold: number, bindings?: Isolate['site']['bindings']): Promise<void> {
  await runCron(target, fold, bindings);
  await runCron(target, fold + 10 * 60_000, bindings);
}

describe('the popularity cron', () => {
  it('folds on the :10 run and writes the lists on the :20 and :50 runs only', async () => {
    expect([0, 10, 19, 20, 30, 40, 50].map((minute) => cronRun(at(10, minute)).popularity)).toEqual([
      'none',
      'fold',
      'fold',
      'rank',
      'none',
      'none',
      'rank',
    ]);
    const target = isolate(freshSite());
    await storeBatch(target.site, at(9, 20), { [PAGE]: 3 });
    await storeBatch(target.site, at(10, 1), { [PAGE]: 1 });
    await runCron(target, at(10, 0));
    expect(await target.site.bindings.SALA.get(popularityCountsKey(target.site.id))).toBeNull();
    // The fold writes the counts (hour 9 finalized), not the lists.
    await runCron(target, at(10, 10));
    expect(await target.site.bindings.SALA.get(popularityCountsKey(target.site.id))).not.toBeNull();
    expect(await target.site.bindings.SALA.get(rankingKey(target.site.id))).toBeNull();
    await runCron(target, at(10, 20));
    expect(await views(target, '24h')).toEqual({ [PAGE]: 4 });
    // The :40 run leaves the lists alone; the :50 run adds the views since.
    await storeBatch(target.site, at(10, 30), { [PAGE]: 2 });
    await runCron(target, at(10, 40));
    expect(await views(target, '24h')).toEqual({ [PAGE]: 4 });
    await runCron(target, at(10, 50));
    expect(await views(target, '24h')).toEqual({ [PAGE]: 6 });
  });

  it('ranks from the views in memory when the fold run failed, and leaves the counts to the next fold', async () => {
    const target = isolate(freshSite());
    await storeBatch(target.site, at(9, 20), { [PAGE]: 5 });
    const counted = countingKv(target.site.bindings.SALA);
    await runCron(target, at(10, 20), { ...target.site.bindings, SALA: counted.kv });
    expect(await views(target, 'all')).toEqual({ [PAGE]: 5 });
    expect(popularityWrites(counted.calls)).toEqual([rankingKey(target.site.id)]);
  });

  it('gives the same counts when run twice, and the second run writes nothing', async () => {
    const target = isolate(freshSite());
    await storeBatch(target.site, at(9, 20), { [PAGE]: 5, [OTHER]: 1 });
    await storeBatch(target.site, at(10, 2), { [PAGE]: 2 });
    await foldAndRank(target, at(10, 10));
    const first = await views(target, '7d');
    expect(first).toEqual({ [PAGE]: 7, [OTHER]: 1 });

    const counted = countingKv(target.site.bindings.SALA);
    await foldAndRank(target, at(10, 10), { ...target.site.bindings, SALA: counted.kv });
    expect(await views(target, '7d')).toEqual(first);
    expect(writes(counted.calls)).toEqual([]);
    // The fold, with no final hour left to fold, lists no batches: one list() for dirty markers. The ranking run:
    // one for the open hour's batches, one for comment activity, one for dirty markers.
    expect(counted.calls.filter((call) => call.method === 'list')).toHaveLength(4);
  });

  it('writes nothing on a second fold of a site no one has visited yet, and reads no hints', async () => {
    const target = isolate(freshSite());
    await runCron(target, at(10, 10));

    const counted = countingKv(target.site.bindings.SALA);
    await runCron(target, at(10, 10), { ...target.site.bindings, SALA: counted.kv });
    // Zero pages have zero hint hashes, which once read back as "no hashes stored": every fold wrote the counts.
    expect(writes(counted.calls)).toEqual([]);
    expect(counted.calls.filter((call) => call.args[0] === popularityMetaKey(target.site.id))).toEqual([]);
  });

  it('never counts a batch twice when two runs overlap, whatever order their writes land in', async () => {
    const target = isolate(freshSite());
    const other = isolate(target.site); // the trigger may fire in two isolates at once
    await storeBatch(target.site, at(9, 20), { [PAGE]: 5 });
    await storeBatch(target.site, at(10, 2), { [PAGE]: 2, [OTHER]: 4 });
    await Promise.all([runCron(target, at(10, 10)), runCron(other, at(10, 10))]);
    await Promise.all([runCron(target, at(10, 20)), runCron(other, at(10, 20))]);
    expect(await views(target, 'all')).toEqual({ [PAGE]: 7, [OTHER]: 4 });

    // A run that read the state before a newer one was written, and writes last, still counts each batch once.
    const stale = await target.site.bindings.SALA.get(popularityCountsKey(target.site.id), 'arrayBuffer');
    await storeBatch(target.site, at(10, 30), { [OTHER]: 1 });
    vi.setSystemTime(at(11, 10));
    await runCron(target, at(11, 10));
    await target.site.bindings.SALA.put(popularityCountsKey(target.site.id), stale!);
    await Promise.all([runCron(other, at(11, 50)), runCron(target, at(11, 50))]);
    expect(await views(target, 'all')).toEqual({ [PAGE]: 7, [OTHER]: 5 });
    expect(await views(target, '24h')).toEqual({ [PAGE]: 7, [OTHER]: 5 });
  });

  it('catches up on a backlog a few hours per run, each batch counted once, within the invocation’s budget', async () => {
    const target = isolate(freshSite());
    // 14 hours of busy batches the cron never saw (an outage), 20 an hour: four the day before, from 20:00, which the
    // first run's three hours end short of, and ten today.
    const start = at(10, 0) - 14 * 60 * 60_000;
    const stored: Promise<void>[] = [];
    for (let hour = 0; hour < 14; hour++) {
      for (let i = 0; i < 20; i++)
        stored.push(storeBatch(target.site, start + hour * 60 * 60_000 + i * 60_000, { [PAGE]: 1 }));
    }
    await Promise.all(stored);

    const counted = countingKv(target.site.bindings.SALA);
    await runCron(target, at(10, 10), { ...target.site.bindings, SALA: counted.kv });
    const bulkKeys = bulkReadKeys(counted.calls);
    expect(bulkKeys).toBeLessThanOrEqual(MAX_BATCH_READS);
    // Listing stops at the end of the day that holds the batches read: the later day's keys are not listed.
    const listedDays = counted.calls
      .filter((call) => call.method === 'list')
      .map((call) => String((call.args[0] as { prefix?: string }).prefix))
      .filter((prefix) => prefix.includes(`:views:${target.site.id}:`));
    const day = (time: number) => new Date(time).toISOString().slice(0, 10).replace(/-/g, '');
    expect(listedDays.some((prefix) => prefix.includes(`:${day(start)}`))).toBe(true);
    expect(listedDays.some((prefix) => prefix.includes(`:${day(at(10, 0))}`))).toBe(false);
    // Catching up, the run writes the counts it folded (the cursor is their `finalizedThrough`), not the ranking.
    expect(writes(counted.calls)).not.toContain(rankingKey(target.site.id));
    expect(counted.calls.length).toBeLessThan(1000);

    // 280 batches, at most MAX_BATCH_READS a run, whole hours at a time; then one run that ranks.
    const runs = Math.ceil(280 / (MAX_BATCH_READS - (MAX_BATCH_READS % 20))) + 1;
    for (let run = 1; run < runs; run++) await runCron(target, at(10, 10) + run * 60 * 60_000);
    await runCron(target, at(10, 20) + (runs - 1) * 60 * 60_000);
    expect(await views(target, 'all')).toEqual({ [PAGE]: 280 });
    const document = await target.site.bindings.SALA.get<RankingDocument>(rankingKey(target.site.id), 'json');
    expect(document?.rankings['all:views']).toEqual([[0, 280, 0]]);
  });

  it('takes one hour a run when each alone is over the read budget, not two, and counts them all', async () => {
    const target = isolate(freshSite());
    // Two past hours of a very busy blog, each with more batches than a run reads.
    const busy = MAX_BATCH_READS + 10;
    const start = at(10, 0) - 2 * 60 * 60_000;
    const stored: Promise<void>[] = [];
    for (let hour = 0; hour < 2; hour++) {
      for (let i = 0; i < busy; i++)
        stored.push(storeBatch(target.site, start + hour * 60 * 60_000 + i * 30_000, { [PAGE]: 1 }));
    }
    await Promise.all(stored);

    // The first run folds the empty hours before them (a new site's cron goes back as far as batches live).
    await runCron(target, at(10, 10));
    const counted = countingKv(target.site.bindings.SALA);
    await runCron(target, at(10, 20), { ...target.site.bindings, SALA: counted.kv });
    const bulkKeys = bulkReadKeys(counted.calls);
    expect(bulkKeys).toBe(busy);
    await runCron(target, at(11, 10));
    await runCron(target, at(11, 20));
    expect(await views(target, 'all')).toEqual({ [PAGE]: 2 * busy });
  });

  it('converts a version 1 state once, ranking on the next run what the version 1 code ranked', async () => {
    const v1 = JSON.parse(v1Fixture) as {
      state: PopularityStateV1;
      recentBatches: ViewBatch[];
      expectedAt1040: Record<string, Record<string, number>>;
    };
    const target = isolate(freshSite());
    const kv = target.site.bindings.SALA;
    await kv.put(popularityKey(target.site.id), JSON.stringify(v1.state));
    for (const batch of v1.recentBatches) await new ViewBatchStore(kv).put(target.site.id, batch);

    // The converting run writes the counts, the day ring, its sums and the metadata, deletes the old document, and
    // stops there.
    const counted = countingKv(kv);
    await runCron(target, at(10, 10), { ...target.site.bindings, SALA: counted.kv });
    expect(popularityWrites(counted.calls)).toEqual(
      [
        popularityCountsKey(target.site.id),
        popularityDaysKey(target.site.id),
        popularityDaySumsKey(target.site.id),
        popularityKey(target.site.id),
        popularityMetaKey(target.site.id),
      ].sort(),
    );
    expect(await kv.get(popularityKey(target.site.id))).toBeNull();
    expect(await kv.get(rankingKey(target.site.id))).toBeNull();

    vi.setSystemTime(at(10, 50));
    await runCron(target, at(10, 50));
    for (const range of ['24h', '7d', '30d', 'all'])
      expect(await views(target, range)).toEqual(v1.expectedAt1040[range]);
  });

  it('converts a large version 1 state a part per run, resuming after a run that failed, the lists unchanged until the last', async () => {
    const v1 = JSON.parse(v1Fixture) as {
      state: PopularityStateV1;
      recentBatches: ViewBatch[];
      expectedAt1040: Record<string, Record<string, number>>;
    };
    // The fixture with 250 more pages counted in every hour and day, none of them viewed: the same lists, and a
    // document several runs' parts long.
    const idle = Array.from({ length: 250 }, (_, index) => `https://blog.example.com/2029/idle-${index}`);
    const withIdle = (counts: PageCounts) => ({ ...counts, ...Object.fromEntries(idle.map((page) => [page, 0])) });
    const state: PopularityStateV1 = {
      ...v1.state,
      hours: Object.fromEntries(Object.entries(v1.state.hours).map(([hour, counts]) => [hour, withIdle(counts)])),
      days: Object.fromEntries(Object.entries(v1.state.days).map(([day, counts]) => [day, withIdle(counts)])),
      allTime: withIdle(v1.state.allTime),
    };
    const text = JSON.stringify(state);
    expect(text.length).toBeGreaterThan(3 * V1_PART_CHARS);
    const target = isolate(freshSite());
    const site = target.site.id;
    const kv = target.site.bindings.SALA;
    await kv.put(popularityKey(site), text);
    await kv.put(rankingKey(site), 'the lists the version 1 code wrote');
    for (const batch of v1.recentBatches) await new ViewBatchStore(kv).put(site, batch);

    // Every run but the last writes where the next one goes on, and nothing a reader or the lists read; the second
    // run's write fails, and the third converts that part again.
    const failing = failingPutOnce(kv, popularityConversionKey(site));
    vi.spyOn(console, 'error').mockImplementation(() => undefined); // the cron logs the stage that failed
    const parts: string[][] = [];
    const documentReads: number[] = [];
    for (let minute = 10; (await kv.get(popularityKey(site))) !== null; minute++) {
      expect(minute, 'converted by the :19 run').toBeLessThan(20);
      const counted = countingKv(parts.length === 1 ? failing.kv : kv);
      await runCron(target, at(10, minute), { ...target.site.bindings, SALA: counted.kv });
      parts.push(popularityWrites(counted.calls));
      documentReads.push(
        counted.calls.filter(({ method, args }) => method !== 'delete' && args[0] === popularityKey(site)).length,
      );
      expect(await kv.get(rankingKey(site))).toBe('the lists the version 1 code wrote');
    }
    expect(failing.failed()).toBe(true);
    expect(parts.length).toBeGreaterThan(4);
    // The isolate reads the document once: the next runs convert from its copy.
    expect(documentReads).toEqual([1, ...parts.slice(1).map(() => 0)]);
    for (const written of parts.slice(0, -1)) expect(written).toEqual([popularityConversionKey(site)]);
    expect(parts.at(-1)).toEqual(
      [
        popularityConversionKey(site),
        popularityCountsKey(site),
        popularityDaysKey(site),
        popularityDaySumsKey(site),
        popularityKey(site),
        popularityMetaKey(site),
      ].sort(),
    );
    expect(await kv.get(popularityConversionKey(site))).toBeNull();

    // The state is the one the conversion at once makes, and the next ranking run lists what version 1 listed.
    const converted = await new PopularityStore(kv).readStateAndUsage(site);
    // (Its hours after `finalizedThrough` are live, never stored: the next run reads their batches.)
    const atOnce = { ...fromV1(state), live: {} };
    expect(new Set(converted.state.pageIds)).toEqual(new Set(atOnce.pageIds));
    expect(converted.state.meta).toEqual(atOnce.meta);
    for (const range of POPULAR_RANGES)
      expect(viewsInRange(converted.state, range, at(10, 50))).toEqual(viewsInRange(atOnce, range, at(10, 50)));
    vi.setSystemTime(at(10, 50));
    await runCron(target, at(10, 50));
    for (const range of POPULAR_RANGES) expect(await views(target, range)).toEqual(v1.expectedAt1040[range]);
  });

  it('writes the counts once an hour is final, and the metadata only when a page is new or retitled', async () => {
    const target = isolate(freshSite());
    await storeBatch(target.site, at(9, 20), { [PAGE]: 5 });
    await foldAndRank(target, at(10, 10));

    await storeBatch(target.site, at(10, 20), { [PAGE]: 2 });
    const sameHour = countingKv(target.site.bindings.SALA);
    await runCron(target, at(10, 50), { ...target.site.bindings, SALA: sameHour.kv });
    // Hour 10 is not final yet and its page is known: only the ranking changes (2 more views in 24h).
    expect(popularityWrites(sameHour.calls)).toEqual([rankingKey(target.site.id)]);

    await storeBatch(target.site, at(10, 50), { [OTHER]: 1 });
    vi.setSystemTime(at(11, 10));
    const nextHour = countingKv(target.site.bindings.SALA);
    await foldAndRank(target, at(11, 10), { ...target.site.bindings, SALA: nextHour.kv });
    expect(
      writes(nextHour.calls)
        .filter((key) => !key.includes(':verified:'))
        .sort(),
    ).toEqual(
      [popularityCountsKey(target.site.id), popularityMetaKey(target.site.id), rankingKey(target.site.id)].sort(),
    );
    expect(await views(target, '24h')).toEqual({ [PAGE]: 7, [OTHER]: 1 });
  });

  it('reads the pages’ hints only on a run whose beacons bring a new page, address or title', async () => {
    const target = isolate(freshSite());
    const metaReads = (calls: { method: string; args: unknown[] }[]) =>
      calls.filter((call) => call.method === 'get' && call.args[0] === popularityMetaKey(target.site.id)).length;
    await storeBatch(target.site, at(9, 20), { [PAGE]: 5, [OTHER]: 1 });
    await foldAndRank(target, at(10, 10));

    // Same pages, same titles: the counts' hashes say nothing changed, so the 1.1 MB a big blog's hints weigh stay unread.
    await storeBatch(target.site, at(10, 20), { [PAGE]: 2, [OTHER]: 1 });
    const same = countingKv(target.site.bindings.SALA);
    await runCron(target, at(10, 50), { ...target.site.bindings, SALA: same.kv });
    expect(metaReads(same.calls)).toBe(0);
    expect(await views(target, '24h')).toEqual({ [PAGE]: 7, [OTHER]: 2 });

    // A beacon with another title: the hints are read, the new title kept, and the hashes with the counts.
    await storeBatch(target.site, at(10, 50), { [PAGE]: 1 }, { [PAGE]: { title: 'Tonle Sap by boat' } });
    vi.setSystemTime(at(11, 10));
    const retitled = countingKv(target.site.bindings.SALA);
    await foldAndRank(target, at(11, 10), { ...target.site.bindings, SALA: retitled.kv });
    expect(metaReads(retitled.calls)).toBe(1);
    expect(popularityWrites(retitled.calls)).toEqual(
      [popularityCountsKey(target.site.id), popularityMetaKey(target.site.id), rankingKey(target.site.id)].sort(),
    );
    const stored = await target.site.bindings.SALA.get<{ meta: Record<string, { title: string }> }>(
      popularityMetaKey(target.site.id),
      'json',
    );
    expect(stored?.meta[PAGE]?.title).toBe('Tonle Sap by boat');

    // The next run sees that title again: its hash is stored, nothing is read.
    await storeBatch(target.site, at(11, 20), { [PAGE]: 1 }, { [PAGE]: { title: 'Tonle Sap by boat' } });
    const again = countingKv(target.site.bindings.SALA);
    await runCron(target, at(11, 50), { ...target.site.bindings, SALA: again.kv });
    expect(metaReads(again.calls)).toBe(0);
    expect(await views(target, 'all')).toEqual({ [PAGE]: 9, [OTHER]: 2 });
  });

  it('on a ranking run, reads the hints for a page new in the open hour and leaves a retitle to the fold', async () => {
    const target = isolate(freshSite());
    const metaReads = (calls: { method: string; args: unknown[] }[]) =>
      calls.filter((call) => call.method === 'get' && call.args[0] === popularityMetaKey(target.site.id)).length;
    await storeBatch(target.site, at(9, 20), { [PAGE]: 5 });
    await foldAndRank(target, at(10, 10));

    // Another title for a listed page: the ranking run hashes no hint; the fold of that hour will read them.
    await storeBatch(target.site, at(10, 30), { [PAGE]: 1 }, { [PAGE]: { title: 'Tonle Sap by boat' } });
    const retitled = countingKv(target.site.bindings.SALA);
    await runCron(target, at(10, 50), { ...target.site.bindings, SALA: retitled.kv });
    expect(metaReads(retitled.calls)).toBe(0);
    expect(await views(target, '24h')).toEqual({ [PAGE]: 6 });

    // A new post: its hint is read, so the run reads the page and lists it.
    await storeBatch(target.site, at(10, 40), { [OTHER]: 2 });
    const added = countingKv(target.site.bindings.SALA);
    await runCron(target, at(10, 50), { ...target.site.bindings, SALA: added.kv });
    expect(metaReads(added.calls)).toBe(1);
    expect(await views(target, '24h')).toEqual({ [PAGE]: 6, [OTHER]: 2 });

    // The fold reads the hints for the new title and keeps it.
    vi.setSystemTime(at(11, 10));
    const folded = countingKv(target.site.bindings.SALA);
    await runCron(target, at(11, 10), { ...target.site.bindings, SALA: folded.kv });
    expect(metaReads(folded.calls)).toBe(1);
    const stored = await target.site.bindings.SALA.get<{ meta: Record<string, { title: string }> }>(
      popularityMetaKey(target.site.id),
      'json',
    );
    expect(stored?.meta[PAGE]?.title).toBe('Tonle Sap by boat');
  });

  it('reads a format 2 counts value (no hashes), reads the hints and stores their hashes with the next fold', async () => {
    const target = isolate(freshSite());
    await storeBatch(target.site, at(9, 20), { [PAGE]: 5 });
    await foldAndRank(target, at(10, 10));
    // The counts as the code before the hashes wrote them: format 2, no hash column.
    const kv = target.site.bindings.SALA;
    const current = await storedFormat4(kv, target.site.id);
    await kv.put(popularityCountsKey(target.site.id), float64Counts(current, 2));

    await storeBatch(target.site, at(10, 20), { [PAGE]: 2 });
    const upgrade = countingKv(kv);
    await runCron(target, at(10, 50), { ...target.site.bindings, SALA: upgrade.kv });
    expect(await views(target, '24h')).toEqual({ [PAGE]: 7 });
    // A ranking run reads the hints (the ranking changed: 2 more views) and leaves the counts to the fold.
    expect(popularityWrites(upgrade.calls)).toEqual([rankingKey(target.site.id)]);
    expect(new Uint32Array((await kv.get(popularityCountsKey(target.site.id), 'arrayBuffer'))!, 0, 1)[0]).toBe(2);
    vi.setSystemTime(at(11, 10));
    await runCron(target, at(11, 10));
    const after = await kv.get(popularityCountsKey(target.site.id), 'arrayBuffer');
    expect(new Uint32Array(after!, 0, 1)[0]).toBe(6);
  });

  it('reads the hints once after the hint hash changed, rewrites the counts with the new hashes, and lists the same titles meanwhile', async () => {
    const fetched = serveBlog();
    const target = isolate(freshSite());
    const kv = target.site.bindings.SALA;
    const metaReads = (calls: { method: string; args: unknown[] }[]) =>
      calls.filter((call) => call.method === 'get' && call.args[0] === popularityMetaKey(target.site.id)).length;
    await storeBatch(target.site, at(9, 20), { [PAGE]: 5, [OTHER]: 2 });
    await foldAndRank(target, at(10, 10));
    const listed = await titles(target, '24h');
    expect(Object.keys(listed).sort()).toEqual([PAGE, OTHER].sort());
    // The counts as the code before wrote them: each slot's hash taken over the UTF-8 bytes.
    const hints = (await kv.get<{ meta: Record<string, { url: string; title: string }> }>(
      popularityMetaKey(target.site.id),
      'json',
    ))!.meta;
    const counts = (await kv.get(popularityCountsKey(target.site.id), 'arrayBuffer'))!;
    const before = decodeCounts(counts)!;
    const current = [...before.hints!];
    before.pageIds.forEach((pageId, slot) => (before.hints![slot] = utf8HintHash(hints[pageId]!)));
    await kv.put(popularityCountsKey(target.site.id), counts);

    // Ranking runs before the first fold list the same titles: the pages read within 6 hours are not read again, and
    // those read before are read again as after a retitle.
    await storeBatch(target.site, at(10, 20), { [PAGE]: 2, [OTHER]: 1 });
    const ranked = countingKv(kv);
    await runCron(target, at(10, 50), { ...target.site.bindings, SALA: ranked.kv });
    expect(popularityWrites(ranked.calls)).toEqual([rankingKey(target.site.id)]);
    expect(await titles(target, '24h')).toEqual(listed);
    expect(fetched.length).toBe(2);
    vi.setSystemTime(at(16, 50));
    await runCron(target, at(16, 50));
    expect(fetched.length).toBe(4);
    expect(await titles(target, '24h')).toEqual(listed);

    // The first fold: no beacon agrees with its slot, so the hints are read once and the counts take the new hashes.
    vi.setSystemTime(at(17, 10));
    const upgrade = countingKv(kv);
    await runCron(target, at(17, 10), { ...target.site.bindings, SALA: upgrade.kv });
    expect(metaReads(upgrade.calls)).toBe(1);
    expect(popularityWrites(upgrade.calls)).toEqual([popularityCountsKey(target.site.id)]);
    const after = decodeCounts((await kv.get(popularityCountsKey(target.site.id), 'arrayBuffer'))!)!;
    expect([...after.hints!]).toEqual(current);

    // The next fold finds every hash agreeing: nothing read.
    await storeBatch(target.site, at(17, 20), { [PAGE]: 1, [OTHER]: 1 });
    vi.setSystemTime(at(18, 10));
    const next = countingKv(kv);
    await foldAndRank(target, at(18, 10), { ...target.site.bindings, SALA: next.kv });
    expect(metaReads(next.calls)).toBe(0);
    expect(await titles(target, '24h')).toEqual(listed);
    expect(await views(target, '24h')).toEqual({ [PAGE]: 8, [OTHER]: 4 });
  });

  it('reads a format 3 counts value (Float64 cells) as it was, and the next fold writes it as format 6', async () => {
    const target = isolate(freshSite());
    await storeBatch(target.site, at(9, 20), { [PAGE]: 5, [OTHER]: 2.5 });
    await foldAndRank(target, at(10, 10));
    const kv = target.site.bindings.SALA;
    const old = float64Counts(await storedFormat4(kv, target.site.id), 3);
    await kv.put(popularityCountsKey(target.site.id), old);

    await storeBatch(target.site, at(10, 20), { [PAGE]: 2 });
    vi.setSystemTime(at(11, 10));
    const fold = countingKv(kv);
    await runCron(target, at(11, 10), { ...target.site.bindings, SALA: fold.kv });
    // Its hashes are read with it: the fold reads no hints, and writes the counts and the day ring they held.
    expect(fold.calls.some((call) => call.args[0] === popularityMetaKey(target.site.id))).toBe(false);
    expect(popularityWrites(fold.calls)).toEqual(
      [
        popularityCountsKey(target.site.id),
        popularityDaysKey(target.site.id),
        popularityDaySumsKey(target.site.id),
      ].sort(),
    );
    const after = (await kv.get(popularityCountsKey(target.site.id), 'arrayBuffer'))!;
    expect(new Uint32Array(after, 0, 1)[0]).toBe(6);
    expect(after.byteLength).toBeLessThan(old.byteLength);
    await runCron(target, at(11, 20));
    expect(await views(target, '24h')).toEqual({ [PAGE]: 7, [OTHER]: 2.5 });
    expect(await views(target, 'all')).toEqual({ [PAGE]: 7, [OTHER]: 2.5 });
  });

  it('reads a page again a week later at the address it was read at, without reading the hints', async () => {
    const fetched = serveBlog();
    const target = isolate(freshSite());
    await storeBatch(target.site, at(9, 20), { [PAGE]: 5 });
    await foldAndRank(target, at(10, 10));
    expect(fetched).toEqual([PAGE]);

    const week = 7 * 24 * 60 * 60_000;
    await storeBatch(target.site, at(10, 20) + week, { [PAGE]: 1 });
    vi.setSystemTime(at(10, 50) + week);
    const recheck = countingKv(target.site.bindings.SALA);
    await runCron(target, at(10, 50) + week, { ...target.site.bindings, SALA: recheck.kv });
    expect(fetched).toEqual([PAGE, PAGE]);
    expect(recheck.calls.filter((call) => call.args[0] === popularityMetaKey(target.site.id))).toEqual([]);
  });

  it('reads and writes the ring of past days only when a day ends, and a fold failing between its writes counts nothing twice', async () => {
    const target = isolate(freshSite());
    const days = popularityDaysKey(target.site.id);
    const counts = popularityCountsKey(target.site.id);
    const dayRing = (calls: { args: unknown[] }[]) => calls.filter((call) => call.args[0] === days).length;
    await storeBatch(target.site, at(21, 20), { [PAGE]: 5 });
    vi.setSystemTime(at(22, 10));
    await runCron(target, at(22, 10));
    await storeBatch(target.site, at(22, 20), { [PAGE]: 3, [OTHER]: 1 });
    vi.setSystemTime(at(23, 10));
    const sameDay = countingKv(target.site.bindings.SALA);
    await runCron(target, at(23, 10), { ...target.site.bindings, SALA: sameDay.kv });
    expect(popularityWrites(sameDay.calls)).toContain(counts);
    expect(dayRing(sameDay.calls)).toBe(0);

    // Hour 23 ends the day: the fold at 00:10 folds it into the current day; the one at 01:10, folding hour 0 of the
    // next day, moves that day into the ring, written before the counts.
    await storeBatch(target.site, at(23, 20), { [PAGE]: 2 });
    await storeBatch(target.site, at(24, 20), { [OTHER]: 4 });
    vi.setSystemTime(at(24, 10));
    await runCron(target, at(24, 10));
    vi.setSystemTime(at(25, 10));
    // The counts' put fails once, after the day ring's landed.
    const failing = failingPutOnce(target.site.bindings.SALA, counts);
    vi.spyOn(console, 'error').mockImplementation(() => undefined); // the cron logs the stage that failed
    await runCron(target, at(25, 10), { ...target.site.bindings, SALA: failing.kv });
    expect(failing.failed()).toBe(true);
    expect(await target.site.bindings.SALA.get(days)).not.toBeNull();

    const ended = countingKv(target.site.bindings.SALA);
    await runCron(target, at(25, 10), { ...target.site.bindings, SALA: ended.kv });
    const puts = ended.calls.filter((call) => call.method === 'put').map((call) => call.args[0]);
    expect(puts.filter((key) => key === days || key === counts)).toEqual([days, counts]);
    await runCron(target, at(25, 20));
    expect(await views(target, '7d')).toEqual({ [PAGE]: 10, [OTHER]: 5 });
    expect(await views(target, '30d')).toEqual({ [PAGE]: 10, [OTHER]: 5 });
    expect(await views(target, 'all')).toEqual({ [PAGE]: 10, [OTHER]: 5 });
    expect(await views(target, '24h')).toEqual({ [PAGE]: 10, [OTHER]: 5 });

    // The next day's folds neither read nor write the ring; a ranking run reads its sums for the 7 and 30 days.
    await storeBatch(target.site, at(25, 20), { [PAGE]: 1 });
    vi.setSystemTime(at(26, 10));
    const nextHour = countingKv(target.site.bindings.SALA);
    await runCron(target, at(26, 10), { ...target.site.bindings, SALA: nextHour.kv });
    expect(popularityWrites(nextHour.calls)).toEqual([counts]);
    expect(dayRing(nextHour.calls)).toBe(0);
    const ranking = countingKv(target.site.bindings.SALA);
    await runCron(target, at(26, 20), { ...target.site.bindings, SALA: ranking.kv });
    expect(dayRing(ranking.calls)).toBe(0);
    expect(ranking.calls.filter((call) => call.args[0] === popularityDaySumsKey(target.site.id))).toHaveLength(1);
    expect(await views(target, '7d')).toEqual({ [PAGE]: 11, [OTHER]: 5 });
    // The admin Posts tab reads the sums too, and the ring only from 00:00 to the day's first fold.
    const postsTab = countingKv(target.site.bindings.SALA);
    await new PopularityStore(postsTab.kv).readForWindows(target.site.id, at(26, 30));
    expect(dayRing(postsTab.calls)).toBe(0);
    await new PopularityStore(postsTab.kv).readForWindows(target.site.id, at(48, 5));
    expect(dayRing(postsTab.calls)).toBe(1);
  });

  it('counts a day an outage skipped once, when the fold catching up on it fails after writing the day ring', async () => {
    const target = isolate(freshSite());
    const counts = popularityCountsKey(target.site.id);
    await storeBatch(target.site, at(21, 20), { [PAGE]: 1 });
    vi.setSystemTime(at(22, 10));
    await runCron(target, at(22, 10));
    // Down from 22:10 until 01:10 two days later: all of the next day is folded by one run, into the day ring.
    await storeBatch(target.site, at(30, 20), { [PAGE]: 2 });
    await storeBatch(target.site, at(47, 20), { [PAGE]: 4 });
    await storeBatch(target.site, at(48, 20), { [PAGE]: 8 });
    vi.setSystemTime(at(49, 10));
    const failing = failingPutOnce(target.site.bindings.SALA, counts);
    vi.spyOn(console, 'error').mockImplementation(() => undefined); // the cron logs the stage that failed
    await runCron(target, at(49, 10), { ...target.site.bindings, SALA: failing.kv });
    expect(failing.failed()).toBe(true);
    await runCron(target, at(49, 10));
    await runCron(target, at(49, 20));
    expect(await views(target, '30d')).toEqual({ [PAGE]: 15 });
    expect(await views(target, '7d')).toEqual({ [PAGE]: 15 });
  });

  it('ranks a 5,000-page blog as it did when the counts held the days (format 4), across the end of a day', async () => {
    const pages = Array.from({ length: 5000 }, (_, post) => `https://blog.example.com/2030/01/post-${post}`);
    // Every post in every hour, a long tail with fractions (sampled views), and no two the same.
    const viewsIn = (hour: number) =>
      Object.fromEntries(
        pages.map((page, post) => [page, Math.round((4000 / (post + 1)) * 4 + ((post * 7 + hour) % 5)) / 4]),
      );
    const split = isolate(freshSite());
    const whole = isolate(freshSite());
    for (const target of [split, whole])
      for (let hour = 20; hour <= 25; hour++) await storeBatch(target.site, at(hour, 20), viewsIn(hour));
    for (const target of [split, whole]) {
      vi.setSystemTime(at(22, 10));
      await runCron(target, at(22, 10));
    }
    // The one-document layout: the counts and the day ring as format 4 wrote them, no day ring of its own.
    const kv = whole.site.bindings.SALA;
    await kv.put(popularityCountsKey(whole.site.id), await storedFormat4(kv, whole.site.id));
    await kv.delete(popularityDaysKey(whole.site.id));
    const stored = async (target: Isolate) => {
      const document = await target.site.bindings.SALA.get<RankingDocument>(rankingKey(target.site.id), 'json');
      return { pages: document?.pages.map((page) => page.pageId), rankings: document?.rankings };
    };
    for (const hour of [22, 23, 24, 25, 26]) {
      vi.setSystemTime(at(hour, 10));
      for (const target of [split, whole]) await foldAndRank(target, at(hour, 10));
      const lists = await stored(split);
      expect(lists.pages?.length).toBeGreaterThan(0);
      expect(lists).toEqual(await stored(whole));
    }
  }, 60_000);

  it('writes the counts and the day ring in one value when a fold drops pages at the cap, then apart again', async () => {
    const target = isolate(freshSite());
    const kv = target.site.bindings.SALA;
    const pages = Array.from({ length: 5000 }, (_, post) => `https://blog.example.com/2030/01/post-${post}`);
    const everyPage = Object.fromEntries(pages.map((page, post) => [page, post < 3 ? 100 - post : 1]));
    forgetPageHashes(); // as a fresh isolate: earlier tests hashed these page ids
    await storeBatch(target.site, at(22, 20), everyPage);
    await storeBatch(target.site, at(23, 20), everyPage);
    // Hour 0 of the next day brings a page beyond the 5,000: the least viewed one loses its slot.
    await storeBatch(target.site, at(24, 20), { ...everyPage, [PAGE]: 500 });
    for (const hour of [23, 24]) {
      vi.setSystemTime(at(hour, 10));
      await runCron(target, at(hour, 10));
    }
    vi.setSystemTime(at(25, 10));
    const dropping = countingKv(kv);
    await runCron(target, at(25, 10), { ...target.site.bindings, SALA: dropping.kv });
    const counts = popularityCountsKey(target.site.id);
    expect(popularityWrites(dropping.calls)).toEqual([counts, popularityMetaKey(target.site.id)].sort());
    expect(new Uint32Array((await kv.get(counts, 'arrayBuffer'))!, 0, 1)[0]).toBe(7);
    // The page hashes moved with the slots: 500 taken by each of the three folds, less the dropped page's (post-999,
    // one of the least viewed, the later id), none yet for the new page.
    expect(await storedPageHashes(kv, target.site.id)).toBe(3 * PAGE_HASHES_PER_WRITE - 1);
    await runCron(target, at(25, 20));
    // The first three, as a ranking run reads three pages (the lists show only pages read).
    const expected = { [PAGE]: 500, [pages[0]!]: 300, [pages[1]!]: 297 };
    expect(Object.fromEntries(Object.entries(await views(target, '7d')).slice(0, 3))).toEqual(expected);

    vi.setSystemTime(at(26, 10));
    const apart = countingKv(kv);
    await storeBatch(target.site, at(25, 20), { [PAGE]: 1 });
    await runCron(target, at(26, 10), { ...target.site.bindings, SALA: apart.kv });
    expect(popularityWrites(apart.calls)).toEqual(
      [counts, popularityDaysKey(target.site.id), popularityDaySumsKey(target.site.id)].sort(),
    );
    expect(new Uint32Array((await kv.get(counts, 'arrayBuffer'))!, 0, 1)[0]).toBe(6);
    // Every one now: the isolate had the rest (this test's `pageRef`s), which cost no digest.
    expect(await storedPageHashes(kv, target.site.id)).toBe(5000);
    await runCron(target, at(26, 20));
    expect(Object.fromEntries(Object.entries(await views(target, '7d')).slice(0, 3))).toEqual({
      ...expected,
      [PAGE]: 501,
    });
  }, 60_000);
});

describe('page hashes kept with the counts', () => {
  const pages = Array.from({ length: 6 }, (_, post) => `https://blog.example.com/2030/01/post-${post}`);

  /** Comments on every third of `pageIds` (more on later ones), as the thread rebuild writes their count keys. */
  async function comment(kv: KVNamespace, site: string, pageIds: readonly string[]): Promise<void> {
    for (const [post, pageId] of pageIds.entries()) {
      if (post % 3 !== 0) continue;
      const metadata = { total: post + 1, last: new Date(at(9, 30)).toISOString(), days: { '2030-01-15': post + 1 } };
      await kv.put(countKey(await pageRef(site, pageId)), String(metadata.total), { metadata });
    }
  }

  async function mostCommented(target: Isolate): Promise<[string, number][]> {
    const sent = await send<PopularPostsResponse>(
      'GET',
      `/api/v1/popular?site=${target.site.id}&range=7d&by=comments&limit=20`,
      { worker: target.worker, bindings: target.site.bindings },
    );
    return sent.body.posts.map((post) => [post.pageId, post.comments]);
  }

  function countsFormat(counts: ArrayBuffer | null): number | undefined {
    return counts === null ? undefined : new Uint32Array(counts, 0, 1)[0];
  }

  it('ranks by comments from the hashes the counts keep, hashing no page id, and from older counts as before', async () => {
    const target = isolate(freshSite());
    const kv = target.site.bindings.SALA;
    const counts = popularityCountsKey(target.site.id);
    const digestsOf = async (when: number, bindings = target.site.bindings) => {
      vi.setSystemTime(when);
      forgetPageHashes(); // a fresh isolate
      const digests = countDigests(pages);
      await runCron(target, when, bindings);
      return digests.stop();
    };
    await storeBatch(target.site, at(9, 20), Object.fromEntries(pages.map((pageId, post) => [pageId, post + 1])));
    await comment(kv, target.site.id, pages);
    expect(await digestsOf(at(10, 10))).toBe(pages.length); // the fold hashes the pages it gives a slot
    expect(countsFormat(await kv.get(counts, 'arrayBuffer'))).toBe(6);
    // Two ranking runs read every page (3 a run): the lists then show every commented one.
    expect(await digestsOf(at(10, 20))).toBe(0);
    expect(await digestsOf(at(10, 50))).toBe(0);
    const expected = [
      [pages[3], 4],
      [pages[0], 1],
    ];
    expect(await mostCommented(target)).toEqual(expected);

    // Counts written before the page hashes were kept (format 5): a ranking run hashes every page id, as before,
    // and writes no counts.
    expect(await digestsOf(at(11, 10))).toBe(0);
    await kv.put(counts, withoutPageHashes((await kv.get(counts, 'arrayBuffer'))!));
    const oldRanking = countingKv(kv);
    expect(await digestsOf(at(11, 20), { ...target.site.bindings, SALA: oldRanking.kv })).toBe(pages.length);
    expect(popularityWrites(oldRanking.calls)).toEqual([]);
    expect(await mostCommented(target)).toEqual(expected);

    // The next fold writes the hashes with the counts it writes anyway: no write of their own.
    const fold = countingKv(kv);
    expect(await digestsOf(at(12, 10), { ...target.site.bindings, SALA: fold.kv })).toBe(pages.length);
    expect(popularityWrites(fold.calls)).toEqual([counts]);
    expect(countsFormat(await kv.get(counts, 'arrayBuffer'))).toBe(6);
    expect(await digestsOf(at(12, 20))).toBe(0);
    expect(await mostCommented(target)).toEqual(expected);
  });

  it('hashes a bounded few pages per fold: older counts of more pages gain their hashes over two folds', async () => {
    const many = Array.from(
      { length: PAGE_HASHES_PER_WRITE + 100 },
      (_, post) => `https://blog.example.com/2030/01/many-${post}`,
    );
    const target = isolate(freshSite());
    const kv = target.site.bindings.SALA;
    const counts = popularityCountsKey(target.site.id);
    await storeBatch(target.site, at(9, 20), Object.fromEntries(many.map((pageId) => [pageId, 1])));
    await comment(kv, target.site.id, many.slice(0, 1));
    await runCron(target, at(10, 10));
    await kv.put(counts, withoutPageHashes((await kv.get(counts, 'arrayBuffer'))!));

    const digestsOf = async (when: number) => {
      vi.setSystemTime(when);
      forgetPageHashes();
      const digests = countDigests(many);
      await runCron(target, when);
      return digests.stop();
    };
    // Each fold hashes at most its share; each ranking run (comments to map) hashes the pages still without one.
    expect(await digestsOf(at(11, 10))).toBe(PAGE_HASHES_PER_WRITE);
    expect(await digestsOf(at(11, 20))).toBe(100);
    expect(await digestsOf(at(12, 10))).toBe(100);
    expect(await digestsOf(at(12, 20))).toBe(0);
  });
});

describe('comments in the lists', () => {
  const pages = Array.from({ length: 80 }, (_, post) => `https://blog.example.com/2030/01/note-${post}`);
  /** A page first seen in the open hour: the counts keep no hash for it, so the run hashes its id. */
  const NEW_PAGE = 'https://blog.example.com/2030/01/new-this-hour';
  /** Days around the ranking run's (2030-01-15): each range's first and last day, and the days just outside them. */
  const DAYS = ['2030-01-15', '2030-01-14', '2030-01-13', '2030-01-09', '2030-01-08', '2029-12-17', '2029-12-16'];

  type Lists = Record<string, [pageId: string, views: number, comments: number][]>;
  /** The pages the last `rankingRun` read and kept the records of. */
  let listedByRun: ListedPages | undefined;

  /**
   * Comments on two pages in three, on a few of `DAYS` each, as the thread rebuild writes their count keys, on the
   * new page today, and on a page no view was counted for. Returns each page's activity as the ranking takes it.
   */
  async function comment(kv: KVNamespace, site: string): Promise<Record<string, CommentActivity>> {
    const activity: Record<string, CommentActivity> = {};
    for (const [post, pageId] of [...pages, NEW_PAGE, 'https://blog.example.com/never-viewed'].entries()) {
      if (post % 3 === 1) continue;
      const days: Record<string, number> = pageId === NEW_PAGE ? { [DAYS[0]!]: 5 } : {};
      for (let n = 0; n < 1 + (post % 4) && pageId !== NEW_PAGE; n++)
        days[DAYS[(post + n * 3) % DAYS.length]!] = 1 + ((post + n) % 3);
      const total = Object.values(days).reduce((sum, count) => sum + count, 0) + (post % 5);
      const metadata = { total, last: new Date(at(9, post % 60)).toISOString(), days };
      await kv.put(countKey(await pageRef(site, pageId)), String(total), { metadata });
      activity[pageId] = { total, perDay: days };
    }
    return activity;
  }

  /**
   * A ranking run (:20) on `kv` as it is, in a fresh isolate, every page the lists may show read: its lists as page
   * id and counts, checked against a plain sort of the views and comments of every page the run counts.
   */
  async function rankingRun(kv: KVNamespace, site: string, now: number, commented: CommentActivityByPage) {
    forgetPageHashes();
    const read = await new PopularityStore(kv).readCountsAndUsage(site);
    const activity = await listCommentActivity(kv, site);
    const readPages = async (_: unknown, listed: ListedPages) => {
      listedByRun = listed;
      return Object.fromEntries(
        [...listed.kept].map((pageId) => [pageId, { url: pageId, title: pageId, labels: [], updatedAt: '' }]),
      );
    };
    const { state } = await refreshPopularity(kv, site, now, read, activity, readPages, undefined, 'rank');
    const document = (await kv.get<RankingDocument>(rankingKey(site), 'json'))!;
    const lists: Lists = {};
    for (const [key, entries] of Object.entries(document.rankings))
      lists[key] = entries.map(([index, views, comments]) => [document.pages[index]!.url, views, comments]);

    const counted = new Set([...state.pageIds, ...Object.values(state.live).flatMap((hour) => Object.keys(hour))]);
    const comments = Object.fromEntries(Object.entries(commented).filter(([pageId]) => counted.has(pageId)));
    const expected: Lists = {};
    for (const range of POPULAR_RANGES) {
      for (const by of POPULAR_BYS) {
        expected[`${range}:${by}`] = rankPages(state, comments, { range, by, now })
          .slice(0, RANKING_DEPTH)
          .map(({ pageId, views, comments }) => [pageId, views, comments]);
      }
    }
    expect(lists).toEqual(expected);
    return lists;
  }

  it('ranks every counted page with its comments in each range, as a plain sort of them all would', async () => {
    const target = isolate(freshSite());
    const kv = target.site.bindings.SALA;
    // Views with many ties, so comments order pages of equal views, and views pages of equal comments.
    await storeBatch(target.site, at(9, 20), Object.fromEntries(pages.map((pageId, post) => [pageId, 1 + (post % 7)])));
    const commented = await comment(kv, target.site.id);
    vi.setSystemTime(at(10, 10));
    await runCron(target, at(10, 10)); // the fold: the counts, with every page's hash
    await storeBatch(target.site, at(10, 12), { [NEW_PAGE]: 3, [pages[0]!]: 2 });

    vi.setSystemTime(at(10, 20));
    const lists = await rankingRun(kv, target.site.id, at(10, 20), commented);
    // Pages in every range's comments list (all 50 of all time), this hour's new page with today's, and more
    // comments in a wider range.
    for (const range of POPULAR_RANGES) expect(lists[`${range}:comments`]!.length).toBeGreaterThan(5);
    expect(lists['all:comments']!.length).toBe(RANKING_DEPTH);
    expect(lists['24h:comments']!).toContainEqual([NEW_PAGE, 3, 5]);
    const sum = (range: string) => lists[`${range}:comments`]!.reduce((total, [, , count]) => total + count, 0);
    expect(sum('24h')).toBeLessThan(sum('7d'));
    expect(sum('7d')).toBeLessThan(sum('30d'));
    expect(sum('30d')).toBeLessThan(sum('all'));
    // The pages read are each list's first 60 and those with the newest comments: a page below them in every list
    // (one view, no comment) is kept, not read (a page fetch each, three a run).
    expect(listedByRun!.kept.has(pages[7]!)).toBe(true);
    expect(listedByRun!.read.has(pages[7]!)).toBe(false);

    // Count keys naming their page, as the thread rebuild writes them now, every other one (the rest written before,
    // found by the hashes the counts keep): the same lists, and the new page (no hash kept) placed by its id, unhashed.
    const everyPage = [...pages, NEW_PAGE];
    const digestsOf = async () => {
      const digests = countDigests(everyPage);
      expect(await rankingRun(kv, target.site.id, at(10, 20), commented)).toEqual(lists);
      return digests.stop();
    };
    await nameKeys(
      kv,
      target.site.id,
      everyPage.filter((_, post) => post % 2 === 0),
    );
    expect(await digestsOf()).toBe(0);
    // Counts written before the page hashes were kept (format 5): the pages without a named key are hashed, and the
    // lists are the same. Every key named, the never viewed page's too: no page id hashed at all.
    const counts = popularityCountsKey(target.site.id);
    await kv.put(counts, withoutPageHashes((await kv.get(counts, 'arrayBuffer'))!));
    expect(await digestsOf()).toBeGreaterThan(0);
    await nameKeys(kv, target.site.id, [...everyPage, 'https://blog.example.com/never-viewed']);
    expect(await digestsOf()).toBe(0);
  });

  it('ranks pages whose keys hold a month and a day of comment days as a plain sort would, at the day’s first run', async () => {
    const target = isolate(freshSite());
    const kv = target.site.bindings.SALA;
    await storeBatch(
      target.site,
      at(-1, 20),
      Object.fromEntries(pages.map((pageId, post) => [pageId, 1 + (post % 7)])),
    );
    // Every page a key of 31 days, each day's count its own, the newest today on most, days or weeks ago on every
    // fifth (so some days fall out of the 30 and the 7); tomorrow's on a few (a clock ahead), a day not on the
    // calendar on one, as the key's check lets them through.
    const commented: Record<string, CommentActivity> = {};
    for (const [post, pageId] of pages.entries()) {
      const newest = at(0, 5) - (post % 5 === 0 ? post % 40 : 0) * DAY_MS;
      const days: Record<string, number> = {};
      for (let ago = 30; ago >= 0; ago--) days[utcDay(newest - ago * DAY_MS)] = 1 + ((post * 7 + ago) % 5);
      if (post % 11 === 3) days['2030-01-16'] = 2;
      if (post === 4) days['2029-12-32'] = 9;
      const total = Object.values(days).reduce((sum, count) => sum + count, 0) + (post % 4);
      const metadata = { total, last: new Date(newest).toISOString(), days, ...(post % 2 === 0 && { pageId }) };
      await kv.put(countKey(await pageRef(target.site.id, pageId)), String(total), { metadata });
      commented[pageId] = { total, perDay: days };
    }
    vi.setSystemTime(at(0, 10));
    await runCron(target, at(0, 10)); // the fold of yesterday's last hour, at 00:10 UTC

    vi.setSystemTime(at(0, 20));
    const lists = await rankingRun(kv, target.site.id, at(0, 20), commented);
    for (const range of POPULAR_RANGES) expect(lists[`${range}:comments`]!.length).toBe(RANKING_DEPTH);
    // Note 4's key: its 24 hours are yesterday's and today's counts, not the day off the calendar.
    const note4 = (range: string) => lists[`${range}:comments`]!.find(([pageId]) => pageId === pages[4])?.[2];
    expect(note4('24h')).toBe(
      commented[pages[4]!]!.perDay['2030-01-14']! + commented[pages[4]!]!.perDay['2030-01-15']!,
    );
  });

  /** Names its page in each count key of `pageIds` (those with comments), as the thread rebuild writes them now. */
  async function nameKeys(kv: KVNamespace, site: string, pageIds: readonly string[]): Promise<void> {
    for (const pageId of pageIds) {
      const key = countKey(await pageRef(site, pageId));
      const { value, metadata } = await kv.getWithMetadata<CountKeyMetadata>(key);
      if (value !== null) await kv.put(key, value, { metadata: { ...metadata!, pageId } });
    }
  }
});

/** `kv` whose first put of `key` fails, as a KV write can; every other call goes through. */
function failingPutOnce(kv: KVNamespace, key: string): { kv: KVNamespace; failed: () => boolean } {
  let failed = false;
  const failing = new Proxy(kv, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property !== 'put') return typeof value === 'function' ? value.bind(target) : value;
      return (putKey: string, ...rest: unknown[]) => {
        if (putKey === key && !failed) {
          failed = true;
          return Promise.reject(new Error('KV put failed'));
        }
        return (value as (...args: unknown[]) => Promise<void>).call(target, putKey, ...rest);
      };
    },
  });
  return { kv: failing, failed: () => failed };
}
