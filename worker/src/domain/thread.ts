/**
 * Threads: the snapshot a page's comments are rebuilt into, and the pages of it GET /comments serves.
 * Pure, so the one-read thread request is a KV get plus this.
 */
import { LIMITS, type PublicComment, type ThreadResponse, type ThreadSort } from '@sala/protocol';
import { invalidField } from '../errors.js';
import { isCommentId } from './comment-id.js';
import { isVisible, toPlaceholder, toPublicComment, type StoredComment } from './stored-comment.js';

/** Everything a thread request needs, in one KV value. */
export interface ThreadSnapshot {
  pageId: string;
  /** The page's address as a link (`pageLinkOf`); never served by GET /comments. */
  pageUrl?: string;
  /** Visible comments, placeholders not counted. */
  total: number;
  /** Visible comments and placeholders, oldest first. */
  comments: PublicComment[];
  builtAt: string;
  /** The owner closed the thread to new comments. */
  closed?: true;
  /** `updatedAt` of the page's imported document this snapshot includes: an import is visible once they match. */
  importedAt?: string;
}

export interface ThreadQuery {
  sort: ThreadSort;
  /** Id of the last top-level comment already served, from `nextCursor`. */
  after: string | null;
  limit: number;
}

function append<T>(groups: Map<string, T[]>, key: string, item: T): void {
  const group = groups.get(key);
  if (group) group.push(item);
  else groups.set(key, [item]);
}

/**
 * The address most of the page's shown comments were sent with (the oldest of them on a tie): a link the blog
 * serves, where the page id may have lost its `.html`. Held and spam comments have no say, so one forger with an
 * odd form of the address does not change it.
 */
export function pageLinkOf(stored: readonly StoredComment[]): string | undefined {
  const votes = new Map<string, { count: number; first: string }>();
  for (const record of stored) {
    if (record.pageUrl === undefined || !isVisible(record)) continue;
    const vote = votes.get(record.pageUrl);
    if (vote === undefined) votes.set(record.pageUrl, { count: 1, first: record.id });
    else {
      vote.count += 1;
      if (record.id < vote.first) vote.first = record.id;
    }
  }
  let best: { link: string; count: number; first: string } | undefined;
  for (const [link, { count, first }] of votes) {
    if (best === undefined || count > best.count || (count === best.count && first < best.first)) {
      best = { link, count, first };
    }
  }
  return best?.link;
}

/**
 * The snapshot of one page from all its stored comments, in any order. A comment that is not shown keeps a
 * blank placeholder while any reply below it is shown, so the replies keep their place. `previous`, the page's
 * snapshot before, spares parsing the comments whose text it already has.
 */
export function buildSnapshot(
  pageId: string,
  stored: StoredComment[],
  now: Date,
  options: { closed?: boolean; importedAt?: string | null; previous?: ThreadSnapshot | null } = {},
): ThreadSnapshot {
  const records = [...stored].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const children = new Map<string, StoredComment[]>();
  for (const record of records) {
    if (record.parentId !== null) append(children, record.parentId, record);
  }

  const shown = new Map<string, boolean>();
  const isShown = (record: StoredComment): boolean => {
    const known = shown.get(record.id);
    if (known !== undefined) return known;
    shown.set(record.id, false); // guards against a (corrupt) cycle
    const result = isVisible(record) || (children.get(record.id) ?? []).some(isShown);
    shown.set(record.id, result);
    return result;
  };

  // The previous snapshot's comments, whose parsed text is reused for bodies that did not change.
  const earlier = new Map(options.previous?.comments.map((comment) => [comment.id, comment]));
  const comments = records
    .filter(isShown)
    .map((record) => (isVisible(record) ? toPublicComment(record, earlier.get(record.id)) : toPlaceholder(record)));
  const snapshot: ThreadSnapshot = {
    pageId,
    total: records.filter(isVisible).length,
    comments,
    builtAt: now.toISOString(),
  };
  const pageUrl = pageLinkOf(records);
  if (pageUrl !== undefined) snapshot.pageUrl = pageUrl;
  if (options.closed === true) snapshot.closed = true;
  if (options.importedAt !== undefined && options.importedAt !== null) snapshot.importedAt = options.importedAt;
  return snapshot;
}

/** Validated `sort`, `cursor` and `limit` query parameters. */
export function readThreadQuery(params: { sort?: string; cursor?: string; limit?: string }): ThreadQuery {
  const sort = params.sort ?? 'oldest';
  if (sort !== 'oldest' && sort !== 'newest') throw invalidField('sort', 'sort must be "oldest" or "newest".');

  const after = params.cursor === undefined || params.cursor === '' ? null : params.cursor;
  if (after !== null && !isCommentId(after)) throw invalidField('cursor', 'cursor is not one this API returned.');

  const limit =
    params.limit === undefined ? LIMITS.pageSizeDefault : /^\d{1,3}$/.test(params.limit) ? Number(params.limit) : NaN;
  if (!(limit >= 1 && limit <= LIMITS.pageSizeMax)) {
    throw invalidField('limit', `limit must be a whole number from 1 to ${LIMITS.pageSizeMax}.`);
  }
  return { sort, after, limit };
}

/**
 * One page of a thread: `limit` top-level comments in `sort` order after the cursor, each followed by all its
 * replies, parents before children and replies oldest first. The cursor is the last top-level id served, so new
 * comments arriving between requests neither repeat nor skip any.
 */
export function threadPage(snapshot: ThreadSnapshot, query: ThreadQuery): ThreadResponse {
  const ids = new Set(snapshot.comments.map((comment) => comment.id));
  const replies = new Map<string, PublicComment[]>();
  const roots: PublicComment[] = [];
  for (const comment of snapshot.comments) {
    // A reply whose parent is missing from the snapshot would be unreachable: show it at the top level.
    if (comment.parentId === null || !ids.has(comment.parentId)) roots.push(comment);
    else append(replies, comment.parentId, comment);
  }

  // Pinned comments come first, in the requested order among themselves; the cursor runs through both groups.
  const sorted = query.sort === 'newest' ? roots.reverse() : roots;
  const unpinned = sorted.filter((root) => root.pinned !== true);
  const ordered = [...sorted.filter((root) => root.pinned === true), ...unpinned];
  const after = query.after;
  const cursorAt = after === null ? -1 : ordered.findIndex((root) => root.id === after);
  const remaining =
    after === null
      ? ordered
      : cursorAt >= 0
        ? ordered.slice(cursorAt + 1)
        : // The cursor's comment is gone (deleted since): carry on by id among the unpinned ones.
          unpinned.filter((root) => (query.sort === 'newest' ? root.id < after : root.id > after));
  const served = remaining.slice(0, query.limit);

  const comments: PublicComment[] = [];
  const addWithReplies = (comment: PublicComment): void => {
    comments.push(comment);
    for (const reply of replies.get(comment.id) ?? []) addWithReplies(reply);
  };
  served.forEach(addWithReplies);

  const page: ThreadResponse = {
    pageId: snapshot.pageId,
    sort: query.sort,
    total: snapshot.total,
    comments,
    nextCursor: remaining.length > served.length ? served[served.length - 1]!.id : null,
  };
  if (snapshot.closed === true) page.closed = true;
  return page;
}

/** The thread of a page nobody has commented on yet. */
export function emptySnapshot(pageId: string): ThreadSnapshot {
  return { pageId, total: 0, comments: [], builtAt: new Date(0).toISOString() };
}
