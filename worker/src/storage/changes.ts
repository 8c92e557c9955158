/** Saving a changed comment the way the KV rules require: its own key, plus a marker for the page's rebuild. */
import type { StoredComment } from '../domain/stored-comment.js';
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
