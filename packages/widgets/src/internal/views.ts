/**
 * Counts one view of a post page for popular posts: once per page load however many elements ask, once per
 * reader per page per UTC day (remembered in localStorage, no cookie), only once the page is shown, loaded and
 * idle, as a keepalive fetch the page never waits for. Loaded as its own chunk when an element asks.
 */
import type { ViewBeacon } from '@sala/protocol';
import { readLabels, readPageMeta } from './page-meta.js';
import { readJson, writeJson } from './storage.js';

export interface ViewRequest {
  /** Origin of the Sala Worker. */
  api: string;
  site: string | undefined;
  pageId: string;
  /** An element's `labels` attribute ("a, b"); without one, the page's `article:tag` metas and `rel="tag"` links. */
  labels: string | undefined;
  /** The site sends 1 in `sample` views, each standing for `sample` (an API response's `viewSample`). */
  sample: number | undefined;
  /**
   * Asked when the view is asked for and again just before sending (an element may come later): true when any Sala
   * element on the page has `no-track`.
   */
  optedOut: () => boolean;
}

/** What became of a request; tests read it, pages never need to. */
export type ViewOutcome = 'sent' | 'this-page-load' | 'today' | 'opted-out' | 'not-sampled' | 'failed';

/** Page id -> the UTC day its view was last counted from this browser. */
const STORAGE_KEY = 'sala:views';
/** Pages already asked for in this page load: elements share one view, even when storage is blocked. */
const thisPageLoad = new Set<string>();

function utcDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

/** Resolves once a prerendered page is shown to the reader: a prerender may never be looked at. */
function activated(doc: Document & { prerendering?: boolean }): Promise<void> {
  if (!doc.prerendering) return Promise.resolve();
  return new Promise((resolve) => doc.addEventListener('prerenderingchange', () => resolve(), { once: true }));
}

function loaded(doc: Document): Promise<void> {
  if (doc.readyState === 'complete') return Promise.resolve();
  return new Promise((resolve) => window.addEventListener('load', () => resolve(), { once: true }));
}

/** The browser's next quiet moment, so the beacon never competes with the page's own work. */
function idle(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: 5000 });
    else setTimeout(resolve, 500);
  });
}

/**
 * True the first time today this browser asks for `key`, and remembers it. Other days' entries are dropped, so
 * the record holds one day's pages at most. Storage that fails counts every page load (the Worker dedupes again).
 */
function firstToday(key: string, now: number): boolean {
  const today = utcDay(now);
  const stored = readJson(STORAGE_KEY);
  const days: Record<string, unknown> = typeof stored === 'object' && stored !== null ? { ...stored } : {};
  if (days[key] === today) return false;
  for (const [page, day] of Object.entries(days)) if (day !== today) delete days[page];
  days[key] = today;
  writeJson(STORAGE_KEY, days);
  return true;
}

export async function recordView(request: ViewRequest, doc: Document = document): Promise<ViewOutcome> {
  const key = `${request.api}|${request.site ?? ''}|${request.pageId}`;
  if (thisPageLoad.has(key)) return 'this-page-load';
  thisPageLoad.add(key);
  // The page said no while its element was there: that holds, even once the element is gone.
  if (request.optedOut()) return 'opted-out';

  await activated(doc);
  await loaded(doc);
  await idle();
  if (request.optedOut()) return 'opted-out';
  if (!firstToday(key, Date.now())) return 'today';

  // 1 in N readers' daily views is sent, standing for N, so summed weights stay unbiased totals.
  const sample =
    request.sample !== undefined && Number.isInteger(request.sample) && request.sample > 1 ? request.sample : 1;
  if (sample > 1 && Math.random() * sample >= 1) return 'not-sampled';

  const beacon: ViewBeacon = { page: request.pageId, meta: readPageMeta(readLabels(request.labels, doc), doc) };
  if (sample > 1) beacon.weight = sample;
  const url = new URL(`${request.api}/api/v1/views`);
  if (request.site) url.searchParams.set('site', request.site);
  try {
    // A string body is sent as text/plain: a simple CORS request, so no preflight doubles the cost of a view.
    await fetch(url, { method: 'POST', body: JSON.stringify(beacon), keepalive: true, credentials: 'omit' });
    return 'sent';
  } catch {
    // A lost view is not worth bothering the reader or the page about.
    return 'failed';
  }
}
