import { describe, expect, it } from 'vitest';
import type { PageMeta } from '@sala/protocol';
import { aggregate, emptyPopularityState, fromV1 } from './popularity.js';
import type { PopularityState, PopularityStateV1, StoredPageMeta } from './popularity.js';
import {
  RANKING_DEPTH,
  buildRankingDocument,
  commentsInRange,
  popularPosts,
  rankPages,
  encodeRanking,
  sameRankings,
  viewsInRange,
  windowComments,
  POPULAR_RANGES,
} from './ranking.js';
import type { CommentActivity, CommentActivityByPage } from './ranking.js';
import type { PopularRange } from '@sala/protocol';
import { lastDays, lastHours } from './utc-time.js';
import type { ViewBatch } from './view-buffer.js';

const NOW = Date.parse('2025-03-05T12:30:00Z');
const at = (iso: string) => Date.parse(iso);

function stored(pageId: string, extra: Partial<PageMeta> = {}): StoredPageMeta {
  return { url: pageId, title: `Title of ${pageId}`, labels: [], ...extra, updatedAt: '2025-03-01T00:00:00.000Z' };
}

/**
 * Counts written out as the version 1 JSON state had them (hours, days, all-time), as the column store holds them,
 * with `meta` as the metadata the lists show (the cron passes the pages' own the same way).
 */
function stateWith(parts: Partial<PopularityStateV1>): PopularityState {
  const v1 = v1With(parts);
  return { ...fromV1(v1), meta: v1.meta };
}

function v1With(parts: Partial<PopularityStateV1>): PopularityStateV1 {
  const empty = { version: 1, hours: {}, days: {}, allTime: {}, meta: {} } as const;
  return { ...empty, finalizedThrough: '2025-03-05T11:00:00.000Z', ...parts };
}

describe('viewsInRange', () => {
  it('counts the last 24 hours rolling: a view 23 hours ago counts, one 25 hours ago does not', () => {
    const batches: ViewBatch[] = [
      { id: '1', flushedAt: '2025-03-04T11:29:00.000Z', views: { old: 5 }, meta: { old: stored('old') } },
      { id: '2', flushedAt: '2025-03-04T13:31:00.000Z', views: { recent: 1 }, meta: { recent: stored('recent') } },
      { id: '3', flushedAt: '2025-03-05T12:10:00.000Z', views: { recent: 1 }, meta: { recent: stored('recent') } },
    ];
    const { state } = aggregate(emptyPopularityState(), batches, NOW);
    expect(viewsInRange(state, '24h', NOW)).toEqual({ recent: 2 });
    expect(viewsInRange(state, '7d', NOW)).toEqual({ old: 5, recent: 2 });
  });

  it('7d, 30d and all-time each take their window, today’s live hours included', () => {
    const state = stateWith({
      days: {
        '2025-02-10': { ancient: 100 }, // 23 days ago
        '2025-02-28': { lastWeek: 10 }, // 5 days ago
        '2025-02-26': { eightDaysAgo: 7 },
        '2025-03-05': { today: 1 },
      },
      hours: { '2025-03-05T12:00:00.000Z': { today: 2 } },
      allTime: { ancient: 1000, lastWeek: 10, eightDaysAgo: 7, today: 1, gone: 3 },
    });
    expect(viewsInRange(state, '7d', NOW)).toEqual({ lastWeek: 10, today: 3 });
    expect(viewsInRange(state, '30d', NOW)).toEqual({ ancient: 100, lastWeek: 10, eightDaysAgo: 7, today: 3 });
    expect(viewsInRange(state, 'all', NOW)).toEqual({
      ancient: 1000,
      lastWeek: 10,
      eightDaysAgo: 7,
      today: 3,
      gone: 3,
    });
  });

  it('counts a live hour of yesterday in yesterday, just after midnight', () => {
    const justAfterMidnight = at('2025-03-05T00:02:00Z');
    const state = stateWith({
      finalizedThrough: '2025-03-04T22:00:00.000Z',
      hours: { '2025-03-04T23:00:00.000Z': { a: 4 } },
    });
    expect(viewsInRange(state, '7d', justAfterMidnight)).toEqual({ a: 4 });
    expect(viewsInRange(state, '24h', justAfterMidnight)).toEqual({ a: 4 });
  });
});

describe('commentsInRange', () => {
  const comments: CommentActivityByPage = {
    a: { total: 9, perDay: { '2025-03-05': 1, '2025-03-04': 2, '2025-02-27': 3 } },
    b: { total: 4, perDay: {} },
  };

  it('counts comments per window; 24h takes today and yesterday (comment activity is kept per day)', () => {
    expect(commentsInRange(comments, '24h', NOW)).toEqual({ a: 3 });
    expect(commentsInRange(comments, '7d', NOW)).toEqual({ a: 6 });
    expect(commentsInRange(comments, 'all', NOW)).toEqual({ a: 9, b: 4 });
  });
});

describe('windowComments', () => {
  /**
   * Each range's comments by `windowComments` (every page's days read once for all four) against `commentsInRange`
   * (each range's days looked up in each page), and the pages it lists as commented: those with any.
   */
  function expectSameAsEachRange(comments: CommentActivityByPage, now: number) {
    const pageIds = Object.keys(comments);
    const { slots, counts } = windowComments(
      pageIds.length + 2,
      pageIds.map((pageId, index) => [index + 1, comments[pageId]!] as const),
      now,
    );
    const expected = new Set<number>();
    for (const range of POPULAR_RANGES) {
      const byRange = commentsInRange(comments, range, now);
      const bySlot: Record<string, number> = {};
      pageIds.forEach((pageId, index) => {
        if (counts[range][index + 1]! !== 0) bySlot[pageId] = counts[range][index + 1]!;
        if (byRange[pageId] !== undefined) expected.add(index + 1);
      });
      expect(bySlot, range).toEqual(byRange);
      expect([counts[range][0], counts[range][pageIds.length + 1]], `${range}: slots without a page`).toEqual([0, 0]);
    }
    expect([...slots].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
    return counts;
  }

  /** A page with a comment on each of `days`, the nth day's count n + 1 (a page's windows sum to different totals). */
  const on = (days: readonly string[], total = 100): CommentActivity => ({
    total,
    perDay: Object.fromEntries(days.map((day, n) => [day, n + 1])),
  });

  it('counts each window as commentsInRange does, on its edges, at either end of a UTC day', () => {
    for (const now of [at('2025-03-05T00:00:00.000Z'), at('2025-03-05T12:30:00Z'), at('2025-03-05T23:59:59.999Z')]) {
      const [first30, , , , , , , , , , , , , , , , , , , , , , , first7, , , , , yesterday, today] = lastDays(now, 30);
      const comments: CommentActivityByPage = {
        edges: on([first30!, first7!, yesterday!, today!]),
        justOutside: on(['2025-02-03', '2025-02-26', '2025-03-03', '2025-03-06']),
        tomorrow: on(['2025-03-06', '2025-03-07'], 3),
        onlyAllTime: on([], 7),
        nothing: on([], 0),
        // Days but no total (as a key whose days a newer rebuild wrote less): in the windows, not in all.
        noTotal: on([yesterday!, first30!], 0),
        // A month and a day, the oldest first as the thread rebuild writes them, and newest first.
        aMonthAndADay: on(lastDays(now, 31)),
        newestFirst: on(lastDays(now, 31).reverse()),
        // Commented last week only, then only a month ago: nothing in the shorter windows.
        lastWeek: on(['2025-03-01']),
        lastMonth: on(['2025-02-10']),
      };
      const counts = expectSameAsEachRange(comments, now);
      // The edges: 1 on the 30d's first day, 2 on the 7d's, 3 yesterday, 4 today.
      expect([1, '24h', '7d', '30d', 'all'].slice(1).map((range) => counts[range as PopularRange][1])).toEqual([
        7, 9, 10, 100,
      ]);
    }
  });

  it('leaves out days that are not on the calendar or not days, as commentsInRange does', () => {
    const now = at('2025-03-05T12:30:00Z');
    const comments: CommentActivityByPage = {
      notOnCalendar: on(['2025-02-29', '2025-02-30', '2025-02-31', '2025-02-00', '2025-03-00', '2025-03-04']),
      notDays: on(['2025-03-04T00', '2025-3-04', ' 2025-03-04', '2025-03-0:', '2025-0:-04', 'constructor', '0']),
      aroundTheYear: on(['2024-12-31', '2025-00-05', '2024-13-01', '2025-01-01']),
    };
    expectSameAsEachRange(comments, now);
    const aYearOn = at('2025-01-02T00:00:00Z');
    expectSameAsEachRange(comments, aYearOn);
    expect(windowComments(4, [[2, comments.aroundTheYear!]], aYearOn).counts['30d'][2]).toBe(1 + 4);
  });

  it('lists a page commented this week but not today, or only of all time', () => {
    const now = at('2025-03-05T12:30:00Z');
    const { slots, counts } = windowComments(
      6,
      [
        [5, on(['2025-03-05'])],
        [3, on(['2025-03-01'])],
        [1, on([], 2)],
        [4, on([], 0)],
      ],
      now,
    );
    expect(slots).toEqual([5, 3, 1]);
    expect([counts['24h'][3], counts['7d'][3], counts.all[1], counts['30d'][1]]).toEqual([0, 1, 2, 0]);
    expect(windowComments(6, [], now).counts['7d'].length).toBe(0);
  });
});

describe('rankPages', () => {
  const state = stateWith({
    days: { '2025-03-04': { a: 10, b: 30, c: 20, d: 20 } },
    meta: { a: stored('a'), b: stored('b'), c: stored('c'), d: stored('d') },
  });
  const comments: CommentActivityByPage = {
    a: { total: 5, perDay: { '2025-03-04': 5 } },
    c: { total: 1, perDay: { '2025-03-04': 1 } },
  };

  it('orders by views, most first, ties broken by comments', () => {
    expect(rankPages(state, comments, { range: '7d', by: 'views', now: NOW })).toEqual([
      { pageId: 'b', views: 30, comments: 0 },
      { pageId: 'c', views: 20, comments: 1 },
      { pageId: 'd', views: 20, comments: 0 },
      { pageId: 'a', views: 10, comments: 5 },
    ]);
  });

  it('orders by comments, leaving out pages nobody commented on', () => {
    expect(rankPages(state, comments, { range: '7d', by: 'comments', now: NOW })).toEqual([
      { pageId: 'a', views: 10, comments: 5 },
      { pageId: 'c', views: 20, comments: 1 },
    ]);
  });

  it('is empty before any view was counted', () => {
    expect(rankPages(emptyPopularityState(), {}, { range: '24h', by: 'views', now: NOW })).toEqual([]);
  });
});

describe('popularPosts', () => {
  const pages = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8'].map((name, i) => ({
    // Stored under the normalised id; the link keeps the address the blog serves.
    pageId: `https://blog.example.com/${name}`,
    views: 100 - i * 10,
    labels: i % 2 === 0 ? ['Food'] : ['Travel'],
  }));
  const state = stateWith({
    days: { '2025-03-05': Object.fromEntries(pages.map((page) => [page.pageId, page.views])) },
    meta: Object.fromEntries(
      pages.map((page) => [page.pageId, stored(page.pageId, { url: `${page.pageId}.html`, labels: page.labels })]),
    ),
  });
  const document = buildRankingDocument(state, {}, NOW);
  const ids = (response: ReturnType<typeof popularPosts>) => response.posts.map((post) => post.pageId.slice(25));

  it('lists the top 5 by default, with what the list shows', () => {
    const response = popularPosts(document, { range: '7d', by: 'views' });
    expect(ids(response)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    expect(response.posts[0]).toEqual({
      pageId: 'https://blog.example.com/p1',
      url: 'https://blog.example.com/p1.html',
      title: 'Title of https://blog.example.com/p1',
      labels: ['Food'],
      views: 100,
      comments: 0,
    });
  });

  it('honours the limit, up to 20', () => {
    expect(popularPosts(document, { range: '7d', by: 'views', limit: 2 }).posts).toHaveLength(2);
    expect(popularPosts(document, { range: '7d', by: 'views', limit: 0 }).posts).toHaveLength(1);
    expect(popularPosts(document, { range: '7d', by: 'views', limit: 500 }).posts).toHaveLength(8);
  });

  it('keeps only posts with the label, whatever its case', () => {
    const response = popularPosts(document, { range: '7d', by: 'views', label: 'travel' });
    expect(ids(response)).toEqual(['p2', 'p4', 'p6', 'p8']);
  });

  it('leaves out the page the list is shown on, however its URL is written', () => {
    const response = popularPosts(document, {
      range: '7d',
      by: 'views',
      exclude: ['https://BLOG.example.com/p1.html?m=1#comments'],
    });
    expect(ids(response)).toEqual(['p2', 'p3', 'p4', 'p5', 'p6']);
  });

  it('gives an empty list when there is no data yet', () => {
    expect(popularPosts(null, { range: '24h', by: 'views' })).toEqual({ range: '24h', by: 'views', posts: [] });
    expect(popularPosts(document, { range: '24h', by: 'views' }).posts).toEqual([]);
  });
});

describe('buildRankingDocument', () => {
  it('leaves out pages without metadata, which have no title or link to show', () => {
    const state = stateWith({ days: { '2025-03-05': { known: 1, unknown: 9 } }, meta: { known: stored('known') } });
    const document = buildRankingDocument(state, {}, NOW);
    expect(popularPosts(document, { range: '7d', by: 'views' }).posts.map((post) => post.pageId)).toEqual(['known']);
  });

  it('keeps a page id that differs from the URL (a page-id attribute)', () => {
    const state = stateWith({
      days: { '2025-03-05': { 'post-42': 1 } },
      meta: { 'post-42': stored('https://blog.example.com/42') },
    });
    const [post] = popularPosts(buildRankingDocument(state, {}, NOW), { range: '7d', by: 'views' }).posts;
    expect(post).toMatchObject({ pageId: 'post-42', url: 'https://blog.example.com/42' });
  });

  it('stores a short snippet of the description', () => {
    const description = 'A long description of noodles. '.repeat(9).trim();
    const state = stateWith({ days: { '2025-03-05': { a: 1 } }, meta: { a: stored('a', { description }) } });
    const [post] = popularPosts(buildRankingDocument(state, {}, NOW), { range: '7d', by: 'views' }).posts;
    expect(Array.from(post?.description ?? '').length).toBeLessThanOrEqual(160);
    expect(post?.description?.endsWith('…')).toBe(true);
  });

  it('is equal for the same rankings at another time, so an unchanged document is not rewritten', () => {
    const state = stateWith({ days: { '2025-03-05': { a: 1 } }, meta: { a: stored('a') } });
    const first = encodeRanking(buildRankingDocument(state, {}, NOW));
    expect(sameRankings(first, encodeRanking(buildRankingDocument(state, {}, NOW + 60_000)))).toBe(true);
    const more = stateWith({ days: { '2025-03-05': { a: 2 } }, meta: { a: stored('a') } });
    expect(sameRankings(first, encodeRanking(buildRankingDocument(more, {}, NOW)))).toBe(false);
    // A title that reads like the document's own keys is compared like any other.
    const titled = (title: string, at: number) =>
      encodeRanking(
        buildRankingDocument(
          stateWith({ days: { '2025-03-05': { a: 1 } }, meta: { a: stored('a', { title }) } }),
          {},
          at,
        ),
      );
    expect(sameRankings(titled('a","pages":[]', NOW), titled('a","pages":[]', NOW + 60_000))).toBe(true);
    expect(sameRankings(titled('a","pages":[]', NOW), titled('b","pages":[]', NOW))).toBe(false);
  });

  it('stays within 100 KB for a 300-post blog with long thumbnail URLs and full descriptions', () => {
    const state = blogOf300Posts();
    const comments = commentsOn300Posts();
    const document = buildRankingDocument(state, comments, NOW);
    const bytes = new TextEncoder().encode(JSON.stringify(document)).length;

    console.info(`ranking document for 300 posts: ${bytes} bytes, ${document.pages.length} pages`);
    expect(Object.values(document.rankings).every((ranking) => ranking.length <= RANKING_DEPTH)).toBe(true);
    expect(bytes).toBeLessThan(100 * 1024);
  });
});

/** A blog of 300 posts read 20,000 times a day with a Zipf popularity (post n gets 1/n of the top post's views). */
function blogOf300Posts(): PopularityState {
  const harmonic = Array.from({ length: 300 }, (_, i) => 1 / (i + 1)).reduce((sum, x) => sum + x, 0);
  const state = v1With({});
  for (let i = 0; i < 300; i++) {
    const pageId = `https://khmer-kitchen-notes.blogspot.com/2024/${String((i % 12) + 1).padStart(2, '0')}/how-to-make-fresh-rice-noodles-at-home-${i}.html`;
    const perDay = 20_000 / harmonic / (i + 1);
    // Popularity drifts from day to day, so the windows' top 100s differ.
    lastDays(NOW, 31).forEach((day, d) => {
      const drift = 0.5 + ((i * 7 + d * 3) % 10) / 10;
      (state.days[day] ??= {})[pageId] = Math.max(1, Math.round(perDay * drift));
    });
    for (const hour of lastHours(NOW, 48)) (state.hours[hour] ??= {})[pageId] = Math.max(1, Math.round(perDay / 24));
    state.allTime[pageId] = Math.round(perDay * 400);
    state.meta[pageId] = stored(pageId, {
      title: `How to make fresh rice noodles at home, part ${i}`,
      image: `https://blogger.googleusercontent.com/img/b/R29vZ2xl/AVvXsE${'hq3XkPz9'.repeat(20)}/s1600/IMG_${i}.jpg`,
      description: `${'Fresh noodles from rice flour and water. '.repeat(8)}`.slice(0, 299).trim() + '…',
      published: '2024-11-05T10:00:00.000Z',
      labels: ['Food', 'Cambodia', 'Recipes'],
    });
  }
  return { ...fromV1(state), meta: state.meta };
}

/** 50 comments a day for 30 days, spread over the posts. */
function commentsOn300Posts(): CommentActivityByPage {
  const comments: Record<string, { total: number; perDay: Record<string, number> }> = {};
  const pageIds = Object.keys(blogOf300Posts().meta);
  lastDays(NOW, 30).forEach((day, d) => {
    for (let c = 0; c < 50; c++) {
      const pageId = pageIds[(c * c + d * 11) % 300]!;
      const activity = (comments[pageId] ??= { total: 0, perDay: {} });
      activity.total += 1;
      activity.perDay[day] = (activity.perDay[day] ?? 0) + 1;
    }
  });
  return comments;
}
