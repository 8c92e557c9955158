/** Pure rules of the queue: which status actions a comment offers, and the optimistic list and count updates. */
import type { AdminComment, AdminCommentStatus, CommentRef, StatusCounts } from '@sala/protocol';
import type { AdminStringKey } from './strings/admin-strings.js';

/** Actions that move a comment out of the list it is shown in; they are held back for undo (toasts.ts). */
export type StatusAction = 'approve' | 'reject' | 'spam' | 'delete';

export const STATUS_AFTER: Record<StatusAction, AdminCommentStatus | null> = {
  approve: 'approved',
  reject: 'rejected',
  spam: 'spam',
  delete: null,
};

/** Button text per action. */
export const ACTION_LABELS: Record<StatusAction, AdminStringKey> = {
  approve: 'approve',
  reject: 'reject',
  spam: 'markSpam',
  delete: 'delete',
};

/** The primary look for approve, the danger look for delete. */
export function actionClass(action: StatusAction): string {
  return action === 'delete' ? 'danger-button' : action === 'approve' ? 'primary' : '';
}

/** Toast text per action: [one, other]. */
export const DONE_STRINGS: Record<StatusAction, [AdminStringKey, AdminStringKey]> = {
  approve: ['approvedOne', 'approvedOther'],
  reject: ['rejectedOne', 'rejectedOther'],
  spam: ['spammedOne', 'spammedOther'],
  delete: ['deletedOne', 'deletedOther'],
};

/** The status actions offered on a comment in `status`: never the one that would change nothing. */
export function statusActions(status: AdminCommentStatus): StatusAction[] {
  return (['approve', 'reject', 'spam', 'delete'] as const).filter((action) => STATUS_AFTER[action] !== status);
}

export function refOf(comment: AdminComment): CommentRef {
  return { page: comment.pageId, id: comment.id };
}

/** An approval names the text the owner read: one the commenter edited since is refused, not published unseen. */
export function approvalRefOf(comment: AdminComment): CommentRef {
  return { ...refOf(comment), seenEdit: comment.editedAt ?? null };
}

/** A comment taken out of the list, with where it was when taken (where the one after it now is). */
export interface Removal {
  comment: AdminComment;
  index: number;
}

export function removeComments(
  list: readonly AdminComment[],
  ids: ReadonlySet<string>,
): { kept: AdminComment[]; removed: Removal[] } {
  const kept: AdminComment[] = [];
  const removed: Removal[] = [];
  list.forEach((comment, index) => (ids.has(comment.id) ? removed.push({ comment, index }) : kept.push(comment)));
  return { kept, removed };
}

/**
 * Puts comments back (undone, or their change failed) among the others where they were: by `order`, the ids of every
 * comment this list has shown in the order shown, not by an index, which whatever else came back or went meanwhile
 * has made stale. One the list never showed goes first.
 */
export function placeBack(
  list: readonly AdminComment[],
  back: readonly AdminComment[],
  order: readonly string[],
): AdminComment[] {
  const rank = new Map(order.map((id, index) => [id, index]));
  const rankOf = ({ id }: AdminComment) => rank.get(id) ?? -1;
  const ids = new Set(back.map(({ id }) => id));
  const next = list.filter(({ id }) => !ids.has(id));
  for (const comment of back) {
    const after = next.findIndex((other) => rankOf(other) > rankOf(comment));
    next.splice(after === -1 ? next.length : after, 0, comment);
  }
  return next;
}

/** Counts after `count` comments move from one status to another (`to` null: deleted). */
export function moveCounts(
  counts: StatusCounts,
  from: AdminCommentStatus,
  to: AdminCommentStatus | null,
  count: number,
): StatusCounts {
  const next = { ...counts, [from]: Math.max(0, counts[from] - count) };
  if (to) next[to] = counts[to] + count;
  return next;
}

/** Counts put back after an undo of `moveCounts(counts, from, to, count)`. */
export function unmoveCounts(
  counts: StatusCounts,
  from: AdminCommentStatus,
  to: AdminCommentStatus | null,
  count: number,
): StatusCounts {
  const next = { ...counts, [from]: counts[from] + count };
  if (to) next[to] = Math.max(0, counts[to] - count);
  return next;
}
