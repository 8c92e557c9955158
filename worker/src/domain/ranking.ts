/**
 * Popular-posts rankings: counts per window from the popularity state and comment activity, the ranking
 * document the cron writes once per site, and the pure filter that answers a popular-posts request from it
 * (one KV get per request, KV rule 3).
 */
import { normalizePageId } from '@sala/protocol';
import type { PageMeta, PopularBy, PopularPost, PopularPostsResponse, PopularRange } from '@sala/protocol';
import { shorten } from './page-meta.js';
import {
  addFinalized,
  daySumsServe,
  slotsOf,
  type FinalizedWindow,
  type PageCounts,
  type PopularityState,
} from './popularity.js';
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
  const windows = windowsAt(now);
  const { pageIds, indexOf } = windowPages(state, slots);
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
    const targets = only.ranges.filter((range) => inWindow(windows, hour, range)).map((range) => views[range]);
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

/** The finalized part of each window a ranking at `now` sums (`windowViews`). */
function windowsAt(now: number): Record<PopularRange, FinalizedWindow> {
  const nowHour = Math.floor(now / HOUR_MS);
  const nowDay = Math.floor(now / DAY_MS);
  return {
    '24h': { hours: [nowHour - 23, nowHour] },
    '7d': { days: [nowDay - RANGE_DAYS['7d'] + 1, nowDay] },
    '30d': { days: [nowDay - RANGE_DAYS['30d'] + 1, nowDay] },
    all: { all: true },
  };
}

/** True when the live `hour` (an ISO hour start) is in `range`'s window (`windowsAt`). */
function inWindow(windows: Record<PopularRange, FinalizedWindow>, hour: string, range: PopularRange): boolean {
  if (range === 'all') return true;
  const number = Date.parse(hour) / HOUR_MS;
  const { hours, days } = windows[range];
  if (hours) return number >= hours[0] && number <= hours[1];
  const day = Math.floor(number / 24);
  return day >= days![0] && day <= days![1];
}

/**
 * The pages of the windows (`windowViews`): the slots first, then the pages seen only in live hours, in the order
 * the live hours name them; `indexOf` gives a page's index among them.
 */
export interface WindowPages {
  pageIds: readonly string[];
  indexOf: (pageId: string) => number | undefined;
}

export function windowPages(state: PopularityState, slots: ReadonlyMap<string, number>): WindowPages {
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
  return { pageIds, indexOf };
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
    const { total, perDay } = pages[page]![1];
    let day = 0;
    let week = 0;
    let month = 0;
    const dates = Object.keys(perDay);
    for (let index = 0; index < dates.length; index++) {
      const ago = daysAgo.get(dates[index]!);
      if (ago === undefined) continue;
      const count = perDay[dates[index]!]!;
      month += count;
      if (ago < RANGE_DAYS['7d']) week += count;
      if (ago < 2) day += count;
    }
    // A range's count is kept only when positive, as `commentsInRange` keeps it.
    if (day > 0) counts['24h'][slot] = day;
    if (week > 0) counts['7d'][slot] = week;
    if (month > 0) counts['30d'][slot] = month;
    if (total > 0) counts.all[slot] = total;
    if (day > 0 || week > 0 || month > 0 || total > 0) slots.push(slot);
  }
  return { slots, counts };
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

/**
 * The slots a ranking run of one hour ranks instead of every slot (worker/README.md "Popularity state", "Ranking
 * candidates"), noted by the fold that ends the hour before from the counts it writes: in each window, every slot
 * with as many finalized views as the `depth`-th slot with a hint (all slots with views when fewer have a hint),
 * and for each window the most finalized views a slot left out has there (`bounds`, in `POPULAR_RANGES`' order).
 */
export interface RankingCandidates {
  /** The hour (hours since the epoch) whose ranking runs may use them: the windows' ends. */
  hour: number;
  /** Slots of the counts written with them, each once. */
  slots: Uint32Array;
  /** Per window, the most finalized views any slot not in `slots` has in it (a hair above: never less). */
  bounds: Float64Array;
}

/**
 * The candidates of the ranking runs of `now`'s hour (`RankingCandidates`) from `state` as a fold leaves it (its
 * hours final, no live hour); `hints`: each slot's hint hash, 0 for a page without a beacon's hint (only pages
 * with one are ranked). Typed arrays and plain loops: a fold is often a fresh isolate's first run. Null when
 * the windows cannot be summed from what the fold read: the day ring not read and its sums not for today's windows
 * (the fold before a day's first, at 00:10).
 */
export function rankingCandidates(
  state: PopularityState,
  now: number,
  hints: Uint32Array,
  depth: number,
): RankingCandidates | null {
  if (state.finalizedThrough !== null && state.days === null && !daySumsServe(state, state.daySums, now)) return null;
  const slots = state.pageIds.length;
  const windows = windowsAt(now);
  const [day, week, month, all] = POPULAR_RANGES.map(() => new Float64Array(slots)) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  addFinalized(state, [
    { window: windows['24h'], views: day },
    { window: windows['7d'], views: week },
    { window: windows['30d'], views: month },
    { window: windows.all, views: all },
  ]);
  // Two passes over the slots, each over the four windows at once (a fold is often a fresh isolate's first run, its
  // loops interpreted): the views of the pages with a hint, then which slots reach a window's floor.
  const hinted = [new Float64Array(slots), new Float64Array(slots), new Float64Array(slots), new Float64Array(slots)];
  let count = 0;
  for (let slot = 0; slot < slots; slot++) {
    if (hints[slot] === 0) continue;
    hinted[0]![count] = day[slot]!;
    hinted[1]![count] = week[slot]!;
    hinted[2]![count] = month[slot]!;
    hinted[3]![count] = all[slot]!;
    count++;
  }
  // In each window, the views of the `depth`-th page with a hint: a page with fewer stays under those `depth` pages
  // whatever the open hour adds to them; 0 when fewer pages with a hint have views (every page with views is taken).
  const [dayFloor, weekFloor, monthFloor, allFloor] = hinted.map((views) => {
    const sorted = views.subarray(0, count).sort();
    return count < depth ? 0 : sorted[count - depth]!;
  }) as [number, number, number, number];
  const listed: number[] = [];
  const bounds = new Float64Array(4);
  for (let slot = 0; slot < slots; slot++) {
    const d = day[slot]!;
    const w = week[slot]!;
    const m = month[slot]!;
    const a = all[slot]!;
    if (
      (d > 0 && d >= dayFloor) ||
      (w > 0 && w >= weekFloor) ||
      (m > 0 && m >= monthFloor) ||
      (a > 0 && a >= allFloor)
    ) {
      listed.push(slot);
      continue;
    }
    if (d > bounds[0]!) bounds[0] = d;
    if (w > bounds[1]!) bounds[1] = w;
    if (m > bounds[2]!) bounds[2] = m;
    if (a > bounds[3]!) bounds[3] = a;
  }
  // A hair above, so a sum made in another order (the day ring against its sums) can never pass it.
  for (let range = 0; range < bounds.length; range++) bounds[range] = bounds[range]! * (1 + 2 ** -40);
  return { hour: Math.floor(now / HOUR_MS), slots: Uint32Array.from(listed), bounds };
}

/**
 * `rankAll` over the fold's candidates (`RankingCandidates`, of `now`'s hour and of `state`'s counts), every page of
 * the live hours and every commented page (`comments`, by index in `pages`, as `windowViews` numbers the pages):
 * the same rankings, from a few hundred pages instead of every slot. A page left out has no live view, so its views
 * are its finalized ones, at most the window's bound, and it is not commented; a list by views takes it only if
 * fewer than `depth` pages with a hint have more views than that, which is checked here. Null when the check fails
 * (a hint lost since the fold): rank every page then. `hasHint` is given each page's index in `pages`. With the
 * rankings, how many pages were ranked.
 */
export function rankCandidates(
  state: PopularityState,
  now: number,
  pages: WindowPages,
  candidates: RankingCandidates,
  comments: WindowComments,
  hasHint: (pageId: string, index: number) => boolean,
  depth: number,
): { rankings: Rankings; pages: number } | null {
  const stateSlots = state.pageIds.length;
  // Each page's place among those ranked, -1 for one left out; the slots first, then the pages seen only live.
  const place = new Int32Array(pages.pageIds.length).fill(-1);
  const slots: number[] = [];
  const liveOnly: number[] = [];
  const take = (index: number) => {
    if (place[index] !== -1) return;
    place[index] = 0;
    (index < stateSlots ? slots : liveOnly).push(index);
  };
  for (let at = 0; at < candidates.slots.length; at++)
    if (candidates.slots[at]! < stateSlots) take(candidates.slots[at]!);
  // The live hours' views, read once: each page's index, views and hour (the order `windowViews` adds them in).
  const hours = Object.keys(state.live);
  const liveIndex: number[] = [];
  const liveViews: number[] = [];
  const liveHour: number[] = [];
  for (let hour = 0; hour < hours.length; hour++) {
    const counts = state.live[hours[hour]!]!;
    for (const pageId in counts) {
      const index = pages.indexOf(pageId)!;
      take(index);
      liveIndex.push(index);
      liveViews.push(counts[pageId]!);
      liveHour.push(hour);
    }
  }
  for (let at = 0; at < comments.slots.length; at++) take(comments.slots[at]!);
  const order = slots.concat(liveOnly);
  for (let at = 0; at < order.length; at++) place[order[at]!] = at;

  const windows = windowsAt(now);
  const views = {} as Record<PopularRange, Float64Array>;
  for (const range of POPULAR_RANGES) views[range] = new Float64Array(order.length);
  addFinalized(
    state,
    POPULAR_RANGES.map((range) => ({ window: windows[range], views: views[range] })),
    slots,
    true,
  );
  const targetsOf = hours.map((hour) =>
    POPULAR_RANGES.filter((range) => inWindow(windows, hour, range)).map((range) => views[range]),
  );
  for (let live = 0; live < liveIndex.length; live++) {
    const at = place[liveIndex[live]!]!;
    const targets = targetsOf[liveHour[live]!]!;
    for (let target = 0; target < targets.length; target++) targets[target]![at]! += liveViews[live]!;
  }
  const pageIds = order.map((index) => pages.pageIds[index]!);
  const hinted = (pageId: string, at: number) => hasHint(pageId, order[at]!);
  for (let range = 0; range < POPULAR_RANGES.length; range++) {
    const bound = candidates.bounds[range]!;
    if (bound === 0) continue;
    if (!(bound > 0)) return null;
    const counts = views[POPULAR_RANGES[range]!];
    let above = 0;
    for (let at = 0; at < order.length && above < depth; at++)
      if (counts[at]! > bound && hinted(pageIds[at]!, at)) above++;
    if (above < depth) return null;
  }
  const commented = comments.counts.all.length > 0;
  const counts = {} as Record<PopularRange, Float64Array>;
  for (const range of POPULAR_RANGES) {
    counts[range] = new Float64Array(commented ? order.length : 0);
    if (commented) for (let at = 0; at < order.length; at++) counts[range][at] = comments.counts[range][order[at]!]!;
  }
  const commentedPlaces = comments.slots.map((index) => place[index]!);
  return {
    rankings: rankAll({ pageIds, views }, { slots: commentedPlaces, counts }, hinted, depth),
    pages: order.length,
  };
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
