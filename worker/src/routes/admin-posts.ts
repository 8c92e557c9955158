/**
 * /api/v1/admin/sites/:site/posts: views and comments per post for the admin page's table, one page of it in the
 * order asked for, from what the popular-posts cron keeps (the counts, the day sums or ring, the pages' hints; one
 * list() per 1,000 commented pages). worker/README.md "CPU time" has what it costs at 5,000 posts.
 */
import type { AdminPostListResponse, AdminPostStats, PopularRange } from '@sala/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { toCommentActivity, type CountKeyMetadata } from '../domain/comment-activity.js';
import { readPostListQuery, sortPosts, type PostCounts } from '../domain/post-stats.js';
import { NO_MATCH, PageHashLookup, UNKNOWN_HASH } from '../domain/page-hashes.js';
import { slotsOf } from '../domain/popularity.js';
import {
  commentsInRange,
  POPULAR_RANGES,
  windowViews,
  type CommentActivity,
  type CommentActivityByPage,
} from '../domain/ranking.js';
import { listCommentActivity, type PageActivity } from '../storage/comment-activity.js';
import { pageRef, rememberedPageHash } from '../storage/keys.js';
import { PopularityStore } from '../storage/popularity.js';

export const adminPosts = new Hono<AppEnv>();

function perRange(count: (range: PopularRange) => number): Record<PopularRange, number> {
  return Object.fromEntries(POPULAR_RANGES.map((range) => [range, count(range)])) as Record<PopularRange, number>;
}

/**
 * Comment activity of the pages `pageIds` lists, looked up for the pages asked for only (by their index there). A count
 * key whose metadata names its page (domain/comment-activity.ts `pageId`) is placed at once, by the page's index
 * (`indexOf`). The others (written before, or for a page id too long to name) are named by page hash: each slot's
 * comes with the counts (domain/page-hashes.ts), compared as numbers with the count keys', so a page with one is
 * looked up without a digest. A page without one (counts written before they were kept, a page given a slot since the
 * last fold, a page with no slot) is hashed, as before, only when its comments decide the order or are shown, the ones
 * asked for at once, and a hash this isolate has is taken without a promise: 5,000 awaited digests were most of the
 * route's time (worker/README.md "CPU time"). Only the pages asked for are given their activity. None when the site
 * has no comments.
 */
class CommentLookup {
  /** The metadata of the count keys that do not name their page, by page hash. */
  readonly #byHash: Map<string, CountKeyMetadata>;
  readonly #looked: Uint8Array;
  /** The count keys' hashes, found by the page hashes the counts keep; null when they keep none. */
  readonly #stored: PageHashLookup | null;
  readonly #hashes: readonly string[];
  #matched = 0;
  readonly activity: Record<string, CommentActivity> = {};
  /** The indexes in `pageIds` of the pages given their activity. */
  readonly found: number[] = [];

  /**
   * `slotOf`: each listed page's slot in the counts (-1: none); `pageHashes`: each slot's page hash, as stored;
   * `indexOf`: a page id's index in `pageIds` (undefined: not listed).
   */
  constructor(
    private readonly site: string,
    private readonly pageIds: readonly string[],
    commented: readonly PageActivity[],
    private readonly slotOf: Int32Array,
    pageHashes: Uint8Array | null,
    indexOf: (pageId: string) => number | undefined,
  ) {
    this.#looked = new Uint8Array(pageIds.length);
    const unnamed: PageActivity[] = [];
    for (const count of commented) {
      if (count.metadata.pageId === undefined) unnamed.push(count);
      else {
        // A page not listed (no hint yet) is not in the table: nothing to find.
        const index = indexOf(count.metadata.pageId);
        if (index === undefined || this.#looked[index]) continue;
        this.#looked[index] = 1;
        this.activity[count.metadata.pageId] = toCommentActivity(count.metadata);
        this.found.push(index);
      }
    }
    this.#byHash = new Map(unnamed.map(({ page, metadata }) => [page.pageHash, metadata]));
    this.#hashes = unnamed.map(({ page }) => page.pageHash);
    this.#stored = pageHashes === null || unnamed.length === 0 ? null : new PageHashLookup(pageHashes, this.#hashes);
  }

  /** Every commented page is found: the pages not looked up have no comments. */
  get complete(): boolean {
    return this.#matched === this.#byHash.size;
  }

  /** Looks up those of the pages at `indexes` not looked up yet, all at once; nothing once `complete`. */
  async find(indexes: readonly number[]): Promise<void> {
    if (this.complete) return;
    const unknown: number[] = [];
    for (const index of indexes) {
      if (this.#looked[index]) continue;
      this.#looked[index] = 1;
      const stored = this.#stored?.match(this.slotOf[index]!) ?? UNKNOWN_HASH;
      if (stored !== UNKNOWN_HASH) {
        if (stored !== NO_MATCH) this.#add(index, this.#hashes[stored]!);
        continue;
      }
      const hash = rememberedPageHash(this.pageIds[index]!);
      if (hash === undefined) unknown.push(index);
      else this.#add(index, hash);
    }
    if (unknown.length === 0) return;
    const refs = await Promise.all(unknown.map((index) => pageRef(this.site, this.pageIds[index]!)));
    refs.forEach(({ pageHash }, at) => this.#add(unknown[at]!, pageHash));
  }

  #add(index: number, pageHash: string): void {
    const metadata = this.#byHash.get(pageHash);
    if (metadata === undefined) return;
    this.activity[this.pageIds[index]!] = toCommentActivity(metadata);
    this.found.push(index);
    this.#matched += 1;
  }
}

/** Page ids hashed at once when ordering by comments, most viewed first, until every commented page is found. */
const LOOKUP_CHUNK = 500;

/**
 * The rows `[from, to)` of an order by one column are ordered by the rest only within their ties: the bounds of the
 * runs of equal counts that hold the first and the last row, in `counts` (each row's, most first).
 */
function tiedBounds(counts: readonly number[], from: number, to: number): [number, number] {
  if (from >= to) return [from, from];
  let start = from;
  while (start > 0 && counts[start - 1] === counts[from]) start -= 1;
  let end = to;
  while (end < counts.length && counts[end] === counts[to - 1]) end += 1;
  return [start, end];
}

adminPosts.get('/posts', async (c) => {
  const { range, by, offset, limit } = readPostListQuery(c.req.query());
  const site = c.get('site').id;
  const now = Date.now();
  const [{ state, pageHashes }, commented] = await Promise.all([
    new PopularityStore(c.env.SALA).readForWindows(site, now),
    listCommentActivity(c.env.SALA, site),
  ]);
  const pageIds = Object.keys(state.meta);
  // The windows the order reads (the range's and all time's, most viewed first and the ties) in one pass over the
  // slots, then each listed page's views; the other windows only for the rows served (below): the 24 hours' cells of
  // every slot were a fifth of a fresh isolate's first request at 5,000 pages (worker/README.md "CPU time").
  const slots = slotsOf(state.pageIds);
  const ordering: PopularRange[] = range === 'all' ? ['all'] : [range, 'all'];
  const { views } = windowViews(state, now, slots, { ranges: ordering });
  const slotOf = new Int32Array(pageIds.length);
  pageIds.forEach((pageId, index) => (slotOf[index] = slots.get(pageId) ?? -1));
  // A page id's index in `pageIds` by its slot; the few listed without one (a hint, no views yet) by a map made once.
  const indexOfSlot = new Int32Array(state.pageIds.length).fill(-1);
  slotOf.forEach((slot, index) => slot >= 0 && (indexOfSlot[slot] = index));
  let unslotted: Map<string, number> | undefined;
  const indexOf = (pageId: string): number | undefined => {
    const slot = slots.get(pageId);
    if (slot !== undefined && indexOfSlot[slot]! >= 0) return indexOfSlot[slot];
    if (!Object.hasOwn(state.meta, pageId)) return undefined;
    unslotted ??= new Map(pageIds.flatMap((id, index) => (slotOf[index]! < 0 ? [[id, index] as const] : [])));
    return unslotted.get(pageId);
  };
  const viewsIn = (window: PopularRange) => {
    const counts = new Float64Array(slotOf.length);
    for (let index = 0; index < slotOf.length; index++)
      if (slotOf[index]! >= 0) counts[index] = views[window][slotOf[index]!]!;
    return counts;
  };
  const allTime = viewsIn('all');
  // Only the pages found with comments are looked at: a call per page of 5,000 costs where V8 still interprets.
  const commentsIn = (activity: CommentActivityByPage) => {
    const counts = commentsInRange(activity, range, now);
    const byIndex = new Float64Array(pageIds.length);
    for (const index of lookup.found) byIndex[index] = counts[pageIds[index]!] ?? 0;
    return byIndex;
  };
  let listed = pageIds.map((_, index) => index);
  const lookup = new CommentLookup(site, pageIds, commented, slotOf, pageHashes, indexOf);
  // Every count key naming its page (as the thread rebuild writes them), every commented page is found already.
  if (by === 'comments' && !lookup.complete) {
    // Most viewed of all time first: the likeliest to hold comments, so the lookup may stop sooner.
    listed.sort((a, b) => allTime[b]! - allTime[a]!);
    for (let chunk = 0; chunk < listed.length && !lookup.complete; chunk += LOOKUP_CHUNK) {
      await lookup.find(listed.slice(chunk, chunk + LOOKUP_CHUNK));
    }
  }
  // Ordered by the column in the range alone; only the rows served and their ties are ordered whole (`sortPosts`),
  // and ordering by views, only those need comments.
  const inRange = by === 'views' ? (range === 'all' ? allTime : viewsIn(range)) : commentsIn(lookup.activity);
  listed.sort((a, b) => inRange[b]! - inRange[a]!);
  const to = Math.min(offset + limit, listed.length);
  const [start, end] = tiedBounds(
    listed.map((index) => inRange[index]!),
    offset,
    to,
  );
  listed = listed.slice(start, end);
  const from = offset - start;
  const others = POPULAR_RANGES.filter((window) => !ordering.includes(window));
  if (others.length > 0) {
    const shown = listed.map((index) => slotOf[index]!).filter((slot) => slot >= 0);
    const rest = windowViews(state, now, slots, { ranges: others, slots: shown }).views;
    for (const window of others) views[window] = rest[window];
  }
  if (by === 'views') await lookup.find(listed);
  // Every range's comments of the rows listed alone: of every commented page, a first run spent 4 ms on them.
  const activity: Record<string, CommentActivity> = {};
  for (const index of listed) {
    const pageId = pageIds[index]!;
    const found = lookup.activity[pageId];
    if (found !== undefined) activity[pageId] = found;
  }
  const comments = perRangeCounts((window) => commentsInRange(activity, window, now));
  const counted: PostCounts[] = listed.map((index) => {
    const pageId = pageIds[index]!;
    const slot = slotOf[index]!;
    return {
      pageId,
      views: perRange((window) => (slot < 0 ? 0 : views[window][slot]!)),
      comments: perRange((window) => comments[window][pageId] ?? 0),
    };
  });
  const served = sortPosts(counted, range, by).slice(from, from + limit);
  const posts: AdminPostStats[] = served.map(({ pageId, views: viewCounts, comments: commentCounts }) => {
    const { title, url } = state.meta[pageId]!;
    return { pageId, title, url, views: viewCounts, comments: commentCounts };
  });
  return c.json<AdminPostListResponse>({ posts, total: pageIds.length });
});

function perRangeCounts(
  counts: (range: PopularRange) => Record<string, number>,
): Record<PopularRange, Record<string, number>> {
  return Object.fromEntries(POPULAR_RANGES.map((range) => [range, counts(range)])) as Record<
    PopularRange,
    Record<string, number>
  >;
}
