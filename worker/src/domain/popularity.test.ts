import type { PageMeta } from '@sala/protocol';
import { describe, expect, it } from 'vitest';
import {
  POPULARITY_SETTINGS,
  aggregate,
  allTimeViews,
  catchUpAsOf,
  dayViews,
  emptyPopularityState,
  hourViews,
  hoursToCollect,
  lastFinalHour,
  type AggregateResult,
  type PopularityState,
} from './popularity.js';
import { DAY_MS, HOUR_MS, hourStart, utcDay } from './utc-time.js';
import { entriesWithin, parseEntries, v1Layout } from './v1-layout.js';
import type { ViewBatch } from './view-buffer.js';

const at = (iso: string) => Date.parse(iso);

function meta(pageId: string, title = `Post ${pageId}`): PageMeta {
  return { url: `https://blog.example.com/${pageId}`, title, labels: [] };
}

function batch(
  id: string,
  flushedAt: string,
  views: Record<string, number>,
  titles: Record<string, string> = {},
): ViewBatch {
  return {
    id,
    flushedAt,
    views,
    meta: Object.fromEntries(Object.keys(views).map((pageId) => [pageId, meta(pageId, titles[pageId])])),
  };
}

/** What the storage layer does: read the batches stored under each hour `hoursToCollect` names. */
function collect(stored: readonly ViewBatch[], state: PopularityState, now: number): ViewBatch[] {
  const hours = new Set(hoursToCollect(state, now));
  return stored.filter((b) => hours.has(hourStart(Date.parse(b.flushedAt))));
}

/** True when the run has something to write (counts or metadata). */
function changed(result: AggregateResult): boolean {
  return result.countsChanged || result.metaChanged;
}

/** What a state counts, whatever order its slots are in: every hour and day the rings hold, all-time, live hours. */
function counted(state: PopularityState) {
  const final = state.finalizedThrough === null ? 0 : Date.parse(state.finalizedThrough);
  const hours = Object.fromEntries(
    Array.from({ length: 24 }, (_, i) => hourStart(final - i * HOUR_MS))
      .map((hour) => [hour, hourViews(state, hour)])
      .filter(([, views]) => Object.keys(views as object).length > 0),
  );
  const days = Object.fromEntries(
    Array.from({ length: 30 }, (_, i) => utcDay(final - i * DAY_MS))
      .map((day) => [day, dayViews(state, day)])
      .filter(([, views]) => Object.keys(views as object).length > 0),
  );
  return {
    finalizedThrough: state.finalizedThrough,
    hours,
    days,
    allTime: allTimeViews(state),
    live: state.live,
    meta: state.meta,
  };
}

/** One cron run against the stored batches. */
function run(state: PopularityState, stored: readonly ViewBatch[], now: number) {
  return aggregate(state, collect(stored, state, now), now);
}

// Hour 10 on 5 March: three batches from two isolates.
const hour10 = [
  batch('b1', '2025-03-05T10:10:00.000Z', { a: 2, b: 1 }),
  batch('b2', '2025-03-05T10:20:00.000Z', { a: 1 }),
  batch('b3', '2025-03-05T10:55:00.000Z', { b: 5 }),
];
const hour11 = [batch('c1', '2025-03-05T11:15:00.000Z', { a: 4 })];

describe('aggregate', () => {
  it('counts batches of a live hour in that hour, not yet in days or all-time', () => {
    const { state } = aggregate(emptyPopularityState(), hour10, at('2025-03-05T10:59:00Z'));
    expect(hourViews(state, '2025-03-05T10:00:00.000Z')).toEqual({ a: 3, b: 6 });
    expect(allTimeViews(state)).toEqual({});
    expect(counted(state).days).toEqual({});
    expect(state.finalizedThrough).toBe('2025-03-05T09:00:00.000Z');
  });

  it('writes when only a page title changed, and not for a state read back without its live hours', () => {
    const now = at('2025-03-05T12:10:00Z');
    const first = run(emptyPopularityState(), [...hour10, ...hour11], now);
    const readBack: PopularityState = {
      ...first.state,
      counts: first.state.counts.slice(),
      allTime: first.state.allTime.slice(),
      live: {},
    };
    expect(changed(run(readBack, [...hour10, ...hour11], now))).toBe(false);

    const retitled = batch('c2', '2025-03-05T12:05:00.000Z', { a: 1 }, { a: 'A new title' });
    const second = run(first.state, [...hour10, ...hour11, retitled], now);
    expect(second.state.meta['a']?.title).toBe('A new title');
    expect(changed(second)).toBe(true);
  });

  it('is idempotent: the same batches again give the same state, and nothing to write', () => {
    const now = at('2025-03-05T10:59:00Z');
    const first = aggregate(emptyPopularityState(), hour10, now);
    const again = aggregate(first.state, hour10, now);
    expect(again.state).toEqual(first.state);
    expect(changed(again)).toBe(false);
  });

  it('does not depend on batch order, and counts a batch listed twice once', () => {
    const now = at('2025-03-05T10:59:00Z');
    const shuffled = [hour10[2]!, hour10[0]!, hour10[1]!, hour10[0]!];
    expect(aggregate(emptyPopularityState(), shuffled, now)).toEqual(aggregate(emptyPopularityState(), hour10, now));
  });

  it('finalizes an hour 5 minutes after its end, exactly once however often the cron runs', () => {
    const stored = [...hour10, ...hour11];
    let state = run(emptyPopularityState(), stored, at('2025-03-05T11:04:00Z')).state;
    expect(allTimeViews(state)).toEqual({});

    for (const now of [
      '2025-03-05T11:07:00Z',
      '2025-03-05T11:37:00Z',
      '2025-03-05T11:37:00Z',
      '2025-03-05T12:07:00Z',
    ]) {
      state = run(state, stored, at(now)).state;
    }
    // Hour 10 and hour 11 each counted once.
    expect(allTimeViews(state)).toEqual({ a: 7, b: 6 });
    expect(dayViews(state, '2025-03-05')).toEqual({ a: 7, b: 6 });
    expect(state.finalizedThrough).toBe('2025-03-05T11:00:00.000Z');
    // Handing it batches of hours it already folded changes nothing, on a run that folds another hour too.
    expect(allTimeViews(aggregate(state, stored, at('2025-03-05T12:08:00Z')).state)).toEqual({ a: 7, b: 6 });
    expect(allTimeViews(aggregate(state, stored, at('2025-03-05T13:08:00Z')).state)).toEqual({ a: 7, b: 6 });
  });

  it('writes the state only when an hour is finalized or metadata changes, not for every new batch', () => {
    const first = run(emptyPopularityState(), hour10, at('2025-03-05T10:30:00Z'));
    const moreViews = [...hour10, batch('b4', '2025-03-05T10:40:00.000Z', { a: 9 })];
    const second = run(first.state, moreViews, at('2025-03-05T10:45:00Z'));
    expect(hourViews(second.state, '2025-03-05T10:00:00.000Z')).toEqual({ a: 12, b: 6 });
    expect(changed(second)).toBe(false);
    expect(changed(run(second.state, moreViews, at('2025-03-05T11:07:00Z')))).toBe(true);
  });

  it('never double counts when two runs overlap, whichever of their states is written last', () => {
    const prior = run(emptyPopularityState(), hour10, at('2025-03-05T10:59:00Z')).state;
    const seenByBoth = [...hour10, ...hour11];
    const seenBySecond = [...seenByBoth, batch('c2', '2025-03-05T11:16:00.000Z', { b: 2, c: 1 })];
    const now = at('2025-03-05T11:16:30Z');
    const first = aggregate(prior, seenByBoth, now).state;
    const second = aggregate(prior, seenBySecond, now).state;

    const later = [...seenBySecond, batch('d1', '2025-03-05T12:20:00.000Z', { a: 1 })];
    const laterNow = at('2025-03-05T12:37:00Z');
    const afterFirstWonTheRace = run(first, later, laterNow).state;
    const afterSecondWonTheRace = run(second, later, laterNow).state;
    const fromScratch = run(emptyPopularityState(), later, laterNow).state;

    expect(counted(afterFirstWonTheRace)).toEqual(counted(afterSecondWonTheRace));
    expect(counted(afterFirstWonTheRace)).toEqual(counted(fromScratch));
    expect(allTimeViews(afterFirstWonTheRace)).toEqual({ a: 7, b: 8, c: 1 });
    expect(hourViews(afterFirstWonTheRace, '2025-03-05T12:00:00.000Z')).toEqual({ a: 1 });
  });

  it('heals a regression (an older state written last) from the batches still stored', () => {
    const stored = [
      ...hour10,
      ...hour11,
      batch('e1', '2025-03-05T12:30:00.000Z', { c: 3 }),
      batch('f1', '2025-03-05T13:30:00.000Z', { a: 1 }),
    ];
    const older = run(emptyPopularityState(), stored, at('2025-03-05T10:59:00Z')).state;
    let newer = older;
    for (const now of ['2025-03-05T11:07:00Z', '2025-03-05T12:07:00Z', '2025-03-05T13:07:00Z']) {
      newer = run(newer, stored, at(now)).state;
    }
    expect(newer.finalizedThrough).toBe('2025-03-05T12:00:00.000Z');

    const now = at('2025-03-05T13:37:00Z');
    expect(hoursToCollect(older, now)).toHaveLength(4);
    const healed = run(older, stored, now).state;
    expect(counted(healed)).toEqual(counted(run(newer, stored, now).state));
    expect(allTimeViews(healed)).toEqual({ a: 7, b: 6, c: 3 });
  });

  it('keeps 24 hours of hourly counts and 30 days of daily counts; all-time keeps everything', () => {
    const stored = [
      batch('old', '2025-03-01T10:10:00.000Z', { a: 1 }),
      batch('new', '2025-03-05T10:10:00.000Z', { b: 1 }),
    ];
    let state = aggregate(emptyPopularityState(), stored, at('2025-03-05T12:00:00Z')).state;
    expect(Object.keys(counted(state).hours)).toEqual(['2025-03-05T10:00:00.000Z']);
    expect(Object.keys(counted(state).days).sort()).toEqual(['2025-03-01', '2025-03-05']);
    // After a cron stopped for 35 days, the last day before the gap is in no window: no day inside takes its views.
    const resumed = aggregate(state, [], at('2025-04-09T12:00:00Z')).state;
    expect(counted(resumed).days).toEqual({});
    expect(allTimeViews(resumed)).toEqual({ a: 1, b: 1 });

    state = aggregate(state, [], at('2025-04-01T12:00:00Z')).state;
    expect(counted(state).hours).toEqual({});
    expect(Object.keys(counted(state).days)).toEqual(['2025-03-05']);
    expect(dayViews(state, '2025-03-01')).toEqual({});
    expect(allTimeViews(state)).toEqual({ a: 1, b: 1 });
  });

  it('keeps only the address and title a beacon gives: the lists show the page’s own metadata', () => {
    const full = { ...meta('a'), image: 'https://blog.example.com/a.jpg', description: 'Long text', labels: ['x'] };
    const { state } = aggregate(
      emptyPopularityState(),
      [{ id: 'b1', flushedAt: '2025-03-05T10:10:00.000Z', views: { a: 1 }, meta: { a: full } }],
      at('2025-03-05T10:30:00Z'),
    );
    expect(state.meta['a']).toEqual({
      url: full.url,
      title: full.title,
      labels: [],
      updatedAt: '2025-03-05T10:10:00.000Z',
    });
  });

  it('keeps the newest metadata, ignores an older batch, and reports a retitled post as a change', () => {
    const first = run(
      emptyPopularityState(),
      [batch('b1', '2025-03-05T10:10:00.000Z', { a: 1 }, { a: 'Old' })],
      at('2025-03-05T10:30:00Z'),
    );
    expect(first.state.meta['a']).toEqual({ ...meta('a', 'Old'), updatedAt: '2025-03-05T10:10:00.000Z' });

    const retitled = [
      batch('b1', '2025-03-05T10:10:00.000Z', { a: 1 }, { a: 'Old' }),
      batch('b2', '2025-03-05T10:20:00.000Z', { a: 1 }, { a: 'New' }),
    ];
    const second = run(first.state, retitled, at('2025-03-05T10:30:00Z'));
    expect(second.state.meta['a']?.title).toBe('New');
    expect(changed(second)).toBe(true);

    const sameAgain = [...retitled, batch('b3', '2025-03-05T10:25:00.000Z', { a: 1 }, { a: 'New' })];
    const third = run(second.state, sameAgain, at('2025-03-05T10:30:00Z'));
    expect(third.state.meta['a']?.updatedAt).toBe('2025-03-05T10:20:00.000Z');
    expect(changed(third)).toBe(false);
  });

  it('ignores a corrupt count instead of poisoning every later total', () => {
    const corrupt = batch('x', '2025-03-05T10:10:00.000Z', { a: Number.NaN, b: -4, c: 2 });
    const { state } = aggregate(emptyPopularityState(), [corrupt], at('2025-03-05T12:00:00Z'));
    expect(allTimeViews(state)).toEqual({ c: 2 });
  });

  it('keeps all-time counts for a bounded number of pages, the most viewed ones', () => {
    const views = Object.fromEntries(
      Array.from({ length: POPULARITY_SETTINGS.maxTrackedPages + 10 }, (_, i) => [`p${i}`, i < 10 ? 100 : 1]),
    );
    const { state } = aggregate(
      emptyPopularityState(),
      [batch('x', '2025-02-01T10:10:00.000Z', views)],
      at('2025-03-05T12:00:00Z'),
    );
    expect(Object.keys(allTimeViews(state))).toHaveLength(POPULARITY_SETTINGS.maxTrackedPages);
    expect(allTimeViews(state)['p0']).toBe(100);
  });
});

describe('hoursToCollect', () => {
  it('names the live hours: usually the current one, plus the previous until it is final', () => {
    const state = run(emptyPopularityState(), hour10, at('2025-03-05T10:30:00Z')).state;
    expect(hoursToCollect(state, at('2025-03-05T10:45:00Z'))).toEqual(['2025-03-05T10:00:00.000Z']);
    expect(hoursToCollect(state, at('2025-03-05T11:03:00Z'))).toEqual([
      '2025-03-05T10:00:00.000Z',
      '2025-03-05T11:00:00.000Z',
    ]);
  });

  it('goes back as far as batches live on the first run', () => {
    const hours = hoursToCollect(emptyPopularityState(), at('2025-03-05T10:30:00Z'));
    expect(hours).toHaveLength(POPULARITY_SETTINGS.batchTtlSeconds / 3600);
    expect(hours.at(-1)).toBe('2025-03-05T10:00:00.000Z');
  });

  it('agrees with lastFinalHour: an hour is final 5 minutes after it ends', () => {
    expect(lastFinalHour(at('2025-03-05T11:05:00Z'))).toBe('2025-03-05T09:00:00.000Z');
    expect(lastFinalHour(at('2025-03-05T11:05:01Z'))).toBe('2025-03-05T10:00:00.000Z');
  });

  it('catches up as of a time the last hour read is final at, never later than now', () => {
    const late = at('2025-03-06T10:30:00Z');
    expect(lastFinalHour(catchUpAsOf('2025-03-05T04:00:00.000Z', late))).toBe('2025-03-05T04:00:00.000Z');
    // Its batches may still be arriving: the hour stays open.
    const early = at('2025-03-05T05:03:00Z');
    expect(catchUpAsOf('2025-03-05T04:00:00.000Z', early)).toBe(early);
    expect(lastFinalHour(early)).toBe('2025-03-05T03:00:00.000Z');
  });
});

/** Page ids that hold what the layout must not take for structure: braces, brackets, commas, colons, quotes. */
const ODD_IDS = [
  'https://blog.example.com/a,b',
  'page {"version":2}',
  'quote " and \\\\ backslash \\\\"',
  'https://blog.example.com/[x]:y}',
  'ខ្មែរ 🌾',
  '',
];

describe('v1Layout', () => {
  it('finds every top-level value and each object entry, whatever the page ids hold', () => {
    const counts = Object.fromEntries(ODD_IDS.map((pageId, index) => [pageId, index + 0.5]));
    const document = {
      version: 1,
      hours: { '2030-01-15T08:00:00.000Z': counts, '2030-01-15T09:00:00.000Z': {} },
      days: {},
      allTime: counts,
      finalizedThrough: '2030-01-15T08:00:00.000Z',
      meta: Object.fromEntries(ODD_IDS.map((pageId) => [pageId, { url: pageId, title: `} ${pageId} {`, labels: [] }])),
    };
    for (const text of [JSON.stringify(document), JSON.stringify(document, null, 2)]) {
      const layout = v1Layout(text)!;
      expect([...layout.keys()]).toEqual(Object.keys(document));
      for (const [key, value] of Object.entries(document)) {
        const section = layout.get(key)!;
        expect(JSON.parse(text.slice(section.start, section.end))).toEqual(value);
        if (typeof value !== 'object') continue;
        const entries = section.entries.length / 2;
        expect(entries).toBe(Object.keys(value).length);
        // Any run of entries parses to those entries.
        for (let from = 0; from <= entries; from++)
          for (let to = from; to <= entries; to++)
            expect(parseEntries(text, section, from, to)).toEqual(
              Object.fromEntries(Object.entries(value).slice(from, to)),
            );
      }
    }
  });

  it('answers null for text that is not one JSON object', () => {
    for (const text of ['', '[1]', '{"version":1', '{"a":"unended}', '{"a":1}}', '1 {"a":1}']) {
      expect(v1Layout(text), text).toBeNull();
    }
  });
});

describe('entriesWithin', () => {
  const section = { start: 0, end: 0, entries: [0, 10, 11, 31, 32, 42] };

  it('takes the entries that fit, and one too large alone only when asked', () => {
    expect(entriesWithin(section, 0, 31, false)).toEqual({ to: 2, chars: 30 });
    expect(entriesWithin(section, 1, 15, false)).toEqual({ to: 1, chars: 0 });
    expect(entriesWithin(section, 1, 15, true)).toEqual({ to: 2, chars: 20 });
    expect(entriesWithin(section, 0, 1000, false)).toEqual({ to: 3, chars: 40 });
  });
});
