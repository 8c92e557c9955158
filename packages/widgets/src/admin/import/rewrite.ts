/**
 * A post's address in an import file as the address it has now: the owner may have moved the blog to another
 * origin or under another path, and Blogger's old country domains and mobile `?m=1` are one post. The page id is
 * computed from the result, so imported threads land where `<sala-comments>` looks.
 */
import { normalizePageId, pageLink } from '@sala/protocol';
import type { UrlRewrites } from './plan.js';

/** Blogger's country domains: `name.blogspot.co.uk`, `name.blogspot.fr`, `name.blogspot.com.au`. */
const BLOGSPOT_COUNTRY = /^([^.]+)\.blogspot\.(?!com$)[a-z]{2,3}(?:\.[a-z]{2})?$/i;

function origin(raw: string | undefined): string | null {
  if (raw === undefined || raw.trim() === '') return null;
  try {
    const url = new URL(/^https?:\/\//i.test(raw.trim()) ? raw.trim() : `https://${raw.trim()}`);
    return url.origin;
  } catch {
    return null;
  }
}

/** The page's address after the rewrites, without query or fragment; null when it is not an http(s) URL. */
export function rewriteUrl(raw: string, rewrites: UrlRewrites): string | null {
  const link = pageLink(raw);
  if (link === null) return null;
  let url = new URL(link);
  url.search = '';
  url.hash = '';
  const from = origin(rewrites.fromOrigin);
  const to = origin(rewrites.toOrigin);
  // The origin is compared without its scheme: an old http:// address is the same site as its https:// one.
  if (from !== null && to !== null && url.host === new URL(from).host) url = new URL(url.pathname, to);
  if (rewrites.https && url.protocol === 'http:') url.protocol = 'https:';
  if (rewrites.bloggerDotCom) url.hostname = url.hostname.replace(BLOGSPOT_COUNTRY, '$1.blogspot.com');
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
