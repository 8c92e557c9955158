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

/**
 * The user agents today's browsers send, whole (Chrome's reduced strings on Windows, macOS, Linux, ChromeOS and
 * Android, Edge's, Firefox's, Safari's on macOS, iPhone and iPad), in which only version numbers vary: no entry of
 * the `isbot` list matches one (`bots.test.ts` checks each form against it). Most beacons carry one, and matching
 * this first spares a new isolate the compiling of `isbot`'s pattern (206 entries), about 4 ms of its first view
 * beacon (worker/README.md "A fresh isolate's first request"). Anything else, a crawler appending its name included
 * (`$` stops at the end), goes to `isbot`.
 */
const BROWSER = new RegExp(
  String.raw`^Mozilla/5\.0 \((?:` +
    [
      // Chrome's reduced user agent (since Chrome 110: a fixed platform, the version as N.0.0.0), and Edge's.
      String.raw`(?:Windows NT 10\.0; Win64; x64|Macintosh; Intel Mac OS X 10_15_7|X11; Linux x86_64|X11; CrOS x86_64 \d+(?:\.\d+)*|Linux; Android 10; K)\) ` +
        String.raw`AppleWebKit/537\.36 \(KHTML, like Gecko\) Chrome/\d+\.0\.0\.0 (?:Mobile )?Safari/537\.36(?: EdgA?/\d+(?:\.\d+)*)?`,
      // Firefox on the desktop and on Android.
      String.raw`(?:Windows NT 10\.0; Win64; x64|Macintosh; Intel Mac OS X 10\.15|X11; (?:Ubuntu; )?Linux x86_64|Android \d+; Mobile)` +
        String.raw`; rv:\d+\.0\) Gecko/(?:20100101|\d+\.0) Firefox/\d+\.0`,
      // Safari on macOS, iPhone and iPad.
      String.raw`(?:Macintosh; Intel Mac OS X 10_15_7|(?:iPhone; CPU iPhone|iPad; CPU) OS \d+_\d+(?:_\d+)? like Mac OS X)\) ` +
        String.raw`AppleWebKit/605\.1\.15 \(KHTML, like Gecko\) Version/\d+(?:\.\d+){0,2} (?:Mobile/15E148 Safari/604\.1|Safari/605\.1\.15)`,
    ].join('|') +
    ')$',
);

/** True for a user agent in one of the forms today's browsers send (`BROWSER`): no crawler's, by the `isbot` list. */
export function isPlainBrowser(userAgent: string): boolean {
  return BROWSER.test(userAgent);
}

/** True for user agents of crawlers, headless browsers, link previewers and HTTP libraries. */
export function isLikelyBot(userAgent: string): boolean {
  return !isPlainBrowser(userAgent) && isbot(userAgent);
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
