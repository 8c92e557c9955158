/**
 * Page identity: one post read on mobile, desktop, with tracking tags or a comment anchor is one thread.
 * See DESIGN.md "Page identity".
 */
import { LIMITS } from './limits.js';

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

function isTracking(param: string): boolean {
  const name = param.toLowerCase();
  return name.startsWith('utm_') || TRACKING_PARAMS.has(name);
}

/**
 * Normalise a page id. Absolute http(s) URLs lose their fragment, tracking queries, `index.html` and
 * trailing slash, and get a lowercase scheme and host; any other id (`post-42`) is kept as given, trimmed.
 * Returns null for an empty or over-long id.
 */
export function normalizePageId(input: string): string | null {
  const trimmed = input.trim();
  if (trimmed === '' || trimmed.length > LIMITS.pageId) return null;
  if (!/^https?:\/\//i.test(trimmed)) return trimmed;

  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return trimmed;
  }
  url.hash = '';
  for (const name of [...url.searchParams.keys()]) {
    if (isTracking(name)) url.searchParams.delete(name);
  }
  url.searchParams.sort();
  const path = url.pathname.replace(INDEX_FILE, '/').replace(/\/+$/, '');
  const query = url.searchParams.size > 0 ? `?${url.searchParams.toString()}` : '';
  return `${url.protocol}//${url.host}${path}${query}`;
}
