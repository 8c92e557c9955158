/**
 * The cron's repair job. A request's own rebuild can be lost (isolate evicted, KV 429, a list() that had not
 * seen the newest key yet); its dirty marker survives, and this job rebuilds every page that still has one.
 */
import { DirtyPages, MARKER_SETTLE_MS, type DirtyMarker } from './dirty-pages.js';
import { scheduleRebuild } from './thread-rebuild.js';

export interface RepairOptions {
  /** A marker younger than this may name a comment list() does not return yet (KV lists lag up to 60 s). */
  settleMs: number;
  /** Pages rebuilt per run: each costs about five KV operations of the 1,000 one invocation may make. */
  maxPages: number;
}

export interface RepairReport {
  pages: number;
  failed: number;
  clearedMarkers: number;
  /** Sites with a page rebuilt this run: their recent comments may have changed. */
  sites: string[];
}

const DEFAULTS: RepairOptions = { settleMs: MARKER_SETTLE_MS, maxPages: 50 };

/** Markers read per run, so that clearing them (one delete each) stays within the operations budget. */
const MAX_MARKERS = 500;

/**
 * Rebuilds each dirty page once, then clears its markers that are old enough to have been seen. Younger ones stay
 * and keep the page dirty for the next run. Idempotent: a second run rebuilds to the same snapshot.
 */
export async function repairDirtyThreads(
  kv: KVNamespace,
  now: number,
  options: Partial<RepairOptions> = {},
): Promise<RepairReport> {
  const { settleMs, maxPages } = { ...DEFAULTS, ...options };
  const dirtyPages = new DirtyPages(kv);

  const markersByPage = new Map<string, DirtyMarker[]>();
  for (const marker of await dirtyPages.list(MAX_MARKERS)) {
    const pageKey = `${marker.page.site}:${marker.page.pageHash}`;
    const pageMarkers = markersByPage.get(pageKey);
    if (pageMarkers) pageMarkers.push(marker);
    else markersByPage.set(pageKey, [marker]);
  }

  const pages = [...markersByPage.values()].slice(0, maxPages);
  const outcomes = await Promise.all(
    pages.map(async (markers) => {
      const rebuilt = await scheduleRebuild(kv, markers[0]!.page);
      if (!rebuilt) return { rebuilt, cleared: 0 };
      const settled = markers.filter((marker) => marker.markedAt <= now - settleMs);
      await dirtyPages.clear(settled);
      return { rebuilt, cleared: settled.length };
    }),
  );

  return {
    pages: pages.length,
    failed: outcomes.filter((outcome) => !outcome.rebuilt).length,
    clearedMarkers: outcomes.reduce((sum, outcome) => sum + outcome.cleared, 0),
    sites: [...new Set(pages.map((markers) => markers[0]!.page.site))],
  };
}
