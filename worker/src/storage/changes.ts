/**
 * Saving a changed comment the way the KV rules require: its own key, plus a marker for the page's rebuild. The
 * comment key is its author's; the owner's decisions go to a key only the owner writes (saveOwnerDecision).
 */
import { ownerDecision, type StoredComment } from '../domain/stored-comment.js';
import { CommentStore } from './comments.js';
import { DirtyPages } from './dirty-pages.js';
import type { PageRef } from './keys.js';
import { ModerationQueue } from './moderation-queue.js';

/**
 * Writes the dirty marker first, then the comment: should the second write fail, a marker without a comment
 * costs one idle rebuild, while a comment without a marker could miss its page's snapshot for good. Then files
 * the comment in the moderation index under its status, moving it from `previous`'s (pass the record as it was
 * before this change). The index is derived: if that last step fails the change still stands, and the admin
 * list repairs the entry when it meets it.
 */
export async function saveComment(
  kv: KVNamespace,
  page: PageRef,
  comment: StoredComment,
  previous: StoredComment | null = null,
): Promise<void> {
  await new DirtyPages(kv).mark(page, comment.pageId);
  await new CommentStore(kv).put(page, comment);
  try {
    await new ModerationQueue(kv).record(page, comment, previous);
  } catch (error) {
    console.error('[sala] moderation index not updated; the admin list will repair it', comment.id, error);
  }
}

/**
 * The owner's decision (`decided`: the comment as the action left it, `previous`: as the owner saw it before),
 * written to the comment's decision key, never over the comment: an edit its author makes from a copy read
 * before the decision cannot undo it, and the decision cannot undo that edit. A deletion also erases the
 * comment's own key, so what the commenter wrote is gone from KV.
 */
export async function saveOwnerDecision(
  kv: KVNamespace,
  page: PageRef,
  decided: StoredComment,
  previous: StoredComment,
  now = new Date(),
): Promise<void> {
  await new DirtyPages(kv).mark(page, decided.pageId);
  const comments = new CommentStore(kv);
  await comments.decide(page, decided.id, ownerDecision(decided, now));
  if (decided.deletedAt !== undefined) await comments.put(page, decided);
  try {
    await new ModerationQueue(kv).record(page, decided, previous);
  } catch (error) {
    console.error('[sala] moderation index not updated; the admin list will repair it', decided.id, error);
  }
}
