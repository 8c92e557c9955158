/** Which thread an element shows: its `page-id`, else the page's canonical URL, else its location (DESIGN.md). */
import { normalizePageId } from '@sala/protocol';

export function resolvePageId(explicit: string | undefined, doc: Document = document): string | null {
  const canonical = doc.querySelector<HTMLLinkElement>('link[rel~="canonical" i][href]')?.href;
  const candidates = [explicit, canonical, doc.location.href, doc.location.origin + doc.location.pathname];
  for (const candidate of candidates) {
    const pageId = candidate ? normalizePageId(candidate) : null;
    if (pageId) return pageId;
  }
  return null;
}
