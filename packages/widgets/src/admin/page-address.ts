/** The admin page's link to the page a comment or closed thread is on. */
import { html } from 'lit';
import { link, type Content } from '../internal/markdown.js';

/**
 * The page's address as its comments came with it (Blogger serves `walk.html`, never the id's `walk`), else its
 * id for comments stored before the address was kept: a link when it is a web address, plain text otherwise. In a
 * <bdi>, so on a right-to-left page a path keeps its order: "/2026/09/walk.html" has no letter before its digits,
 * and laid out in the Arabic sentence around it read "walk.html/2026/09/".
 */
export function pageAddressLink(page: { pageId: string; pageUrl?: string | undefined }): Content {
  const address = page.pageUrl ?? page.pageId;
  return link(address, html`<bdi>${address}</bdi>`);
}
