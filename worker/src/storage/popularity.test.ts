/**
 * The column store against a plain reference: random views over random days, folded by cron runs at random times
 * (outages included) with the state written to and read back from its stored form between runs, give the rankings
 * a straightforward sum over every batch gives.
 */
import { describe, expect, it } from 'vitest';
import {
  aggregate,
  allTimeViews,
  daySumsOf,
  daySumsServe,
  emptyPopularityState,
  hourViews,
  hoursToCollect,
  type PopularityState,
} from '../domain/popularity.js';
import type { StoredPageMeta } from '../domain/popularity.js';
import {
  POPULAR_BYS,
  POPULAR_RANGES,
  buildRankingDocument,
  windowViews,
  type CommentActivityByPage,
  type RankingDocument,
} from '../domain/ranking.js';
import { HOUR_MS, hourStart, lastDays, lastHours, utcDay } from '../domain/utc-time.js';
import type { ViewBatch } from '../domain/view-buffer.js';
import { decodeCounts, decodeDaySums, decodeDays, encodeCounts, encodeDaySums, encodeDays } from './popularity.js';
// The cost benchmark's seeded generator: a failing case replays from its seed.
import { seededRandom } from '../../bench/random.js';

const START = Date.parse('2025-01-01T00:00:00Z');

function meta(pageId: string): StoredPageMeta {
  return { url: `https://blog.example.com/${pageId}`, title: `Title of ${pageId}`, labels: [], updatedAt: '' };
}

interface World {
  batches: ViewBatch[];
  /**
   * Each batch's flush time, hour, day and views, found once: the reference sums over them at every comparison.
   */
  flushed: { at: number; hour: string; day: string; views: [page: string, count: number][] }[];
  byHour: Map<string, ViewBatch[]>;
  comments: CommentActivityByPage;
  /** What the lists may show: the pages read so far (a quarter never were). */
  shown: Record<string, StoredPageMeta>;
  end: number;
}

function world(seed: number): World {
  const next = seededRandom(seed);
  const pick = (n: number) => Math.floor(next() * n);
  const pages = Array.from({ length: 3 + pick(40) }, (_, i) => `p${i}`);
  const days = 10 + pick(30);
  const end = START + days * 24 * HOUR_MS;
  const batches: ViewBatch[] = [];
  for (let hour = START; hour < end; hour += HOUR_MS) {
    for (let n = pick(4); n > 0; n--) {
      const flushedAt = new Date(hour + pick(HOUR_MS)).toISOString();
      const views: Record<string, number> = {};
      // Popular pages first (a long tail), weights up to 5, now and then a sampled view worth 10.
      for (let k = 1 + pick(6); k > 0; k--) {
        const page = pages[Math.floor(next() * next() * pages.length)]!;
        views[page] = (views[page] ?? 0) + (next() < 0.05 ? 10 : 1 + pick(5));
      }
      const id = `${flushedAt}-${batches.length}`;
      batches.push({ id, flushedAt, views, meta: Object.fromEntries(Object.keys(views).map((p) => [p, meta(p)])) });
    }
  }
  const comments: Record<string, { total: number; perDay: Record<string, number> }> = {};
  for (const page of [...pages, 'commented-only']) {
    if (next() < 0.5) continue;
    const activity = (comments[page] = { total: pick(3), perDay: {} as Record<string, number> });
    for (let n = pick(6); n > 0; n--) {
      const day = utcDay(START + pick(days) * 24 * HOUR_MS);
      activity.perDay[day] = (activity.perDay[day] ?? 0) + 1;
      activity.total += 1;
    }
  }
  const shown = Object.fromEntries(pages.filter((_, i) => i % 4 !== 3).map((page) => [page, meta(page)]));
  const byHour = new Map<string, ViewBatch[]>();
  for (const batch of batches) {
    const hour = hourStart(Date.parse(batch.flushedAt));
    byHour.set(hour, [...(byHour.get(hour) ?? []), batch]);
  }
  const flushed = batches.map((batch) => {
    const at = Date.parse(batch.flushedAt);
    return { at, hour: hourStart(at), day: utcDay(at), views: Object.entries(batch.views) };
  });
  return { batches, flushed, byHour, comments, shown, end };
}

/**
 * The state as the next run reads it back from KV: counts and day ring through their binary forms, metadata
 * through JSON.
 */
function readBack(state: PopularityState): PopularityState {
  const stored = decodeCounts(encodeCounts(state).slice(0));
  expect(stored).not.toBeNull();
  const days = decodeDays(encodeDays(state.days!).slice(0));
  expect(days).not.toBeNull();
  return { ...emptyPopularityState(), ...stored!, days, meta: JSON.parse(JSON.stringify(state.meta)) };
}

type Ranked = [pageId: string, views: number, comments: number][];

/** The reference: views summed over every batch flushed by `now` in the window, ranked by a full sort. */
function referenceRankings(world: World, now: number, depth: number): Record<string, Ranked> {
  const rankings: Record<string, Ranked> = {};
  for (const range of POPULAR_RANGES) {
    const hours = new Set(lastHours(now, 24));
    const days = new Set(lastDays(now, range === '7d' ? 7 : 30));
    const commentDays = lastDays(now, range === '24h' ? 2 : range === '7d' ? 7 : 30);
    const inWindow = ({ hour, day }: World['flushed'][number]) =>
      range === 'all' || (range === '24h' ? hours.has(hour) : days.has(day));
    const views: Record<string, number> = {};
    for (const batch of world.flushed) {
      if (batch.at > now || !inWindow(batch)) continue;
      for (const [page, count] of batch.views) views[page] = (views[page] ?? 0) + count;
    }
    const comments: Record<string, number> = {};
    for (const [page, activity] of Object.entries(world.comments)) {
      const count =
        range === 'all' ? activity.total : commentDays.reduce((sum, day) => sum + (activity.perDay[day] ?? 0), 0);
      if (count > 0) comments[page] = count;
    }
    for (const by of POPULAR_BYS) {
      const first = by === 'views' ? views : comments;
      const second = by === 'views' ? comments : views;
      rankings[`${range}:${by}`] = Object.keys(first)
        .filter((page) => world.shown[page] !== undefined)
        .sort((a, b) => first[b]! - first[a]! || (second[b] ?? 0) - (second[a] ?? 0) || (a < b ? -1 : 1))
        .slice(0, depth)
        .map((page) => [page, views[page] ?? 0, comments[page] ?? 0]);
    }
  }
  return rankings;
}

/** The document's rankings by page id, each page's title checked against what the lists may show. */
function rankingsOf(document: RankingDocument, world: World): Record<string, Ranked> {
  return Object.fromEntries(
    Object.entries(document.rankings).map(([key, entries]) => [
      key,
      entries.map(([index, views, comments]): Ranked[number] => {
        const page = document.pages[index]!;
        const pageId = page.pageId ?? page.url;
        expect(page.title).toBe(world.shown[pageId]?.title);
        return [pageId, views, comments];
      }),
    ]),
  );
}

describe('the popularity column store', () => {
  it('gives the rankings a plain sum over every batch gives, over random views, runs and outages', () => {
    let compared = 0;
    for (let seed = 1; seed <= 16; seed++) {
      const w = world(seed);
      const next = seededRandom(seed * 7919);
      const depth = seed % 3 === 0 ? 3 : 50;
      let state = emptyPopularityState();
      // Runs every 30 minutes at a random minute, with outages of up to 40 hours.
      for (let now = START + 10 * 60_000; now < w.end + 2 * 24 * HOUR_MS;) {
        const listed = hoursToCollect(state, now)
          .flatMap((hour) => w.byHour.get(hour) ?? [])
          .filter((batch) => Date.parse(batch.flushedAt) <= now);
        const result = aggregate(state, listed, now);
        if (next() < 0.1) {
          const document = buildRankingDocument({ ...result.state, meta: w.shown }, w.comments, now, depth);
          expect(rankingsOf(document, w), `seed ${seed} at ${new Date(now).toISOString()}`).toEqual(
            referenceRankings(w, now, depth),
          );
          compared += 1;
        }
        // What the next run reads: the stored state when this one wrote, else the one it read.
        state = result.countsChanged || result.metaChanged ? readBack(result.state) : readBack(state);
        now += next() < 0.01 ? Math.floor(next() * 40) * HOUR_MS : 20 * 60_000 + Math.floor(next() * 20 * 60_000);
      }
    }
    expect(compared).toBeGreaterThan(200);
  }, 60_000);

  it('sums the 7 and 30 days from the stored day sums to the same number as from the ring, fractions included', () => {
    const next = seededRandom(42);
    const pages = Array.from({ length: 40 }, (_, page) => `p${page}`);
    let state = emptyPopularityState();
    let served = 0;
    // Twelve days of hourly batches with sampled (fractional) views, folded as the cron folds them, the state read
    // back from its stored form after each run.
    for (let now = START + 70 * 60_000; now < START + 12 * 24 * HOUR_MS; now += HOUR_MS) {
      const flushedAt = new Date(now - 60 * 60_000).toISOString();
      const views = Object.fromEntries(pages.filter(() => next() < 0.5).map((page) => [page, 1 / (0.05 + next())]));
      state = readBack(aggregate(state, [{ id: flushedAt, flushedAt, views, meta: {} }], now).state);
      const sums = decodeDaySums(encodeDaySums(daySumsOf(state)!).slice(0))!;
      for (const minutes of [20, 50]) {
        const rankAt = now + (minutes - 10) * 60_000;
        if (!daySumsServe(state, sums, rankAt)) continue;
        const fromSums = windowViews({ ...state, days: null, daySums: sums }, rankAt);
        expect(fromSums).toEqual(windowViews(state, rankAt));
        served += 1;
      }
    }
    // Every run of a day but those before its first fold (00:20, 00:50): 46 of 48.
    expect(served).toBeGreaterThan(11 * 46);
  });

  it('decodes the same page ids once, and ids of the same length but other bytes as what they say', () => {
    const counted = (pageIds: string[]) =>
      aggregate(
        emptyPopularityState(),
        [
          {
            id: 'a',
            flushedAt: '2025-03-05T10:10:00.000Z',
            views: Object.fromEntries(pageIds.map((id) => [id, 1])),
            meta: {},
          },
        ],
        Date.parse('2025-03-05T12:00:00Z'),
      ).state;
    const first = encodeCounts(counted(['page-a', 'page-b']));
    const again = decodeCounts(first.slice(0))!.pageIds;
    expect(decodeCounts(first.slice(0))!.pageIds).toBe(again); // a warm isolate's next run: no parse
    expect(decodeCounts(encodeCounts(counted(['page-c', 'page-d'])))!.pageIds).toEqual(['page-c', 'page-d']);
    expect(decodeCounts(first.slice(0))!.pageIds).toEqual(['page-a', 'page-b']);
  });

  it('reads back what it wrote, slot for slot', () => {
    const state = aggregate(
      emptyPopularityState(),
      [{ id: 'a', flushedAt: '2025-03-05T10:10:00.000Z', views: { ក្រុង: 2.5, b: 1 }, meta: {} }],
      Date.parse('2025-03-05T12:00:00Z'),
    ).state;
    const back = decodeCounts(encodeCounts(state))!;
    expect(back.pageIds).toEqual(['ក្រុង', 'b']);
    expect(back.finalizedThrough).toBe('2025-03-05T10:00:00.000Z');
    expect([...back.counts]).toEqual([...state.counts]);
    expect([...back.allTime]).toEqual([...state.allTime]);
    expect(decodeCounts(new ArrayBuffer(8))).toBeNull();
  });

  it('keeps an all-time total past 16.7 million exact, where an hour cell rounds to a Float32', () => {
    const views = 2 ** 24 + 1; // the first whole number a Float32 cannot hold
    const state = aggregate(
      emptyPopularityState(),
      [{ id: 'a', flushedAt: '2025-03-05T10:10:00.000Z', views: { a: views }, meta: {} }],
      Date.parse('2025-03-05T12:00:00Z'),
    ).state;
    const back: PopularityState = { ...emptyPopularityState(), ...decodeCounts(encodeCounts(state))! };
    expect(allTimeViews(back)).toEqual({ a: views });
    expect(hourViews(back, '2025-03-05T10:00:00.000Z')).toEqual({ a: 2 ** 24 });
  });

  it('folds the counts it read in place and writes that value back, the same as a copy would give', () => {
    const now = Date.parse('2025-03-05T12:00:00Z');
    const first = aggregate(
      emptyPopularityState(),
      [{ id: 'a', flushedAt: '2025-03-05T09:10:00.000Z', views: { a: 2, b: 1 }, meta: {} }],
      now,
    ).state;
    const stored = encodeCounts(first);
    const nextHour = [{ id: 'c', flushedAt: '2025-03-05T11:20:00.000Z', views: { a: 3 }, meta: {} }];
    const later = now + 60 * 60_000;
    const read = () => ({ ...emptyPopularityState(), ...decodeCounts(stored.slice(0))! });
    const copied = encodeCounts(aggregate(read(), nextHour, later).state);

    const inPlace = read();
    const buffer = inPlace.counts.buffer;
    const written = encodeCounts(aggregate(inPlace, nextHour, later, { ownsCounts: true }).state);
    expect(written).toBe(buffer); // no new 2.3 MB value at 5,000 pages
    expect(new Uint8Array(written)).toEqual(new Uint8Array(copied));
    // A page added needs a larger value: a new one, with every count carried.
    const added = read();
    const grown = encodeCounts(
      aggregate(added, [{ ...nextHour[0]!, views: { c: 1 } }], later, { ownsCounts: true }).state,
    );
    expect(grown).not.toBe(added.counts.buffer);
    expect(decodeCounts(grown)!.pageIds).toEqual(['a', 'b', 'c']);
  });
});
