/** The admin page's link to the page a comment or closed thread is on. */
import { link, type Content } from '../internal/markdown.js';

/**
 * The page's address as its comments came with it (Blogger serves `walk.html`, never the id's `walk`), else its
 * id for comments stored before the address was kept: a link when it is a web address, plain text otherwise.
 */
export function pageAddressLink(page: { pageId: string; pageUrl?: string | undefined }): Content {
  const address = page.pageUrl ?? page.pageId;
  return link(address, address);
}
