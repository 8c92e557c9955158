/**
 * The site's latest approved comments: the document the cron builds from the threads with the newest
 * comments, and the pure answer to GET /recent-comments from it (one KV read per request, KV rule 3).
 */
import { toPlainText, type PageMeta, type RecentComment, type RecentCommentsResponse } from '@sala/protocol';
import { feedText } from './comment-html.js';
import { addressOnSite } from './page-address.js';
import type { ThreadSnapshot } from './thread.js';

/**
 * One comment of the document: what GET /recent-comments serves, plus its text (the first `FEED_TEXT_CHARS`) and
 * edit time for the site's Atom feed (absent in documents built before the feed existed: the feed shows the excerpt).
 */
export interface RecentDocumentComment extends RecentComment {
  body?: string;
  editedAt?: string;
}

export interface RecentCommentsDocument {
  version: 1;
  generatedAt: string;
  /** Newest first, at most `RECENT_COMMENTS.depth`. */
  comments: RecentDocumentComment[];
}

export const RECENT_COMMENTS = {
  /** Comments kept in the document, and the most one request may ask for. */
  depth: 20,
  defaultLimit: 5,
  /** Characters of plain text per excerpt: two or three lines of a sidebar. */
  excerptLength: 160,
} as const;

/**
 * Which pages to read to find the newest `depth` comments: the `depth` pages whose newest comment is newest.
 * The newest `depth` comments lie on at most `depth` pages, and each of those pages' newest comment is at
 * least as new as any of them, so no page outside this list can hold one.
 */
export function pagesWithNewestComments<T extends { last?: string }>(
  pages: readonly T[],
  depth: number = RECENT_COMMENTS.depth,
): T[] {
  // Newest first, ties in the order given (as a stable sort would leave them), in one pass keeping the `depth`
  // newest: most pages are older than the last kept, one comparison each (not a sort of 500 pages in a ranking run).
  const newest: T[] = [];
  if (depth <= 0) return newest;
  for (let index = 0; index < pages.length; index++) keepIfNewer(newest, pages[index]!, depth);
  return newest;
}

/**
 * `page` put in its place in `newest` (newest first, at most `depth`) when its newest comment is newer than the last
 * kept. A function of its own, called once per page: the cron's warm-up calls it often enough for V8 to optimize it as
 * a function, where the loop body inline was only compiled for the loop it ran in (on-stack replacement), and a fresh
 * isolate's first ranking run over 500 count keys compiled it again as it ran (worker/docs/cpu-cron.md).
 */
function keepIfNewer<T extends { last?: string }>(newest: T[], page: T, depth: number): void {
  const last = page.last;
  if (last === undefined || (newest.length === depth && last <= newest[depth - 1]!.last!)) return;
  let at = newest.length;
  while (at > 0 && newest[at - 1]!.last! < last) at -= 1;
  newest.splice(at, 0, page);
  if (newest.length > depth) newest.pop();
}

/**
 * True when `snapshots` already hold `depth` comments newer than `nextLast`, the newest comment of the next page to
 * read: that page and every one after it (older still) can then add none of the newest `depth`.
 */
export function holdsNewest(
  snapshots: readonly ThreadSnapshot[],
  nextLast: string,
  depth: number = RECENT_COMMENTS.depth,
): boolean {
  let newer = 0;
  for (const snapshot of snapshots) {
    for (const comment of snapshot.comments) if (!comment.deleted && comment.createdAt > nextLast) newer++;
  }
  return newer >= depth;
}

/**
 * The document from the snapshots of the pages `pagesWithNewestComments` chose; `origins` are the site's (SITES), the
 * only hosts a page without view metadata is linked on.
 */
export function buildRecentComments(
  snapshots: readonly ThreadSnapshot[],
  metaOf: (pageId: string) => PageMeta | undefined,
  origins: readonly string[],
  now: number,
  depth: number = RECENT_COMMENTS.depth,
): RecentCommentsDocument {
  // Newest first, then only the `depth` kept get their excerpt and text: rendering every comment of every thread
  // (an imported one may hold hundreds) would spend the cron's CPU on comments the list leaves out.
  const candidates: { snapshot: ThreadSnapshot; comment: ThreadSnapshot['comments'][number] }[] = [];
  for (const snapshot of snapshots) {
    for (const comment of snapshot.comments) if (!comment.deleted) candidates.push({ snapshot, comment });
  }
  // Ids are time-ordered (ULIDs): a tie on createdAt still sorts the same way on every run.
  // ISO timestamps compare by code unit; localeCompare would load ICU's collator in the cron (milliseconds of CPU).
  candidates.sort(({ comment: a }, { comment: b }) =>
    a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? 1 : -1) : a.id < b.id ? 1 : -1,
  );
  const comments = candidates.slice(0, depth).map(({ snapshot, comment }): RecentDocumentComment => {
    const meta = metaOf(snapshot.pageId);
    // Without view metadata, the address the page's comments came with (else the id) still links where the blog
    // serves it, when that is on the blog: anyone can post to a page id on another host.
    const pageUrl = meta === undefined ? addressOnSite(snapshot.pageUrl ?? snapshot.pageId, origins) : undefined;
    return {
      id: comment.id,
      pageId: snapshot.pageId,
      page: meta ? { url: meta.url, title: meta.title } : null,
      ...(pageUrl !== undefined ? { pageUrl } : {}),
      author: { ...comment.author },
      excerpt: toPlainText(comment.body, RECENT_COMMENTS.excerptLength),
      createdAt: comment.createdAt,
      body: feedText(comment.body),
      ...(comment.editedAt !== undefined ? { editedAt: comment.editedAt } : {}),
    };
  });
  return { version: 1, generatedAt: new Date(now).toISOString(), comments };
}

/** True when both documents list the same comments the same way: the cron skips the write then. */
export function sameRecentComments(a: RecentCommentsDocument, b: RecentCommentsDocument): boolean {
  return JSON.stringify(a.comments) === JSON.stringify(b.comments);
}

/** The answer to a request for `limit` comments (null document: nothing built yet). */
export function recentComments(document: RecentCommentsDocument | null, limit: number): RecentCommentsResponse {
  // The whole text is the feed's: the sidebar list gets the excerpt.
  const comments = (document?.comments ?? []).slice(0, limit);
  return { comments: comments.map(({ body: _body, editedAt: _editedAt, ...comment }): RecentComment => comment) };
}
