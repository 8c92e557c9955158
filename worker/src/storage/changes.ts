/** Saving a changed comment the way the KV rules require: its own key, plus a marker for the page's rebuild. */
import type { StoredComment } from '../domain/stored-comment.js';
import { CommentStore } from './comments.js';
import { DirtyPages } from './dirty-pages.js';
import type { PageRef } from './keys.js';

/**
 * Writes the dirty marker first, then the comment: should the second write fail, a marker without a comment
 * costs one idle rebuild, while a comment without a marker could miss its page's snapshot for good.
 */
export async function saveComment(kv: KVNamespace, page: PageRef, comment: StoredComment): Promise<void> {
  await new DirtyPages(kv).mark(page, comment.pageId);
  await new CommentStore(kv).put(page, comment);
}
