/**
 * /api/v1/admin/sites/:site/posts: views and comments per post for the admin page's table, one page of it in the
 * order asked for, from what the popular-posts cron keeps (the counts, the day sums or ring, the pages' hints; one
 * list() per 1,000 commented pages). worker/README.md "CPU time" has what it costs at 5,000 posts.
 */
import type { AdminPostListQuery, AdminPostListResponse, AdminPostStats, PopularRange } from '@sala/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { toCommentActivity, type CountKeyMetadata } from '../domain/comment-activity.js';
import { readPostListQuery, sortPosts, type PostCounts } from '../domain/post-stats.js';
import { NO_MATCH, PAGE_HASH_BYTES, PageHashLookup, UNKNOWN_HASH } from '../domain/page-hashes.js';
import type { PopularityState } from '../domain/popularity.js';
import { slotsOf } from '../domain/popularity.js';
import { POPULAR_RANGES, windowComments, windowViews, type CommentActivity } from '../domain/ranking.js';
import { listCommentActivity, type PageActivity } from '../storage/comment-activity.js';
import type { PageHintIndex } from '../storage/hint-index.js';
import { pageRef, rememberedPageHash } from '../storage/keys.js';
import { PopularityStore } from '../storage/popularity.js';

export const adminPosts = new Hono<AppEnv>();

function perRange<T>(count: (range: PopularRange) => T): Record<PopularRange, T> {
  return Object.fromEntries(POPULAR_RANGES.map((range) => [range, count(range)])) as Record<PopularRange, T>;
}

/**
 * Comment activity of the pages `pageIds` lists, looked up for the pages asked for only (by their index there). When
 * the counts keep every listed page's hash, every count key is found among them at once (`placeByHash`: typed arrays,
 * no page id looked up). Otherwise a count key whose metadata names its page (domain/comment-activity.ts `pageId`) is
 * found by the page's id: for the rows asked for, or for every row in one pass when the order needs every commented
 * page (`placeNamed`). The others (written before, or for a page id too long to name) are named by page hash: each
 * slot's comes with the counts (domain/page-hashes.ts), compared as numbers with the count keys', so a page with one
 * is looked up without a digest. A page without one (counts written before they were kept, a page given a slot since
 * the last fold, a page with no slot) is hashed, as before, only when its comments decide the order or are shown, the
 * ones asked for at once, and a hash this isolate has is taken without a promise: 5,000 awaited digests were most of
 * the route's time (worker/README.md "CPU time"). Only the pages asked for are given their activity, by their index
 * (an integer key: an object keyed by 500 page ids cost a fresh isolate 2 to 3 ms of hidden classes). None when the
 * site has no comments.
 */
class CommentLookup {
  /** The metadata of the count keys that name their page, by page id. */
  readonly #byPageId = new Map<string, CountKeyMetadata>();
  /** The metadata of the count keys that do not name their page, by page hash. */
  readonly #byHash: Map<string, CountKeyMetadata>;
  readonly #looked: Uint8Array;
  /** The count keys' hashes, found by the page hashes the counts keep; null when they keep none. */
  readonly #stored: PageHashLookup | null;
  readonly #hashes: readonly string[];
  #matched = 0;
  /** Every listed page was given its activity (`placeByHash`): nothing is left to look up. */
  #placed = false;
  /** The pages given their activity: each one's index in `pageIds`, and its activity. */
  readonly found: [index: number, activity: CommentActivity][] = [];

  /** `slotOf`: each listed page's slot in the counts (-1: none); `pageHashes`: each slot's page hash, as stored. */
  constructor(
    private readonly site: string,
    private readonly pageIds: readonly string[],
    private readonly commented: readonly PageActivity[],
    private readonly slotOf: Int32Array,
    private readonly pageHashes: Uint8Array | null,
  ) {
    this.#looked = new Uint8Array(pageIds.length);
    const unnamed: PageActivity[] = [];
    for (const count of commented) {
      const { pageId } = count.metadata;
      if (pageId === undefined) unnamed.push(count);
      else if (!this.#byPageId.has(pageId)) this.#byPageId.set(pageId, count.metadata);
    }
    this.#byHash = new Map(unnamed.map(({ page, metadata }) => [page.pageHash, metadata]));
    this.#hashes = unnamed.map(({ page }) => page.pageHash);
    this.#stored = pageHashes === null || unnamed.length === 0 ? null : new PageHashLookup(pageHashes, this.#hashes);
  }

  /**
   * Gives every listed page its count key's activity by the page hashes the counts keep, in one pass over the slots
   * (`PageHashLookup.matches`), when they keep every listed page's; false, and nothing given, when they do not (then
   * `placeNamed` and `find`). `aligned`: the rows `[0, aligned)` are the slots `[0, aligned)`.
   */
  placeByHash(aligned: number): boolean {
    const column = this.pageHashes;
    const { slotOf, commented } = this;
    if (column === null || commented.length === 0) return false;
    const slots = Math.floor(column.length / PAGE_HASH_BYTES);
    // Each slot's row, when the rows are not the slots themselves; every row must have a slot, and so a hash.
    let rowOf: Int32Array | null = null;
    if (aligned < slotOf.length || slotOf.length !== slots) {
      rowOf = new Int32Array(slots).fill(-1);
      for (let index = 0; index < slotOf.length; index++) {
        if (slotOf[index]! < 0) return false;
        rowOf[slotOf[index]!] = index;
      }
    }
    const found = new PageHashLookup(
      column,
      commented.map(({ page }) => page.pageHash),
    ).matches(slots);
    if (found === null) return false;
    for (let at = 0; at < found.slots.length; at++) {
      const index = rowOf === null ? found.slots[at]! : rowOf[found.slots[at]!]!;
      if (index >= 0) this.#give(index, commented[found.hashes[at]!]!.metadata);
    }
    this.#placed = true;
    return true;
  }

  /**
   * Gives every listed page a count key names its activity: one pass over the rows (a key naming a page not listed,
   * no hint yet, is not in the table).
   */
  placeNamed(): void {
    const byPageId = this.#byPageId;
    if (byPageId.size === 0 || this.#placed) return;
    const { pageIds } = this;
    const looked = this.#looked;
    for (let index = 0; index < pageIds.length; index++) {
      const metadata = byPageId.get(pageIds[index]!);
      if (metadata === undefined || looked[index]) continue;
      looked[index] = 1;
      this.#give(index, metadata);
    }
  }

  /** Every commented page is found: the pages not looked up have no comments. */
  get complete(): boolean {
    return this.#placed || this.#matched === this.#byHash.size;
  }

  /** Looks up those of the pages at `indexes` not looked up yet, all at once; by hash, nothing once `complete`. */
  async find(indexes: readonly number[]): Promise<void> {
    if (this.#placed || (this.complete && this.#byPageId.size === 0)) return;
    const unknown: number[] = [];
    for (const index of indexes) {
      if (this.#looked[index]) continue;
      this.#looked[index] = 1;
      const named = this.#byPageId.get(this.pageIds[index]!);
      if (named !== undefined) {
        this.#give(index, named);
        continue;
      }
      if (this.complete) continue;
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
    this.#give(index, metadata);
    this.#matched += 1;
  }

  #give(index: number, metadata: CountKeyMetadata): void {
    this.found.push([index, toCommentActivity(metadata)]);
  }
}

/** Page ids hashed at once when ordering by comments, most viewed first, until every commented page is found. */
const LOOKUP_CHUNK = 500;

/**
 * The rows `[from, to)` of an order by one column and the runs of equal counts that hold the first and the last of
 * them (those are ordered by the rest only within their ties: `sortPosts`), in no order, with how many of them come
 * before `from`; `counts`: each row's, ordered most first. One native sort of the column copied and one pass over it,
 * where a comparator sort of 5,000 row indexes was about 1 ms of a fresh isolate's first request. `positive`: the rows
 * whose count may be above 0 (the pages found with comments), when known; the pass is then over them alone, unless
 * the rows asked for reach the rows with none.
 */
function rowsAround(
  counts: Float64Array,
  from: number,
  to: number,
  positive: readonly (readonly [index: number, ...unknown[]])[] | null,
): { rows: number[]; before: number } {
  const last = Math.min(to, counts.length) - 1;
  if (from > last) return { rows: [], before: 0 };
  const ascending = counts.slice().sort();
  const first = ascending[counts.length - 1 - from]!;
  const least = ascending[counts.length - 1 - last]!;
  const rows: number[] = [];
  let above = 0;
  if (positive !== null && least > 0) {
    for (let at = 0; at < positive.length; at++) {
      const index = positive[at]![0];
      const count = counts[index]!;
      if (count > first) above += 1;
      else if (count >= least) rows.push(index);
    }
    return { rows, before: from - above };
  }
  for (let index = 0; index < counts.length; index++) {
    const count = counts[index]!;
    if (count > first) above += 1;
    else if (count >= least) rows.push(index);
  }
  return { rows, before: from - above };
}

adminPosts.get('/posts', async (c) => {
  const query = readPostListQuery(c.req.query());
  const site = c.get('site').id;
  const now = Date.now();
  const [{ state, hints, pageHashes }, commented] = await Promise.all([
    new PopularityStore(c.env.SALA).readForWindows(site, now),
    listCommentActivity(c.env.SALA, site),
  ]);
  const read = { site, now, state, pageHashes, commented };
  // The rows as the counts say, unless a row served has no hint in the text: then as the text says (`fallback`, which
  // finds every hint it lists).
  let table = hints;
  let posts = await postsPage(read, query, table);
  if (posts === null) {
    table = hints.fallback!();
    posts = (await postsPage(read, query, table))!;
  }
  return c.json<AdminPostListResponse>({ posts, total: table.pageIds.length });
});

/** What a request read: the counts and day sums or ring, each slot's page hash, the count keys' metadata. */
interface PostsRead {
  site: string;
  now: number;
  state: PopularityState;
  pageHashes: Uint8Array | null;
  commented: readonly PageActivity[];
}

/**
 * One page of the table (`query`) of the rows `hints` lists; null when a row served has no hint there (an index made
 * from the counts that the text disagrees with: `PageHintIndex.fallback`).
 */
async function postsPage(
  { site, now, state, pageHashes, commented }: PostsRead,
  { range, by, offset, limit }: Required<AdminPostListQuery>,
  hints: PageHintIndex,
): Promise<AdminPostStats[] | null> {
  // The table's rows: the pages with a hint, each with its slot; a row's address and title parsed only when served.
  const { pageIds, slotOf, aligned } = hints;
  // Of every slot, only the windows the order reads: the range's ordering by views; all time's, which orders the
  // lookup below, is the counts' own total but in live hours (a state read from KV has them only before its
  // version 1 is converted, and only then are pages looked up by id). The other windows only for the rows served
  // (below): the windows of every slot were a fifth of a fresh isolate's first request at 5,000 pages, and
  // `addFinalized` a pass over every slot for each window (worker/README.md "CPU time").
  const live = Object.keys(state.live).length > 0;
  const slots = live ? slotsOf(state.pageIds) : new Map<string, number>();
  const everySlot: PopularRange[] = POPULAR_RANGES.filter(
    (window) => (by === 'views' && window === range && window !== 'all') || (live && window === 'all'),
  );
  const views: Partial<Record<PopularRange, Float64Array>> = {};
  if (!live) views.all = state.allTime;
  if (everySlot.length > 0) {
    const made = windowViews(state, now, slots, { ranges: everySlot }).views;
    for (const window of everySlot) views[window] = made[window];
  }
  // Each row's views in a window: the rows that are the slots in order copied at once, the others one by one.
  const viewsIn = (window: PopularRange) => {
    const counts = new Float64Array(slotOf.length);
    const ofSlots = views[window]!;
    counts.set(ofSlots.subarray(0, aligned));
    for (let index = aligned; index < slotOf.length; index++)
      if (slotOf[index]! >= 0) counts[index] = ofSlots[slotOf[index]!]!;
    return counts;
  };
  // Every range's comments of the pages found with comments, by row, each page's days read once (`windowComments`,
  // which the warm-up's ranking run compiles): a call per page of 5,000 costs where V8 still interprets.
  const commentsOf = (found: CommentLookup['found']): Record<PopularRange, Float64Array> =>
    found.length > 0
      ? windowComments(pageIds.length, found, now).counts
      : perRange(() => new Float64Array(pageIds.length));
  const lookup = new CommentLookup(site, pageIds, commented, slotOf, pageHashes);
  if (by === 'comments' && !lookup.placeByHash(aligned)) lookup.placeNamed();
  // Every count key naming its page (as the thread rebuild writes them), every commented page is found already.
  if (by === 'comments' && !lookup.complete) {
    // Most viewed of all time first: the likeliest to hold comments, so the lookup may stop sooner.
    const allTime = viewsIn('all');
    const byViews = pageIds.map((_, index) => index).sort((a, b) => allTime[b]! - allTime[a]!);
    for (let chunk = 0; chunk < byViews.length && !lookup.complete; chunk += LOOKUP_CHUNK) {
      await lookup.find(byViews.slice(chunk, chunk + LOOKUP_CHUNK));
    }
  }
  // Ordered by the column in the range alone; only the rows served and their ties are ordered whole (`sortPosts`),
  // and ordering by views, only those need comments.
  const everyComment = by === 'comments' ? commentsOf(lookup.found) : null;
  const inRange = everyComment === null ? viewsIn(range) : everyComment[range];
  const { rows: listed, before: from } = rowsAround(
    inRange,
    offset,
    offset + limit,
    by === 'comments' && lookup.complete ? lookup.found : null,
  );
  const others = POPULAR_RANGES.filter((window) => views[window] === undefined);
  if (others.length > 0) {
    const shown = listed.map((index) => slotOf[index]!).filter((slot) => slot >= 0);
    const rest = windowViews(state, now, slots, { ranges: others, slots: shown }).views;
    for (const window of others) views[window] = rest[window];
  }
  if (by === 'views') await lookup.find(listed);
  // Ordering by views, every range's comments of the rows listed alone (the pages looked up).
  const comments = everyComment ?? commentsOf(lookup.found);
  const counted: (PostCounts & { index: number })[] = listed.map((index) => {
    const slot = slotOf[index]!;
    return {
      index,
      pageId: pageIds[index]!,
      views: perRange((window) => (slot < 0 ? 0 : views[window]![slot]!)),
      comments: perRange((window) => comments[window][index]!),
    };
  });
  const served = sortPosts(counted, range, by).slice(from, from + limit);
  const found = hints.hintsAt(served.map(({ index }) => index));
  const posts: AdminPostStats[] = [];
  for (let at = 0; at < served.length; at++) {
    const hint = found[at];
    if (hint === null || hint === undefined) return null;
    const { pageId, views: viewCounts, comments: commentCounts } = served[at]!;
    posts.push({ pageId, title: hint.title, url: hint.url, views: viewCounts, comments: commentCounts });
  }
  return posts;
}
