/**
 * Page identity: one post read on mobile, desktop, with tracking tags or a comment anchor is one thread.
 * See DESIGN.md "Page identity".
 */
/**
 * Longest page id or URL accepted (`LIMITS.pageId`); longer ones are almost always tracking junk. Here rather than
 * read from LIMITS so the widgets' thread chunk, which normalises page ids, does not carry every limit with it.
 */
export const PAGE_ID_MAX = 2048;

/** Query parameters that say how a reader arrived, not which page they read. */
const TRACKING_PARAMS = new Set([
  'm', // Blogger's mobile view
  'showcomment', // Blogger's comment permalink
  'fbclid',
  'gclid',
  'dclid',
  'msclkid',
  'yclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  'ref',
  'ref_src',
  '_ga',
  '_gl',
  'amp',
]);

const INDEX_FILE = /\/index\.(?:html?|php)$/i;
/** Cloudflare Pages and Workers assets, GitHub Pages and Netlify serve `post.html` at `post` too: one page. */
const HTML_EXTENSION = /\.html?$/i;

function isTracking(param: string): boolean {
  const name = param.toLowerCase();
  return name.startsWith('utm_') || TRACKING_PARAMS.has(name);
}

/**
 * A page's address as a link to it: an absolute http(s) URL without its fragment or tracking queries, with a
 * lowercase scheme and host and its path kept as it is (Blogger serves `slug.html` only, never `slug`).
 * Null when `input` is not an http(s) URL.
 */
export function pageLink(input: string): string | null {
  const link = linkOf(input.trim());
  return link && `${link[0]}${link[1]}${link[2]}`;
}

/**
 * `pageLink`'s scheme and host, path and query, from one parse: `normalizePageId` cuts the path without parsing the
 * link again (an index page's counts normalise 100 ids). The query's parameters are read only when there is one.
 */
function linkOf(trimmed: string): [string, string, string] | null {
  if (!/^https?:\/\//i.test(trimmed)) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  let query = '';
  if (url.search) {
    const params = url.searchParams;
    for (const name of [...params.keys()]) {
      if (isTracking(name)) params.delete(name);
    }
    params.sort();
    if (params.size > 0) query = `?${params}`;
  }
  return [`${url.protocol}//${url.host}`, url.pathname, query];
}

/**
 * Normalise a page id. Absolute http(s) URLs lose their fragment, tracking queries, `index.html`, a `.html`
 * extension and trailing slash, and get a lowercase scheme and host; any other id (`post-42`) is kept as given,
 * trimmed. Returns null for an empty or over-long id.
 */
export function normalizePageId(input: string): string | null {
  const trimmed = input.trim();
  if (trimmed === '' || trimmed.length > PAGE_ID_MAX) return null;
  const link = linkOf(trimmed);
  if (link === null) return trimmed;
  const path = link[1].replace(INDEX_FILE, '/').replace(/\/+$/, '').replace(HTML_EXTENSION, '');
  return `${link[0]}${path}${link[2]}`;
}
