/**
 * Every KV key Sala uses, built here and nowhere else. All live under `v1:` so a future layout can sit beside
 * this one; page ids are hashed because a URL can be longer than a key may be (512 bytes).
 *
 *   v1:comment:{site}:{pageHash}:{commentId}   one comment (source of truth)
 *   v1:thread:{site}:{pageHash}                the page's snapshot, written only by the rebuild
 *   v1:count:{site}:{pageHash}                 the page's visible comment count, for /counts
 *   v1:dirty:{site}:{pageHash}:{markerId}      "this page needs a rebuild", cleared by the cron
 */
import { sha256Hex } from '../domain/bytes.js';

const VERSION = 'v1';

/** One page of one site: what the page-level keys are built from. */
export interface PageRef {
  site: string;
  /** First 32 hex characters (128 bits) of the SHA-256 of the normalised page id. */
  pageHash: string;
}

export async function pageRef(site: string, pageId: string): Promise<PageRef> {
  return { site, pageHash: (await sha256Hex(pageId)).slice(0, 32) };
}

export function commentPrefix(page: PageRef): string {
  return `${VERSION}:comment:${page.site}:${page.pageHash}:`;
}

export function commentKey(page: PageRef, commentId: string): string {
  return commentPrefix(page) + commentId;
}

export function threadKey(page: PageRef): string {
  return `${VERSION}:thread:${page.site}:${page.pageHash}`;
}

export function countKey(page: PageRef): string {
  return `${VERSION}:count:${page.site}:${page.pageHash}`;
}

export const DIRTY_PREFIX = `${VERSION}:dirty:`;

export function dirtyKey(page: PageRef, markerId: string): string {
  return `${DIRTY_PREFIX}${page.site}:${page.pageHash}:${markerId}`;
}

/** The page and marker id a dirty key was built from, or null for a key this module did not build. */
export function parseDirtyKey(key: string): (PageRef & { markerId: string }) | null {
  if (!key.startsWith(DIRTY_PREFIX)) return null;
  const [site, pageHash, markerId, ...rest] = key.slice(DIRTY_PREFIX.length).split(':');
  if (!site || !pageHash || !markerId || rest.length > 0) return null;
  return { site, pageHash, markerId };
}
