/**
 * The admin page's address for one comment, which the Worker's one-click moderation pages link to: the comments
 * section on that comment's post, in the list it is in, with it focused. The admin page reads it back with
 * `readAdminCommentHash`, so the two cannot drift apart.
 */
import type { AdminCommentStatus } from './admin.js';

export interface AdminCommentLink {
  site: string;
  status: AdminCommentStatus;
  pageId: string;
  commentId: string;
}

const STATUSES: readonly string[] = ['pending', 'approved', 'spam', 'rejected'] satisfies AdminCommentStatus[];

/** `#comments?site=…&status=…&page=…&comment=…`, to put after `/admin`. */
export function adminCommentHash(link: AdminCommentLink): string {
  const query = new URLSearchParams({
    site: link.site,
    status: link.status,
    page: link.pageId,
    comment: link.commentId,
  });
  return `#comments?${query.toString()}`;
}

/**
 * What a comments hash asks for: a post (`page`, also in the import report's `#comments?page=…`), and from a one-click
 * page its site, list and comment. A field missing or not understood is left out.
 */
export function readAdminCommentHash(hash: string): Partial<AdminCommentLink> {
  const query = new URLSearchParams(hash.split('?')[1] ?? '');
  const link: Partial<AdminCommentLink> = {};
  const [site, status, pageId, commentId] = ['site', 'status', 'page', 'comment'].map((name) => query.get(name));
  if (site) link.site = site;
  if (status && STATUSES.includes(status)) link.status = status as AdminCommentStatus;
  if (pageId) link.pageId = pageId;
  if (commentId) link.commentId = commentId;
  return link;
}
