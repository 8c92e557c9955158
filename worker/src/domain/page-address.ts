/** Where a message about a comment sends its reader: the page's address as sent, else the page id. */

/**
 * The page's link: the address the comment came with (Blogger serves `walk.html` only, so the id's `walk` would be
 * a 404), else the page id, for comments stored before the address was kept or sent without it.
 */
export function pageAddress(comment: { pageId: string; pageUrl?: string | undefined }): string {
  return comment.pageUrl ?? comment.pageId;
}
