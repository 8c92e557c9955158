/**
 * Popular-posts rankings: counts per window from the popularity state and comment activity, the ranking
 * document the cron writes once per site, and the pure filter that answers a popular-posts request from it
 * (one KV get per request, KV rule 3).
 */
import { normalizePageId } from '@sala/protocol';
import type { PageMeta, PopularBy, PopularPost, PopularPostsResponse, PopularRange } from '@sala/protocol';
import { shorten } from './page-meta.js';
import { addFinalized, slotsOf, type FinalizedWindow, type PageCounts, type PopularityState } from './popularity.js';
import { DAY_MS, HOUR_MS, lastDays } from './utc-time.js';

/** A page's approved comments: total, and per UTC day (`YYYY-MM-DD`) for at least the last 30 days. */
export interface CommentActivity {
  total: number;
  perDay: Record<string, number>;
}

export type CommentActivityByPage = Readonly<Record<string, CommentActivity>>;

export interface RankedPage {
  pageId: string;
  views: number;
  comments: number;
}

export interface RankOptions {
  range: PopularRange;
  by: PopularBy;
  now: number;
}

export const POPULAR_RANGES: readonly PopularRange[] = ['24h', '7d', '30d', 'all'];
export const POPULAR_BYS: readonly PopularBy[] = ['views', 'comments'];

const RANGE_DAYS = { '7d': 7, '30d': 30 } as const;

/**
 * The views of every page in each window: `pageIds[i]` has `views[range][i]`. The slots come first, then pages seen
 * only in live hours. 24h: the last 24 hourly buckets, the current one included (rolling). 7d / 30d: the last 7 /
 * 30 UTC days, today's live hours included. all: all-time plus live hours. `only`: those windows alone, and when
 * `only.slots` is given, those pages (by index in `pageIds`) alone; the rest stay 0 (the admin Posts tab orders by
 * one window and shows every window of a few pages).
 */
export function windowViews(
  state: PopularityState,
  now: number,
  slots: ReadonlyMap<string, number> = slotsOf(state.pageIds),
  only: { ranges: readonly PopularRange[]; slots?: readonly number[] } = { ranges: POPULAR_RANGES },
): { pageIds: readonly string[]; views: Record<PopularRange, Float64Array> } {
  const nowHour = Math.floor(now / HOUR_MS);
  const nowDay = Math.floor(now / DAY_MS);
  const windows: Record<PopularRange, FinalizedWindow> = {
    '24h': { hours: [nowHour - 23, nowHour] },
    '7d': { days: [nowDay - RANGE_DAYS['7d'] + 1, nowDay] },
    '30d': { days: [nowDay - RANGE_DAYS['30d'] + 1, nowDay] },
    all: { all: true },
  };
  const inWindow = (hour: string, range: PopularRange) => {
    const number = Date.parse(hour) / HOUR_MS;
    const { hours, days } = windows[range];
    if (range === 'all') return true;
    if (hours) return number >= hours[0] && number <= hours[1];
    const day = Math.floor(number / 24);
    return day >= days![0] && day <= days![1];
  };

  let pageIds: string[] = state.pageIds;
  const liveOnly = new Map<string, number>();
  const indexOf = (pageId: string) => slots.get(pageId) ?? liveOnly.get(pageId);
  for (const counts of Object.values(state.live)) {
    for (const pageId in counts) {
      if (indexOf(pageId) !== undefined) continue;
      if (pageIds === state.pageIds) pageIds = [...state.pageIds];
      liveOnly.set(pageId, pageIds.push(pageId) - 1);
    }
  }
  const views = Object.fromEntries(POPULAR_RANGES.map((range) => [range, new Float64Array(pageIds.length)])) as Record<
    PopularRange,
    Float64Array
  >;
  addFinalized(
    state,
    only.ranges.map((range) => ({ window: windows[range], views: views[range] })),
    only.slots?.filter((index) => index < state.pageIds.length),
  );
  let listed: Uint8Array | null = null;
  if (only.slots !== undefined) {
    listed = new Uint8Array(pageIds.length);
    for (const index of only.slots) listed[index] = 1;
  }
  for (const [hour, counts] of Object.entries(state.live)) {
    const targets = only.ranges.filter((range) => inWindow(hour, range)).map((range) => views[range]);
    // An open hour holds about a thousand pages at 5,000: `for…in` makes no [id, count] pair for each (measured
    // 0.15 to 0.3 ms of a warm 5,000-page run, when V8 still interprets this loop).
    for (const pageId in counts) {
      const index = indexOf(pageId)!;
      if (listed !== null && listed[index] !== 1) continue;
      const count = counts[pageId]!;
      for (const target of targets) target[index]! += count;
    }
  }
  return { pageIds, views };
}

/** Views per page in a window (`windowViews`), pages with none left out. */
export function viewsInRange(state: PopularityState, range: PopularRange, now: number): PageCounts {
  const { pageIds, views } = windowViews(state, now);
  const counts: PageCounts = {};
  pageIds.forEach((pageId, index) => {
    if (views[range][index]! > 0) counts[pageId] = views[range][index]!;
  });
  return counts;
}

/**
 * Comments per page in a window. Comment activity is kept per UTC day, so 24h counts today and yesterday:
 * never fewer than the last 24 hours hold, at most 48 hours' worth.
 */
export function commentsInRange(comments: CommentActivityByPage, range: PopularRange, now: number): PageCounts {
  const counts: PageCounts = {};
  const days = range === 'all' ? null : lastDays(now, range === '24h' ? 2 : RANGE_DAYS[range]);
  for (const [pageId, activity] of Object.entries(comments)) {
    const count = days === null ? activity.total : days.reduce((sum, day) => sum + (activity.perDay[day] ?? 0), 0);
    if (count > 0) counts[pageId] = count;
  }
  return counts;
}

/**
 * Comments on the windows' pages in each range, by slot as their views (`windowViews`): `slots` lists the pages with
 * any, `counts` is empty when none has.
 */
export interface WindowComments {
  slots: readonly number[];
  counts: Record<PopularRange, Float64Array>;
}

/**
 * `commentsInRange` of every range at once for `pages` (a slot of the windows' `slotCount`, and its activity): each
 * page's own days are read once, not every day of every range looked up in each page (a lookup by a made string per
 * page and day: most of what 500 commented pages added to a 5,000-page ranking run, worker/README.md "Comments
 * counted per slot"). Plain loops: a cron isolate's first run interprets this code, where iterators cost.
 */
export function windowComments(
  slotCount: number,
  pages: readonly (readonly [slot: number, activity: CommentActivity])[],
  now: number,
): WindowComments {
  const length = pages.length === 0 ? 0 : slotCount;
  const counts: Record<PopularRange, Float64Array> = {
    '24h': new Float64Array(length),
    '7d': new Float64Array(length),
    '30d': new Float64Array(length),
    all: new Float64Array(length),
  };
  // Days ago of each of the last 30 days; 24h takes today and yesterday, as in `commentsInRange`.
  const last30 = lastDays(now, RANGE_DAYS['30d']);
  const daysAgo = new Map<string, number>();
  for (let index = 0; index < last30.length; index++) daysAgo.set(last30[index]!, last30.length - 1 - index);
  const slots: number[] = [];
  for (let page = 0; page < pages.length; page++) {
    const slot = pages[page]![0];
    if (addPageComments(counts, slot, pages[page]![1], daysAgo)) slots.push(slot);
  }
  return { slots, counts };
}

/**
 * One page's comments in each window of `windowComments`, written at its `slot` when positive (as `commentsInRange`
 * keeps them); true when any is. `daysAgo`: the last 30 days, each with its days before today. A function of its own,
 * which the warm-up's count keys compile: as a loop inside `windowComments`, a fresh isolate's first ranking run
 * interpreted it for every day of every key (with a month of days a key, its largest part of Sala's own).
 */
function addPageComments(
  counts: Record<PopularRange, Float64Array>,
  slot: number,
  activity: CommentActivity,
  daysAgo: ReadonlyMap<string, number>,
): boolean {
  const { perDay, total } = activity;
  let day = 0;
  let week = 0;
  let month = 0;
  // `for…in`: no array of the days' names, and its loads of their counts take the object's own layout.
  for (const date in perDay) {
    const ago = daysAgo.get(date);
    if (ago === undefined) continue;
    const count = perDay[date]!;
    month += count;
    if (ago < RANGE_DAYS['7d']) week += count;
    if (ago < 2) day += count;
  }
  // A range's count is kept only when positive, as `commentsInRange` keeps it. Each test made on every page: the
  // warm-up's keys all have comments today, and a test it never made (`week > 0` after `day > 0 ||`) dropped the
  // compiled function back to the interpreter at the first real key without.
  let any = false;
  if (day > 0) {
    counts['24h'][slot] = day;
    any = true;
  }
  if (week > 0) {
    counts['7d'][slot] = week;
    any = true;
  }
  if (month > 0) {
    counts['30d'][slot] = month;
    any = true;
  }
  if (total > 0) {
    counts.all[slot] = total;
    any = true;
  }
  return any;
}

/**
 * The windows with `comments` by page id counted in (`windowComments`): a commented page they lack is added, with
 * no views.
 */
export function withCommentsByPageId(
  windows: WindowViews,
  comments: CommentActivityByPage,
  now: number,
): { windows: WindowViews; comments: WindowComments } {
  const slots = new Map(slotsOf(windows.pageIds));
  const pageIds = [...windows.pageIds];
  const pages = Object.entries(comments).map(([pageId, activity]) => {
    let slot = slots.get(pageId);
    if (slot === undefined) slots.set(pageId, (slot = pageIds.push(pageId) - 1));
    return [slot, activity] as const;
  });
  const views = Object.fromEntries(
    POPULAR_RANGES.map((range) => {
      const extended = new Float64Array(pageIds.length);
      extended.set(windows.views[range]);
      return [range, extended];
    }),
  ) as WindowViews['views'];
  return { windows: { pageIds, views }, comments: windowComments(pageIds.length, pages, now) };
}

/** Pages with at least one view (or comment) in the window, most first; ties by the other count, then page id. */
export function rankPages(state: PopularityState, comments: CommentActivityByPage, options: RankOptions): RankedPage[] {
  const views = viewsInRange(state, options.range, options.now);
  return rankCounts(views, commentsInRange(comments, options.range, options.now), options.by);
}

/** `rankPages` from a window's counts, computed once per window for both orders. */
function rankCounts(views: PageCounts, commentCounts: PageCounts, by: PopularBy): RankedPage[] {
  const ranked = Object.keys(by === 'views' ? views : commentCounts).map((pageId) => ({
    pageId,
    views: views[pageId] ?? 0,
    comments: commentCounts[pageId] ?? 0,
  }));
  const [first, second] = by === 'views' ? (['views', 'comments'] as const) : (['comments', 'views'] as const);
  return ranked
    .filter((page) => page[first] > 0)
    .sort((a, b) => b[first] - a[first] || b[second] - a[second] || (a.pageId < b.pageId ? -1 : 1));
}

// The ranking document ------------------------------------------------------------------------------------------

export type RankingKey = `${PopularRange}:${PopularBy}`;

/** `[index into pages, views, comments]`: compact, because the document is read on every popular-posts request. */
export type RankingEntry = [page: number, views: number, comments: number];

/** A page as the ranking document stores it: `pageId` only when it differs from `url` (on most blogs it does not). */
export interface RankedPageMeta extends PageMeta {
  pageId?: string;
}

/** One KV value per site, written by the cron: every ranking, and the metadata of every page they name. */
export interface RankingDocument {
  version: 1;
  generatedAt: string;
  pages: RankedPageMeta[];
  rankings: Record<RankingKey, RankingEntry[]>;
}

/**
 * Pages kept per ranking. A list shows at most 20; the rest is room for `exclude` and the `label` filter (a label
 * on 1 in 10 of the top pages still fills the default 5). Page metadata is most of the document, read on every
 * popular-posts request: in ranking.test.ts's 300-post blog, 100 per ranking measured 139 KB, 50 measured 83 KB.
 */
export const RANKING_DEPTH = 50;

/**
 * Characters of description the document keeps per page: a list snippet is two or three lines, and keeping
 * all 300 would add up to 140 bytes per listed page to a document read on every page view.
 */
export const SNIPPET_LENGTH = 160;

function rankedPageMeta(pageId: string, meta: PageMeta): RankedPageMeta {
  const page: RankedPageMeta = { url: meta.url, title: meta.title, labels: meta.labels };
  if (pageId !== meta.url) page.pageId = pageId;
  if (meta.image !== undefined) page.image = meta.image;
  if (meta.description !== undefined) page.description = shorten(meta.description, SNIPPET_LENGTH);
  if (meta.published !== undefined) page.published = meta.published;
  return page;
}

/** The views of every page in each window (`windowViews`): computed once per run for the lists and their pages. */
export type WindowViews = ReturnType<typeof windowViews>;

export function buildRankingDocument(
  state: PopularityState,
  comments: CommentActivityByPage,
  now: number,
  depth: number = RANKING_DEPTH,
): RankingDocument {
  const hasMeta = (pageId: string) => state.meta[pageId] !== undefined;
  const counted = withCommentsByPageId(windowViews(state, now), comments, now);
  return rankingDocument(rankAll(counted.windows, counted.comments, hasMeta, depth), state.meta, now, depth);
}

/** Every ranking's first pages, by `RankingKey`. */
export type Rankings = Record<RankingKey, RankedPage[]>;

/**
 * Each ranking's first `depth` pages among those `hasHint` accepts (given the page and its slot in the windows), from
 * the windows' views (`windowViews`) and their comments (`windowComments`). The cron ranks once, deeper than a list
 * keeps, among the pages with a beacon's hint (an address to read): the pages the lists can show, which it reads and
 * keeps (storage/page-verification.ts); the document then takes from the same rankings the pages read.
 */
export function rankAll(
  windows: WindowViews,
  comments: WindowComments,
  hasHint: (pageId: string, slot: number) => boolean,
  depth: number,
): Rankings {
  const rankings = {} as Rankings;
  // Whether each slot's page has a hint (1) or not (-1), asked once however many of the rankings offer it.
  const hinted = new Int8Array(windows.pageIds.length);
  const hasHintAt = (slot: number) => {
    if (hinted[slot] === 0) hinted[slot] = hasHint(windows.pageIds[slot]!, slot) ? 1 : -1;
    return hinted[slot] === 1;
  };
  for (const range of POPULAR_RANGES) {
    const window = { pageIds: windows.pageIds, views: windows.views[range], comments: comments.counts[range] };
    for (const by of POPULAR_BYS) rankings[`${range}:${by}`] = topPages(window, comments.slots, by, hasHintAt, depth);
  }
  return rankings;
}

/** The document of `rankings`: in each, the first `depth` pages that have metadata in `meta`, shown with it. */
export function rankingDocument(
  rankings: Rankings,
  meta: Readonly<Record<string, PageMeta>>,
  now: number,
  depth: number = RANKING_DEPTH,
): RankingDocument {
  const pages: RankedPageMeta[] = [];
  const pageIndex = new Map<string, number>();
  const entries = {} as Record<RankingKey, RankingEntry[]>;
  for (const [key, ranked] of Object.entries(rankings) as [RankingKey, RankedPage[]][]) {
    const list: RankingEntry[] = (entries[key] = []);
    for (const page of ranked) {
      if (list.length === depth) break;
      // Own properties only: a page id is whatever a beacon said, `constructor` included.
      const pageMeta = Object.hasOwn(meta, page.pageId) ? meta[page.pageId] : undefined;
      if (pageMeta === undefined) continue;
      let index = pageIndex.get(page.pageId);
      if (index === undefined) {
        index = pages.push(rankedPageMeta(page.pageId, pageMeta)) - 1;
        pageIndex.set(page.pageId, index);
      }
      list.push([index, page.views, page.comments]);
    }
  }
  return { version: 1, generatedAt: new Date(now).toISOString(), pages, rankings: entries };
}

/**
 * The first `depth` pages of `rankCounts` that have metadata (a page nobody has sent metadata for has no title or
 * link to show), gathered while the pages are read once: no sort of every page.
 */
function topPages(
  window: { pageIds: readonly string[]; views: Float64Array; comments: Float64Array },
  commented: readonly number[],
  by: PopularBy,
  hasMeta: (slot: number) => boolean,
  depth: number,
): RankedPage[] {
  let top: RankedPage[] = [];
  if (depth <= 0) return top;
  const order = by === 'views' ? viewsFirst : commentsFirst;
  const { pageIds, views, comments } = window;
  // Pages are gathered unsorted and cut back to `depth` whenever twice that many wait: a few sorts of 2 × depth
  // pages, not an insertion per page (the cron ranks 150 deep). `floor`: the count a page needs to be kept.
  let floor = 0;
  const offer = (slot: number, count: number) => {
    if (count <= 0 || count < floor || !hasMeta(slot)) return;
    // A slot's comments: none when no page has any (`comments` is then empty).
    top.push({ pageId: pageIds[slot]!, views: views[slot]!, comments: comments[slot] ?? 0 });
    if (top.length < 2 * depth) return;
    top = top.sort(order).slice(0, depth);
    floor = by === 'views' ? top[depth - 1]!.views : top[depth - 1]!.comments;
  };
  if (by === 'views') {
    // Most pages fall short of the kept ones on views alone: no object, no lookup.
    for (let slot = 0; slot < pageIds.length; slot++)
      if (views[slot]! > 0 && views[slot]! >= floor) offer(slot, views[slot]!);
  } else {
    for (let index = 0; index < commented.length; index++) offer(commented[index]!, comments[commented[index]!]!);
  }
  return top.sort(order).slice(0, depth);
}

/** The orders of `topPages`: most first by one count, ties by the other, then by page id. */
function viewsFirst(a: RankedPage, b: RankedPage): number {
  return b.views - a.views || b.comments - a.comments || byPageId(a, b);
}

function commentsFirst(a: RankedPage, b: RankedPage): number {
  return b.comments - a.comments || b.views - a.views || byPageId(a, b);
}

function byPageId(a: RankedPage, b: RankedPage): number {
  return a.pageId < b.pageId ? -1 : a.pageId > b.pageId ? 1 : 0;
}

/** The document as stored: `generatedAt` before the pages, so `sameRankings` compares what follows it. */
export function encodeRanking(document: RankingDocument): string {
  return JSON.stringify(document);
}

/**
 * True when two stored documents (`encodeRanking`) rank the same pages with the same counts and metadata, whenever
 * each was made: skip the write then. Compared as stored, without parsing the one read (80 KB at 300 posts: its
 * parse and the two documents' encoding were over 1 ms of a ranking run's first invocation).
 */
export function sameRankings(a: string, b: string): boolean {
  // A quote inside a string is escaped, so the first `,"pages":` is the key.
  const listed = (stored: string) => {
    const pages = stored.indexOf(',"pages":');
    return pages === -1 ? stored : stored.slice(pages);
  };
  return listed(a) === listed(b);
}

// Answering a popular-posts request -----------------------------------------------------------------------------

export const POPULAR_POSTS_LIMIT = { default: 5, max: 20 } as const;

export interface PopularPostsQuery {
  range: PopularRange;
  by: PopularBy;
  limit?: number;
  /** Only posts carrying this label (case-insensitive). */
  label?: string;
  /** Page ids to leave out, such as the page the list is shown on; normalised like every page id. */
  exclude?: readonly string[];
}

/** The list a `<sala-popular-posts>` element shows, from the site's ranking document (null: no data yet). */
export function popularPosts(document: RankingDocument | null, query: PopularPostsQuery): PopularPostsResponse {
  const requested = query.limit ?? POPULAR_POSTS_LIMIT.default;
  const limit = Number.isFinite(requested)
    ? Math.min(POPULAR_POSTS_LIMIT.max, Math.max(1, Math.floor(requested)))
    : POPULAR_POSTS_LIMIT.default;
  const excluded = new Set((query.exclude ?? []).map(normalizePageId));
  const label = query.label?.trim().toLowerCase() || null;
  const posts: PopularPost[] = [];

  for (const [index, views, comments] of document?.rankings[`${query.range}:${query.by}`] ?? []) {
    const page = document?.pages[index];
    if (!page) continue;
    const pageId = page.pageId ?? page.url;
    if (excluded.has(pageId)) continue;
    if (label !== null && !page.labels.some((candidate) => candidate.toLowerCase() === label)) continue;
    posts.push({ ...page, pageId, labels: [...page.labels], views, comments });
    if (posts.length === limit) break;
  }
  return { range: query.range, by: query.by, posts };
}
