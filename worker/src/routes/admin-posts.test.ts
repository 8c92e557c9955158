import {
  PAGE_ID_MAX,
  type AdminPostListResponse,
  type AdminPostStats,
  type PopularBy,
  type PopularRange,
} from '@sala/protocol';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { toCommentActivity, type CountKeyMetadata } from '../domain/comment-activity.js';
import { resetIsolateState } from '../domain/isolate-state.js';
import { fromV1, type PageCounts, type PopularityStateV1 } from '../domain/popularity.js';
import { commentsInRange, POPULAR_BYS, POPULAR_RANGES, viewsInRange } from '../domain/ranking.js';
import { DAY_MS, HOUR_MS, hourStart, utcDay } from '../domain/utc-time.js';
import { countKey, forgetPageHashes, pageRef, popularityCountsKey, popularityMetaKey } from '../storage/keys.js';
import { PopularityStore } from '../storage/popularity.js';
import { ThreadStore } from '../storage/threads.js';
import { commentFields, freshPage, rebuildsDone } from '../testing.js';
import { TestSite } from '../testing-admin.js';
import { countDigests, withoutPageHashes } from '../testing-views.js';

const meta = (url: string, title: string) => ({ url, title, labels: [], updatedAt: new Date().toISOString() });

describe('GET /sites/:site/posts', () => {
  it('lists the posts the view counting knows, with views and comments per window, most viewed first', async () => {
    const site = await TestSite.create();
    const quiet = freshPage('quiet');
    const busy = freshPage('busy');
    const today = new Date().toISOString().slice(0, 10);
    await new PopularityStore(env.SALA).writeState(
      site.id,
      fromV1({
        version: 1,
        hours: {},
        days: { [today]: { [busy]: 40, [quiet]: 2 } },
        allTime: { [busy]: 40, [quiet]: 2 },
        finalizedThrough: `${today}T00:00:00.000Z`,
        meta: { [busy]: meta(busy, 'Busy post'), [quiet]: meta(quiet, 'Quiet post') },
      }),
    );
    await site.postOk(commentFields(quiet));
    await site.postOk(commentFields(quiet));
    await rebuildsDone();
    // The rebuild's count key names its page.
    const counted = await env.SALA.getWithMetadata<CountKeyMetadata>(countKey(await pageRef(site.id, quiet)));
    expect(counted.metadata?.pageId).toBe(quiet);

    const sent = await site.admin<AdminPostListResponse>('GET', '/posts');
    expect(sent.status).toBe(200);
    expect(sent.body.total).toBe(2);
    expect(sent.body.posts.map((post) => [post.title, post.views.all, post.views['7d'], post.comments.all])).toEqual([
      ['Busy post', 40, 40, 0],
      ['Quiet post', 2, 2, 2],
    ]);
  });

  /**
   * A month-old blog of 40 posts, with views in the ring of past days, fractional ones, many ties (whole runs of
   * posts with the same views in a window, or none) and comments on some posts, finalized through `finalized`: on
   * days from today to 9 days ago, and on some on the 30-day range's last day or just before it (29, 30 and 31 days
   * ago). `unviewed`: a 41st post, commented today and a week ago, that no view was counted for (a hint, no slot).
   * Count keys of every other commented post, and the 41st's, name their page as the thread rebuild now writes them;
   * the others are as keys written before (no page id: the tab finds them by page hash).
   */
  async function monthOldBlog(site: TestSite, finalized: number, unviewed = false, awkward = false): Promise<void> {
    // `awkward`: some page ids and titles hold quotes, backslashes, the stored hints' own punctuation or other scripts,
    // and the hints are stored in the reverse of the slots' order.
    const odd = ['"quoted"', 'back\\slash', '":{"url":"', '},"', 'ünïcødé-日本語'];
    const posts = Array.from(
      { length: 40 },
      (_, post) => `https://blog.example.com/${site.id}/post-${post}${awkward && post % 3 === 1 ? odd[post % 5] : ''}`,
    );
    const title = (post: number) => (awkward && post % 4 === 2 ? `Post ${post}: "${odd[post % 5]}"` : `Post ${post}`);
    const counts = (salt: number): PageCounts =>
      Object.fromEntries(
        posts.flatMap((pageId, post) => {
          const views = (post * 7 + salt * 3) % 5 === 0 ? 0 : Math.floor(post / 8) + ((post + salt) % 3) * 0.5;
          return views > 0 ? [[pageId, views]] : [];
        }),
      );
    const old: PopularityStateV1 = {
      version: 1,
      hours: {},
      days: {},
      allTime: Object.fromEntries(posts.map((pageId, post) => [pageId, 1000 + (post % 4) * 10])),
      finalizedThrough: new Date(finalized).toISOString(),
      meta: Object.fromEntries(posts.map((pageId, post) => [pageId, meta(pageId, title(post))])),
    };
    if (awkward) old.meta = Object.fromEntries(Object.entries(old.meta).reverse());
    const unviewedPost = `https://blog.example.com/${site.id}/unviewed`;
    if (unviewed) old.meta[unviewedPost] = meta(unviewedPost, 'Unviewed post');
    for (let hour = 0; hour < 48; hour++) old.hours[new Date(finalized - hour * HOUR_MS).toISOString()] = counts(hour);
    for (let day = 0; day < 30; day++) old.days[utcDay(finalized - day * DAY_MS)] = counts(day + 100);
    await new PopularityStore(env.SALA).writeState(site.id, fromV1(old));
    const now = Date.now();
    for (const [post, pageId] of posts.entries()) {
      if (post % 3 !== 0) continue;
      const days = { [utcDay(now - (post % 10) * DAY_MS)]: 1 + (post % 2), [utcDay(now)]: post % 4 };
      if (post % 6 === 0) days[utcDay(now - (29 + ((post / 6) % 3)) * DAY_MS)] = 2;
      const metadata = { total: 5 + (post % 2), days, ...(post % 2 === 0 && { pageId }) };
      await env.SALA.put(countKey(await pageRef(site.id, pageId)), String(metadata.total), { metadata });
    }
    if (unviewed) {
      const metadata = { total: 4, days: { [utcDay(now - 7 * DAY_MS)]: 1, [utcDay(now)]: 2 }, pageId: unviewedPost };
      await env.SALA.put(countKey(await pageRef(site.id, unviewedPost)), String(metadata.total), { metadata });
    }
  }

  /**
   * The whole table as the Worker sent it before it ordered and paged (every post's counts from the state with its
   * ring of days, most viewed of all time first), sorted as the tab then sorted it, by `by` in `range`.
   */
  async function wholeTable(siteId: string, range: PopularRange, by: PopularBy): Promise<AdminPostStats[]> {
    const { state } = await new PopularityStore(env.SALA).readStateAndUsage(siteId);
    const now = Date.now();
    const commented = (await env.SALA.list({ prefix: `v1:count:${siteId}:` })).keys;
    const activity: Record<string, ReturnType<typeof toCommentActivity>> = {};
    for (const pageId of Object.keys(state.meta)) {
      const key = countKey(await pageRef(siteId, pageId));
      const listed = commented.find(({ name }) => name === key);
      if (listed) activity[pageId] = toCommentActivity(listed.metadata as never);
    }
    const perRange = (count: (range: PopularRange) => PageCounts, pageId: string) =>
      Object.fromEntries(POPULAR_RANGES.map((window) => [window, count(window)[pageId] ?? 0])) as Record<
        PopularRange,
        number
      >;
    const posts = Object.entries(state.meta).map(([pageId, hint]) => ({
      pageId,
      title: hint.title,
      url: hint.url,
      views: perRange((window) => viewsInRange(state, window, now), pageId),
      comments: perRange((window) => commentsInRange(activity, window, now), pageId),
    }));
    posts.sort(
      (a, b) => b.views.all - a.views.all || b.comments.all - a.comments.all || (a.pageId < b.pageId ? -1 : 1),
    );
    const other = by === 'views' ? 'comments' : 'views';
    return posts.sort((a, b) => b[by][range] - a[by][range] || b[other][range] - a[other][range]);
  }

  async function pagedTable(site: TestSite, range: PopularRange, by: PopularBy, total = 40): Promise<AdminPostStats[]> {
    const posts: AdminPostStats[] = [];
    for (let offset = 0; ; offset += 7) {
      const sent = await site.admin<AdminPostListResponse>(
        'GET',
        `/posts?range=${range}&by=${by}&limit=7&offset=${offset}`,
      );
      expect(sent.status).toBe(200);
      expect(sent.body.total).toBe(total);
      posts.push(...sent.body.posts);
      if (sent.body.posts.length < 7) return posts;
    }
  }

  // With a 41st post that has a hint but no slot, the counts' hint hashes do not list every row: the tab's rows are
  // then found in the hints' text, page by page; without it, they are the counts' slots with a hint.
  it.each([
    ['the day sums serve (finalized within today)', 0, true],
    ['the ring is read (finalized yesterday: the day sums were made for then)', 1, true],
    ['the day sums serve, every post viewed: the rows from the counts', 0, false],
    ['the ring is read, every post viewed: the rows from the counts', 1, false],
  ])(
    'pages through the table in every order with the counts it had before it paged: %s',
    async (_, daysBack, unviewed) => {
      const site = await TestSite.create();
      const lastHour = Date.parse(hourStart(Date.now())) - HOUR_MS;
      // Within today unless the last hour was yesterday's (00:xx UTC: then both cases read the ring).
      const finalized = daysBack === 0 ? lastHour : Date.parse(utcDay(Date.now() - DAY_MS)) + 12 * HOUR_MS;
      await monthOldBlog(site, finalized, unviewed);
      for (const range of POPULAR_RANGES) {
        for (const by of POPULAR_BYS) {
          const expected = await wholeTable(site.id, range, by);
          expect(await pagedTable(site, range, by, unviewed ? 41 : 40), `${range} by ${by}`).toEqual(expected);
        }
      }
    },
  );

  it.each([
    ['found in the hints’ text page by page', true],
    ['from the counts', false],
  ])(
    'pages through the same table when page ids and titles hold quotes, backslashes and the hints’ punctuation, and the hints are not in the slots’ order: rows %s',
    async (_, unviewed) => {
      const site = await TestSite.create();
      await monthOldBlog(site, Date.parse(hourStart(Date.now())) - HOUR_MS, unviewed, true);
      for (const range of POPULAR_RANGES) {
        for (const by of POPULAR_BYS) {
          const expected = await wholeTable(site.id, range, by);
          expect(expected.some((post) => post.pageId.includes('"') && post.title.includes('"'))).toBe(true);
          expect(await pagedTable(site, range, by, unviewed ? 41 : 40), `${range} by ${by}`).toEqual(expected);
        }
      }
    },
  );

  it('takes its rows from the counts and looks in the hints’ text for the rows it serves alone, not for every page', async () => {
    const site = await TestSite.create();
    await monthOldBlog(site, Date.parse(hourStart(Date.now())) - HOUR_MS);
    const hints = (await env.SALA.get(popularityMetaKey(site.id)))!;
    for (const by of POPULAR_BYS) {
      const expected = (await wholeTable(site.id, '7d', by)).slice(0, 5);
      resetIsolateState();
      const indexOf = vi.spyOn(String.prototype, 'indexOf');
      const sent = await site.admin<AdminPostListResponse>('GET', `/posts?range=7d&by=${by}&limit=5`);
      const searches = indexOf.mock.contexts.filter((text) => String(text) === hints).length;
      indexOf.mockRestore();
      expect(sent.body).toEqual({ posts: expected, total: 40 });
      // Read page by page, the text was searched twice a page (80 times); now about twice for each row served.
      expect(searches).toBeGreaterThan(0);
      expect(searches).toBeLessThanOrEqual(15);
    }
  });

  it('answers from the hints’ text page by page when a row the counts list has no hint there', async () => {
    const site = await TestSite.create();
    await monthOldBlog(site, Date.parse(hourStart(Date.now())) - HOUR_MS);
    // The hints as a fold that failed to write the counts after them would leave them: as many pages, one retitled
    // and one of them another page, not yet counted (so 0 views).
    const key = popularityMetaKey(site.id);
    const stored = JSON.parse((await env.SALA.get(key))!) as { pages: number; meta: Record<string, { title: string }> };
    const [gone, retitled] = Object.keys(stored.meta);
    const newcomer = `https://blog.example.com/${site.id}/newcomer`;
    stored.meta[newcomer] = { ...stored.meta[gone!]!, title: 'Newcomer' };
    delete stored.meta[gone!];
    stored.meta[retitled!]!.title = 'Retitled';
    await env.SALA.put(key, JSON.stringify(stored));
    for (const by of POPULAR_BYS) {
      const expected = await wholeTable(site.id, 'all', by);
      expect(expected.map((post) => post.title)).toContain('Newcomer');
      const sent = await site.admin<AdminPostListResponse>('GET', `/posts?range=all&by=${by}&limit=100`);
      expect(sent.body).toEqual({ posts: expected, total: 40 });
    }
  });

  it('parses the hints of the rows it serves alone, not the pages’ hints whole', async () => {
    const site = await TestSite.create();
    await monthOldBlog(site, Date.parse(hourStart(Date.now())) - HOUR_MS, true);
    const hints = (await env.SALA.get(popularityMetaKey(site.id)))!;
    for (const by of POPULAR_BYS) {
      resetIsolateState();
      const parse = vi.spyOn(JSON, 'parse');
      const sent = await site.admin<AdminPostListResponse>('GET', `/posts?range=7d&by=${by}&limit=7`);
      const parsed = parse.mock.calls.map(([value]) => String(value));
      parse.mockRestore();
      expect(sent.body.posts).toHaveLength(7);
      // A fresh isolate's request: the text of each row's hint parsed, and only those.
      expect(parsed).not.toContain(hints);
      const hintsParsed = parsed.filter((value) => value.startsWith('{"url":'));
      expect(hintsParsed.map((value) => (JSON.parse(value) as { title: string }).title).sort()).toEqual(
        sent.body.posts.map((post) => post.title).sort(),
      );
    }
  });

  it('answers every order from the page hashes the counts keep, hashing no page id, and from older counts as before', async () => {
    const site = await TestSite.create();
    await monthOldBlog(site, Date.parse(hourStart(Date.now())) - HOUR_MS);
    const orders = POPULAR_RANGES.flatMap((range) => POPULAR_BYS.map((by) => [range, by] as const));
    const expected: AdminPostStats[][] = [];
    for (const [range, by] of orders) expected.push(await wholeTable(site.id, range, by));
    const pageIds = expected[0]!.map((post) => post.pageId);
    // Every order paged through as a fresh isolate answers it, counting the page ids it hashes.
    const pagedInEveryOrder = async () => {
      forgetPageHashes();
      const digests = countDigests(pageIds);
      const tables: AdminPostStats[][] = [];
      for (const [range, by] of orders) tables.push(await pagedTable(site, range, by));
      return { tables, digests: digests.stop() };
    };
    const fromHashes = await pagedInEveryOrder();
    expect(fromHashes.tables).toEqual(expected);
    expect(fromHashes.digests).toBe(0);

    // Counts written before the page hashes were kept (format 5): the same table, page ids hashed as before.
    const counts = popularityCountsKey(site.id);
    await env.SALA.put(counts, withoutPageHashes((await env.SALA.get(counts, 'arrayBuffer'))!));
    const fromPageIds = await pagedInEveryOrder();
    expect(fromPageIds.tables).toEqual(expected);
    expect(fromPageIds.digests).toBeGreaterThan(0);

    // Every count key naming its page: the same table from those older counts, no page id hashed.
    for (const pageId of pageIds) {
      const key = countKey(await pageRef(site.id, pageId));
      const { value, metadata } = await env.SALA.getWithMetadata<Record<string, unknown>>(key);
      if (value !== null) await env.SALA.put(key, value, { metadata: { ...metadata, pageId } });
    }
    const fromNamedKeys = await pagedInEveryOrder();
    expect(fromNamedKeys.tables).toEqual(expected);
    expect(fromNamedKeys.digests).toBe(0);
  });

  it('names the page in its count key when the page id fits in the 1024 bytes of metadata, and leaves out no day for it', async () => {
    const site = await TestSite.create();
    const now = Date.now();
    const days = Object.fromEntries(Array.from({ length: 31 }, (_, day) => [utcDay(now - day * DAY_MS), 1 + day]));
    const metadata = { total: 496, last: new Date(now).toISOString(), days };
    const written = async (pageId: string) => {
      const page = await pageRef(site.id, pageId);
      await new ThreadStore(env.SALA).writeCount(page, metadata.total, metadata, pageId);
      return (await env.SALA.getWithMetadata<CountKeyMetadata>(countKey(page))).metadata!;
    };
    const short = await written(freshPage('short'));
    expect(short).toMatchObject({ ...metadata, pageId: expect.stringContaining('short') });
    const longPageId = `${freshPage('long')}?${'q'.repeat(PAGE_ID_MAX - 100)}`;
    const long = await written(longPageId);
    expect(long).toEqual({ ...metadata, at: expect.any(Number) });
    expect(new TextEncoder().encode(JSON.stringify(short)).byteLength).toBeLessThanOrEqual(1024);
  });

  it('orders a blog without comments by comments as by views, every count 0', async () => {
    const site = await TestSite.create();
    const pages = ['a', 'b', 'c'].map((name) => freshPage(name));
    const today = new Date().toISOString().slice(0, 10);
    const viewed = { [pages[0]!]: 2, [pages[1]!]: 9, [pages[2]!]: 5 };
    await new PopularityStore(env.SALA).writeState(
      site.id,
      fromV1({
        version: 1,
        hours: {},
        days: { [today]: viewed },
        allTime: viewed,
        finalizedThrough: `${today}T00:00:00.000Z`,
        meta: Object.fromEntries(pages.map((page, index) => [page, meta(page, `Post ${index}`)])),
      }),
    );
    // Today's day sum is in every range but 24h (its hours were not kept): ordered by comments, ties go by views.
    for (const range of ['7d', '30d', 'all'] as const) {
      const sent = await site.admin<AdminPostListResponse>('GET', `/posts?range=${range}&by=comments`);
      expect(sent.body.posts.map((post) => [post.title, post.views[range], post.comments])).toEqual(
        [1, 2, 0].map((index) => [`Post ${index}`, viewed[pages[index]!], { '24h': 0, '7d': 0, '30d': 0, all: 0 }]),
      );
    }
  });

  it('shows a post’s new title once the counts name it', async () => {
    const site = await TestSite.create();
    const page = freshPage('retitled');
    const today = new Date().toISOString().slice(0, 10);
    const state = (title: string) =>
      fromV1({
        version: 1,
        hours: {},
        days: { [today]: { [page]: 3 } },
        allTime: { [page]: 3 },
        finalizedThrough: `${today}T00:00:00.000Z`,
        meta: { [page]: meta(page, title) },
      });
    await new PopularityStore(env.SALA).writeState(site.id, state('First title'));
    const first = await site.admin<AdminPostListResponse>('GET', '/posts');
    expect(first.body.posts.map((post) => post.title)).toEqual(['First title']);
    await new PopularityStore(env.SALA).writeState(site.id, state('Second title'));
    const second = await site.admin<AdminPostListResponse>('GET', '/posts');
    expect(second.body.posts.map((post) => post.title)).toEqual(['Second title']);
  });

  it.each([
    ['range=week', 'range'],
    ['by=likes', 'by'],
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['offset=-1', 'offset'],
    ['offset=two', 'offset'],
  ])('refuses %s with a 400 naming the field', async (query, field) => {
    const site = await TestSite.create();
    const sent = await site.admin<{ error: { code: string; field: string } }>('GET', `/posts?${query}`);
    expect(sent.status).toBe(400);
    expect(sent.body.error).toMatchObject({ code: 'invalid_field', field });
  });
});
