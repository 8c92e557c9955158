/**
 * Saving a changed comment the way the KV rules require: its own key, plus a marker for the page's rebuild and
 * its entry in the moderation index. The comment key is its author's; the owner's decisions go to a key only the
 * owner writes (saveOwnerDecision).
 */
import { newCommentId } from '../domain/comment-id.js';
import { ownerDecision, type StoredComment } from '../domain/stored-comment.js';
import { CommentStore } from './comments.js';
import { DirtyPages, type MarkedChange } from './dirty-pages.js';
import type { PageRef } from './keys.js';
import { ModerationQueue } from './moderation-queue.js';

/**
 * Writes the comment's own key last: until that write lands nothing is saved that a reader or the owner sees,
 * so a failure at any step (the free plan's daily limit is the likely one) leaves no half-written comment.
 *
 * 1. The dirty marker: a marker without a comment costs one idle rebuild, while a comment without a marker could
 *    miss its page's snapshot for good.
 * 2. The moderation index entry under the new status: the admin lists skip (and repair) an entry whose comment
 *    is missing or says otherwise, while a pending comment without an entry would never reach the owner's queue.
 * 3. The comment: from here the change stands.
 * 4. Only then the entry under `previous`'s status goes (pass the record as it was before this change); if that
 *    fails the stale entry disagrees with its comment, and the admin list repairs it when it meets it.
 *
 * Returns the dirty marker's id (`DirtyPages.mark`).
 */
export async function saveComment(
  kv: KVNamespace,
  page: PageRef,
  comment: StoredComment,
  previous: StoredComment | null = null,
): Promise<string> {
  const index = new ModerationQueue(kv);
  const writeId = newCommentId();
  const markerId = await new DirtyPages(kv).mark(page, comment.pageId, { comment: comment.id, writeId });
  await index.file(page, comment);
  await new CommentStore(kv).put(page, comment, writeId);
  try {
    await index.unfileBefore(page, comment, previous);
  } catch (error) {
    console.error('[sala] old moderation index entry not removed; the admin list will repair it', comment.id, error);
  }
  return markerId;
}

/**
 * The owner's decision (`decided`: the comment as the action left it, `previous`: as the owner saw it before),
 * written to the comment's decision key, never over the comment: an edit its author makes from a copy read
 * before the decision cannot undo it, and the decision cannot undo that edit. A deletion also erases the
 * comment's own key, so what the commenter wrote is gone from KV. Returns the dirty marker's id, as saveComment.
 */
export async function saveOwnerDecision(
  kv: KVNamespace,
  page: PageRef,
  decided: StoredComment,
  previous: StoredComment,
  now = new Date(),
): Promise<string> {
  // The same order as saveComment: what a reader or the owner sees (the decision) is written after its index entry.
  const index = new ModerationQueue(kv);
  const decision = ownerDecision(decided, now);
  const change: MarkedChange = { comment: decided.id, decidedAt: decision.decidedAt };
  if (decided.deletedAt !== undefined) change.writeId = newCommentId();
  const markerId = await new DirtyPages(kv).mark(page, decided.pageId, change);
  await index.file(page, decided);
  const comments = new CommentStore(kv);
  await comments.decide(page, decided.id, decision);
  if (change.writeId !== undefined) await comments.put(page, decided, change.writeId);
  try {
    await index.unfileBefore(page, decided, previous);
  } catch (error) {
    console.error('[sala] old moderation index entry not removed; the admin list will repair it', decided.id, error);
  }
  return markerId;
}
