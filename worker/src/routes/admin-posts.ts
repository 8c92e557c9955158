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
import { slotsOf } from '../domain/popularity.js';
import { commentsInRange, POPULAR_RANGES, windowViews, type CommentActivity } from '../domain/ranking.js';
import { listCommentActivity, type PageActivity } from '../storage/comment-activity.js';
import { pageRef } from '../storage/keys.js';
import { PopularityStore } from '../storage/popularity.js';

export const adminPosts = new Hono<AppEnv>();

function perRange(count: (range: PopularRange) => number): Record<PopularRange, number> {
  return Object.fromEntries(POPULAR_RANGES.map((range) => [range, count(range)])) as Record<PopularRange, number>;
}

/**
 * Comment activity by page id, looked up for the pages asked for only. Count keys are named by page hash, and 5,000
 * awaited digests were most of the route's time (worker/README.md "CPU time"), so a page id is hashed only when its
 * comments decide the order or are shown, the ones asked for at once; none when the site has no comments.
 */
class CommentLookup {
  readonly #byHash: Map<string, CountKeyMetadata>;
  readonly #found = new Map<string, CommentActivity | null>();
  #matched = 0;

  constructor(
    private readonly site: string,
    commented: readonly PageActivity[],
  ) {
    this.#byHash = new Map(commented.map(({ page, metadata }) => [page.pageHash, metadata]));
  }

  /** Every commented page is found: the pages not looked up have no comments. */
  get complete(): boolean {
    return this.#matched === this.#byHash.size;
  }

  /** Looks up those of `pageIds` not looked up yet, all at once; nothing once `complete`. */
  async find(pageIds: readonly string[]): Promise<void> {
    if (this.complete) return;
    const asked = pageIds.filter((pageId) => !this.#found.has(pageId));
    const refs = await Promise.all(asked.map((pageId) => pageRef(this.site, pageId)));
    refs.forEach(({ pageHash }, index) => {
      const metadata = this.#byHash.get(pageHash);
      this.#found.set(asked[index]!, metadata ? toCommentActivity(metadata) : null);
      if (metadata) this.#matched += 1;
    });
  }

  /** The activity of the pages found to have comments. */
  get activity(): Record<string, CommentActivity> {
    const activity: Record<string, CommentActivity> = {};
    for (const [pageId, found] of this.#found) if (found !== null) activity[pageId] = found;
    return activity;
  }
}

/** Page ids hashed at once when ordering by comments, most viewed first, until every commented page is found. */
const LOOKUP_CHUNK = 500;

/**
 * The rows `[from, to)` of the order by views in a window decide and show comments only within their ties: the bounds
 * of the runs of equal views that hold the first and the last row, in `byViews` (each row's views, most first).
 */
function tiedBounds(byViews: readonly number[], from: number, to: number): [number, number] {
  if (from >= to) return [from, from];
  let start = from;
  while (start > 0 && byViews[start - 1] === byViews[from]) start -= 1;
  let end = to;
  while (end < byViews.length && byViews[end] === byViews[to - 1]) end += 1;
  return [start, end];
}

adminPosts.get('/posts', async (c) => {
  const query = readPostListQuery(c.req.query());
  const site = c.get('site').id;
  const now = Date.now();
  const [state, commented] = await Promise.all([
    new PopularityStore(c.env.SALA).readForWindows(site, now),
    listCommentActivity(c.env.SALA, site),
  ]);
  const pageIds = Object.keys(state.meta);
  // Every window in one pass over the slots (the stored state has no live hours), then each listed page's views.
  const slots = slotsOf(state.pageIds);
  const { views } = windowViews(state, now, slots);
  const slotOf = new Int32Array(pageIds.length);
  pageIds.forEach((pageId, index) => (slotOf[index] = slots.get(pageId) ?? -1));
  const viewsIn = (range: PopularRange) => {
    const inRange = new Float64Array(slotOf.length);
    for (let index = 0; index < slotOf.length; index++)
      if (slotOf[index]! >= 0) inRange[index] = views[range][slotOf[index]!]!;
    return inRange;
  };
  const allTime = viewsIn('all');
  const { range, by, offset, limit } = query;
  let listed = pageIds.map((_, index) => index);
  let from = offset;
  const lookup = new CommentLookup(site, commented);
  if (by === 'views') {
    // Ordered by views in the range alone, then only the rows served and their ties need comments (`sortPosts`).
    const inRange = range === 'all' ? allTime : viewsIn(range);
    listed.sort((a, b) => inRange[b]! - inRange[a]!);
    const to = Math.min(offset + limit, listed.length);
    const [start, end] = tiedBounds(
      listed.map((index) => inRange[index]!),
      offset,
      to,
    );
    listed = listed.slice(start, end);
    from = offset - start;
    await lookup.find(listed.map((index) => pageIds[index]!));
  } else {
    // Most viewed of all time first: the likeliest to hold comments, so the lookup may stop sooner.
    listed.sort((a, b) => allTime[b]! - allTime[a]!);
    for (let chunk = 0; chunk < listed.length && !lookup.complete; chunk += LOOKUP_CHUNK) {
      await lookup.find(listed.slice(chunk, chunk + LOOKUP_CHUNK).map((index) => pageIds[index]!));
    }
  }
  const activity = lookup.activity;
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
