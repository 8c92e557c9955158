/**
 * The imported comments of one page, kept together in one document: an import costs one write per thread, not
 * one per comment. Pure: how a new import merges with what an earlier one stored.
 */
import { importIdentity } from './comment-id.js';
import type { PreparedThread } from './import-input.js';
import type { StoredComment } from './stored-comment.js';

export interface ImportedThread {
  pageId: string;
  pageUrl?: string;
  title?: string;
  /** When the document was last written; the snapshot built from it carries the same (`ThreadSnapshot.importedAt`). */
  updatedAt: string;
  /** As imported: the owner's decisions and edits live in their own keys and are applied when read. */
  comments: StoredComment[];
  /**
   * The import run (`ImportRequest.run`) that last wrote the document and the comments that write added: the same run
   * sending the thread again (its answer lost) is answered as the first time, not `unchanged`.
   */
  importRun?: ImportRunMark;
}

export interface ImportRunMark {
  id: string;
  added: number;
}

export interface ImportMerge {
  /** The document to write, or null when the thread brings nothing the stored one lacks. */
  next: ImportedThread | null;
  /** Comments new to the page (their pending ones need moderation index entries). */
  added: StoredComment[];
  /** No document existed: the thread's source state (closed) applies. */
  firstImport: boolean;
}

/**
 * Adds `thread`'s comments the stored document lacks. A comment already there is kept as first imported (the owner
 * may have acted on it since), matched by its source identity, so a later export that moves its date still
 * finds it; a new reply to such a comment is attached to the id it was stored under.
 */
export function mergeImport(
  existing: ImportedThread | null,
  thread: PreparedThread,
  now: Date,
  run?: string,
): ImportMerge {
  const storedIdOf = new Map((existing?.comments ?? []).map((comment) => [importIdentity(comment.id), comment.id]));
  const added: StoredComment[] = [];
  for (const comment of thread.comments) {
    if (storedIdOf.has(importIdentity(comment.id))) continue;
    const parentId =
      comment.parentId === null ? null : (storedIdOf.get(importIdentity(comment.parentId)) ?? comment.parentId);
    added.push(parentId === comment.parentId ? comment : { ...comment, parentId });
  }

  const pageUrl = existing?.pageUrl ?? thread.pageUrl;
  const title = existing?.title ?? thread.title;
  const learned = existing !== null && (pageUrl !== existing.pageUrl || title !== existing.title);
  // A closed thread without comments still gets its (empty) document: it marks the closing as imported, so a
  // second import does not close again a thread the owner has reopened since.
  const marksClosing = existing === null && thread.closed;
  if (added.length === 0 && !learned && !marksClosing) return { next: null, added, firstImport: existing === null };

  const next: ImportedThread = {
    pageId: thread.pageId,
    updatedAt: now.toISOString(),
    comments: [...(existing?.comments ?? []), ...added],
  };
  if (pageUrl !== undefined) next.pageUrl = pageUrl;
  if (title !== undefined) next.title = title;
  if (run !== undefined) next.importRun = { id: run, added: added.length };
  return { next, added, firstImport: existing === null };
}
