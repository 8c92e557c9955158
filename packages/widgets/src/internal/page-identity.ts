/** Which thread an element shows: its `page-id`, else the page's canonical URL, else its location (DESIGN.md). */
import { normalizePageId, pageLink } from '@sala/protocol';

/** A thread's id, and the page's address to link to (the id drops `.html`, which Blogger needs). */
export interface PageIdentity {
  pageId: string;
  /** Null when no address of this page normalises to the id (`page-id="post-42"`). */
  pageUrl: string | null;
}

/** What the page identity reads of a document: its canonical link and its location. */
export interface PageDocument {
  querySelector: Document['querySelector'];
  location: Pick<Location, 'href' | 'origin' | 'pathname'>;
}

export function resolvePage(explicit: string | undefined, doc: PageDocument = document): PageIdentity | null {
  const canonical = doc.querySelector<HTMLLinkElement>('link[rel~="canonical" i][href]')?.href;
  const addresses = [canonical, doc.location.href, doc.location.origin + doc.location.pathname];
  const given = explicit ? normalizePageId(explicit) : null;
  if (given) {
    // A given page-id is the page's own only when one of the page's addresses says the same; else there is no link.
    const own = addresses.find((address) => address !== undefined && normalizePageId(address) === given);
    return { pageId: given, pageUrl: own === undefined ? null : pageLink(own) };
  }
  for (const address of addresses) {
    if (!address) continue;
    const pageId = normalizePageId(address);
    if (pageId) return { pageId, pageUrl: pageLink(address) };
  }
  return null;
}

export function resolvePageId(explicit: string | undefined, doc: PageDocument = document): string | null {
  return resolvePage(explicit, doc)?.pageId ?? null;
}
