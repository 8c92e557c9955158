/** Where a message about a comment sends its reader: the page's address as sent, else the page id. */
import { isOwnOrigin } from './origins.js';

/**
 * The page's link: the address the comment came with (Blogger serves `walk.html` only, so the id's `walk` would be
 * a 404), else the page id, for comments stored before the address was kept or sent without it.
 */
export function pageAddress(comment: { pageId: string; pageUrl?: string | undefined }): string {
  return comment.pageUrl ?? comment.pageId;
}

/**
 * `address` as a link every reader may be shown: an http(s) address on an exact origin of the site (as the cron
 * reads pages only there), else undefined. A page id, and the address sent with it, is whatever a POST named, and
 * a script can post to `https://spam.example/…`: a list shown on every page of the blog must not link there as if
 * to one of its posts.
 */
export function addressOnSite(address: string, origins: readonly string[]): string | undefined {
  if (!/^https?:\/\//i.test(address)) return undefined;
  try {
    return isOwnOrigin(new URL(address).origin, origins) ? address : undefined;
  } catch {
    return undefined;
  }
}
