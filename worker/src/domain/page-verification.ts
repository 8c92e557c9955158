/**
 * Which pages the cron reads next, and what popular posts and recent comments show of each. A view beacon's
 * metadata is only a hint (anyone can send one): it names a page to read, and the list shows what that page's own
 * HTML said when it was last read (domain/page-head.ts), or leaves the page out until it has been read once.
 */
import type { PageMeta } from '@sala/protocol';
import type { StoredPageMeta } from './popularity.js';
import { DAY_MS, HOUR_MS } from './utc-time.js';

export const PAGE_VERIFICATION = {
  /**
   * Page fetches per cron invocation, over every site, redirects included. Subrequests allow 50; CPU is the limit:
   * reading a page measured 1.7 ms for an 8 KB post and 4.6 to 5.9 ms for 200 KB (worker/README.md "Page metadata"),
   * and the free plan gives an invocation 10 ms.
   */
  fetchesPerRun: 3,
  /**
   * A page read successfully, whose beacons still give its title, is read again after 7 days: real readers' beacons
   * carry a changed title within hours, and that makes the page due sooner (`retryMs`).
   */
  recheckMs: 7 * DAY_MS,
  /** A page that could not be read, or whose beacons now say something else, is read again after 6 hours. */
  retryMs: 6 * HOUR_MS,
  /** Bytes of a page read: the head and the post come first; a huge page is not parsed to its end. */
  maxPageBytes: 256 * 1024,
  timeoutMs: 5_000,
  /**
   * Pages read: each ranking's first 60 pages with a beacon (a list keeps `RANKING_DEPTH`, 50; ten more stand in
   * for pages that cannot be read), and the pages holding the newest comments. Reading and keeping only the pages
   * the lists can show keeps the stored document, parsed on every popularity run, small whatever the blog's size:
   * every page of a 5,000-page blog measured about 4 MB (worker/README.md "CPU time").
   */
  readDepth: 60,
  /**
   * Records kept: each ranking's first 150. A page leaves the lists at 60 but its record only below 150, so a page
   * near the edge of a list is not read again every time it comes back.
   */
  keptDepth: 150,
} as const;

/** How a local development Worker reads pages (`devPageReads`). */
export interface DevPageReads {
  /** Page fetches per cron invocation, redirects included, instead of `PAGE_VERIFICATION.fetchesPerRun`. */
  fetchesPerRun: number;
  /** How soon a page that could not be read, or whose beacons changed, is read again: 0, on the next run. */
  retryMs: number;
}

/**
 * The page reads of a local development Worker, from the `SALA_DEV_PAGE_READS` var (`npm start` sets it,
 * worker/scripts/dev.ts): that many fetches a run, and a page that failed read again on the next run rather than 6
 * hours later, so a blogger trying Sala sees the posts they visited listed on the dev cron's next minute (3 reads a
 * run, a redirect counting as one more, listed one demo post a minute; a page whose first read failed, because its
 * server was not up yet or answered 404 while being edited, stayed out for 6 hours). Null, production's pace, when
 * unset; `problem` when it is not a whole number from 1 to 50 (the subrequests one invocation may make).
 */
export function devPageReads(configured: string | undefined): DevPageReads | { problem: string } | null {
  if (configured === undefined || configured.trim() === '') return null;
  const fetches = Number(configured.trim());
  if (!/^\d+$/.test(configured.trim()) || fetches < 1 || fetches > 50) {
    return {
      problem: `SALA_DEV_PAGE_READS must be a whole number of page reads a cron run from 1 to 50, not ${JSON.stringify(configured)}: pages are read at the deployed pace (3 a run)`,
    };
  }
  return { fetchesPerRun: fetches, retryMs: 0 };
}

/** What the cron knows of one page. */
export interface VerifiedPage {
  /** The address last fetched (the beacon's `meta.url`). */
  url: string;
  /** ISO 8601: when it was last fetched, successfully or not. */
  checkedAt: string;
  /** What the page said of itself the last time it could be read. */
  meta?: PageMeta;
  /** ISO 8601: when `meta` was read. */
  verifiedAt?: string;
  /** Why the last fetch did not give metadata; for the logs and the owner. */
  problem?: string;
}

/**
 * One KV value per site, written by the cron only: stored in lines (storage/page-verification.ts
 * `encodeVerifiedPages`), or as this object itself before 2026-12-06 (still read).
 */
export interface VerifiedPages {
  version: 1;
  pages: Record<string, VerifiedPage>;
}

export function emptyVerifiedPages(): VerifiedPages {
  return { version: 1, pages: {} };
}

/**
 * True when a page is due for a fetch at `now`. `agrees`: the beacons' latest address and title are those of the
 * last read (`known.url`, `known.meta.title`).
 */
function isDue(known: VerifiedPage | undefined, agrees: boolean, now: number, retryMs: number): boolean {
  if (!known) return true;
  // Title and address only: a browser may pick another image size (srcset) than the page's `src`, and a page that
  // always disagreed on it would be read every 6 hours.
  return now - Date.parse(known.checkedAt) >= (agrees ? PAGE_VERIFICATION.recheckMs : retryMs);
}

/**
 * Pages of `pageIds` to fetch, most wanted first: pages never read, then by views (`views`, e.g. the last 7 days;
 * asked only when two pages are due), then the longest unread. `agrees` says whether a read page's beacons still
 * give the address and title it was read with. The caller takes as many as its budget allows; the rest wait for
 * the next run. `retryMs`: how soon a page that failed or disagrees is due again (0 in local development).
 */
export function pagesToVerify(
  pageIds: Iterable<string>,
  verified: VerifiedPages,
  agrees: (pageId: string, known: VerifiedPage) => boolean,
  views: (pageId: string) => number,
  now: number,
  retryMs: number = PAGE_VERIFICATION.retryMs,
): string[] {
  const due = [...pageIds].filter((pageId) => {
    const known = verified.pages[pageId];
    return isDue(known, known?.meta !== undefined && agrees(pageId, known), now, retryMs);
  });
  const rank = (pageId: string) => [verified.pages[pageId] ? 1 : 0, -views(pageId)] as const;
  return due.sort((a, b) => {
    const [ra, rb] = [rank(a), rank(b)];
    const [ca, cb] = [verified.pages[a]?.checkedAt ?? '', verified.pages[b]?.checkedAt ?? ''];
    return ra[0] - rb[0] || ra[1] - rb[1] || (ca < cb ? -1 : ca > cb ? 1 : a < b ? -1 : 1);
  });
}

/** What the lists show: the last read metadata of each page `verified` keeps; unread pages have none. */
export function shownMeta(verified: VerifiedPages): Record<string, StoredPageMeta> {
  // `for…in` over the records, not `Object.entries`: no array of pairs made of a document of hundreds of pages.
  const shown: Record<string, StoredPageMeta> = {};
  const pages = verified.pages;
  for (const pageId in pages) {
    const known = pages[pageId]!;
    if (known.meta && known.verifiedAt) setOwn(shown, pageId, { ...known.meta, updatedAt: known.verifiedAt });
  }
  return shown;
}

/** The records of the pages the lists may show (`kept`): a page far down every list, or no longer counted, is forgotten. */
export function keepListed(verified: VerifiedPages, kept: ReadonlySet<string>): VerifiedPages {
  // A loop over the records, not `Object.entries` and `Object.fromEntries`: no arrays of pairs made of a document of
  // hundreds of pages.
  const listed: Record<string, VerifiedPage> = {};
  const pages = verified.pages;
  for (const pageId in pages) {
    if (!kept.has(pageId)) continue;
    setOwn(listed, pageId, pages[pageId]!);
  }
  return { version: 1, pages: listed };
}

/** `target[key] = value`, where a page id is any text a site gives: `__proto__` is defined as a key, not assigned. */
function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
