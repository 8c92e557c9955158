/**
 * A post's address in an import file as the address it has now: the owner may have moved the blog to another
 * origin or under another path, and Blogger's old country domains and mobile `?m=1` are one post. The page id is
 * computed from the result, so imported threads land where `<sala-comments>` looks.
 */
import { normalizePageId, pageLink } from '@sala/protocol';
import type { UrlRewrites } from './plan.js';

/** Blogger's country domains: `name.blogspot.co.uk`, `name.blogspot.fr`, `name.blogspot.com.au`. */
const BLOGSPOT_COUNTRY = /^([^.]+)\.blogspot\.(?!com$)[a-z]{2,3}(?:\.[a-z]{2})?$/i;

/** The origin of an address the owner typed (`blog.example.com` is read as https); null when it is none. */
export function parseOrigin(raw: string | null | undefined): string | null {
  const typed = raw?.trim() ?? '';
  if (typed === '' || /\s/.test(typed)) return null;
  try {
    const url = new URL(/^https?:\/\//i.test(typed) ? typed : `https://${typed}`);
    const web = (url.protocol === 'http:' || url.protocol === 'https:') && /\.|^localhost$/.test(url.hostname);
    return web ? url.origin : null;
  } catch {
    return null;
  }
}

/** The page's address after the rewrites, as `pageLink` writes it; null when it is not an http(s) URL. */
export function rewriteUrl(raw: string, rewrites: UrlRewrites): string | null {
  const link = pageLink(raw);
  if (link === null) return null;
  // `pageLink` has dropped the fragment and the queries that say how a reader came (Blogger's `?m=1` and
  // `?showComment=`, `utm_*`...); a query that picks the page (WordPress's `?p=12`) stays, as on the page itself.
  let url = new URL(link);
  const from = parseOrigin(rewrites.fromOrigin);
  const to = parseOrigin(rewrites.toOrigin);
  // Country domains first: an old address typed as name.blogspot.com (or .co.uk) moves every country's copy of a post.
  const dotCom = (host: string) => (rewrites.bloggerDotCom ? host.replace(BLOGSPOT_COUNTRY, '$1.blogspot.com') : host);
  url.hostname = dotCom(url.hostname);
  // The origin is compared without its scheme: an old http:// address is the same site as its https:// one.
  if (from !== null && to !== null && url.host === dotCom(new URL(from).host)) url = new URL(url.pathname, to);
  if (rewrites.https && url.protocol === 'http:') url.protocol = 'https:';
  const prefix = rewrites.pathPrefix;
  if (prefix !== undefined && prefix.from !== '' && url.pathname.startsWith(prefix.from)) {
    url.pathname = prefix.to + url.pathname.slice(prefix.from.length);
    url.pathname = url.pathname.replace(/^\/*/, '/');
  }
  return pageLink(url.href);
}

/** The thread of a post: the page id `<sala-comments>` computes on it and the address to link to, after the rewrites. */
export function threadAddress(raw: string, rewrites: UrlRewrites): { pageId: string; pageUrl: string } | null {
  const pageUrl = rewriteUrl(raw, rewrites);
  const pageId = pageUrl === null ? null : normalizePageId(pageUrl);
  return pageUrl === null || pageId === null ? null : { pageId, pageUrl };
}
