/**
 * Which view beacons come from a person reading the page. Crawlers, link previews, prefetches and scripts
 * would otherwise push whatever they fetch most into "popular posts".
 */
import { isbot } from 'isbot';

export type ViewDropReason =
  /** No User-Agent at all: every browser sends one. */
  | 'no-user-agent'
  /** A known crawler, headless browser, link previewer or HTTP library (the `isbot` list). */
  | 'crawler'
  /** Fetched ahead of a navigation that may never happen (prefetch, prerender, link preview). */
  | 'prefetch'
  /** No Origin: browsers send one with every POST, so this is not a page's script. */
  | 'no-origin'
  /** No Sec-Fetch-Site / Sec-Fetch-Mode, which current browsers add to every request. */
  | 'no-fetch-metadata'
  /** A navigation or a typed URL, not a script's beacon. */
  | 'not-a-beacon';

/** True for user agents of crawlers, headless browsers, link previewers and HTTP libraries. */
export function isLikelyBot(userAgent: string): boolean {
  return isbot(userAgent);
}

/** Prefetch and prerender markers: Chrome (`Sec-Purpose`, `Purpose`), Firefox (`X-Moz`), old Safari (`X-Purpose`). */
function isPrefetch(headers: Headers): boolean {
  const purpose = [headers.get('sec-purpose'), headers.get('purpose'), headers.get('x-purpose'), headers.get('x-moz')]
    .filter((value): value is string => value !== null)
    .join(';')
    .toLowerCase();
  return /prefetch|prerender|preview/.test(purpose);
}

/**
 * Why a view beacon with these request headers should not count, or null when it should.
 * Checked cheapest and most certain first, so logs name the clearest reason.
 */
export function viewDropReason(headers: Headers): ViewDropReason | null {
  const userAgent = headers.get('user-agent')?.trim() ?? '';
  if (userAgent === '') return 'no-user-agent';
  if (isLikelyBot(userAgent)) return 'crawler';
  if (isPrefetch(headers)) return 'prefetch';

  const origin = headers.get('origin');
  // Sandboxed frames and file:// pages send the literal "null": never a page of the site.
  if (origin === null || origin === '' || origin === 'null') return 'no-origin';

  const fetchSite = headers.get('sec-fetch-site');
  const fetchMode = headers.get('sec-fetch-mode');
  // Safari before 16.4 sends neither; its readers are not counted (see worker/README.md).
  if (fetchSite === null || fetchMode === null) return 'no-fetch-metadata';
  if (fetchMode === 'navigate' || fetchSite === 'none') return 'not-a-beacon';
  return null;
}

/** True when a view beacon with these headers counts as a person's view. */
export function shouldCountView(headers: Headers): boolean {
  return viewDropReason(headers) === null;
}
