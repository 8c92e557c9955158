/**
 * The cron's repair job. A request's own rebuild can be lost (isolate evicted, KV 429, a list() that had not
 * seen the newest key yet); its dirty marker survives, and this job rebuilds every page that still has one.
 */
import { DirtyPages, MARKER_SETTLE_MS, type DirtyMarker } from './dirty-pages.js';
import { COMMENTS_PER_RUN } from './import-run.js';
import { IMPORT_MARK } from './keys.js';
import { recountFromSnapshot, scheduleRebuild } from './thread-rebuild.js';
import { ThreadStore } from './threads.js';

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
  /** Pages of imports' marks whose count was ahead of their snapshot: rebuilt, or their count dropped. */
  importsHealed?: number;
}

/**
 * Imports' marks checked per run (`DirtyPages.markImport`): each names up to a request's 50 pages, two reads each (the
 * count and the snapshot's head), within the run's KV operations and CPU beside the rebuilds.
 */
const IMPORT_MARKS_PER_RUN = 2;

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
  const importMarks: DirtyMarker[] = [];
  for (const marker of await dirtyPages.list(MAX_MARKERS)) {
    if (marker.page.pageHash === IMPORT_MARK) {
      // Young ones wait: the import may still be writing, and another location's writes show up to 60 s later.
      if (marker.markedAt <= now - settleMs && importMarks.length < IMPORT_MARKS_PER_RUN) importMarks.push(marker);
      continue;
    }
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

  let importsHealed = 0;
  for (const marker of importMarks) importsHealed += await healImport(kv, dirtyPages, marker);

  return {
    ...(importMarks.length > 0 ? { importsHealed } : {}),
    pages: pages.length,
    failed: outcomes.filter((outcome) => !outcome.rebuilt).length,
    clearedMarkers: outcomes.reduce((sum, outcome) => sum + outcome.cleared, 0),
    sites: [...new Set(pages.map((markers) => markers[0]!.page.site))],
  };
}

/**
 * An import's mark, settled: each page it names whose count is not its snapshot's total (an invocation cut between the
 * count and the snapshot, which the import writes in that order, as the rebuild does) is rebuilt, publishing the thread
 * from its document; but a page with no snapshot whose count is more than a cron run publishes (COMMENTS_PER_RUN: a
 * rebuild from a big document takes far more than a run's 10 ms of CPU, and a run stopped on it every time would
 * never clear the mark) has its count dropped instead, so readers see no count of comments they cannot see, until the
 * import is sent again; such a page that has a snapshot (imported before, its rebuild cut) has its count written
 * again from that snapshot, which readers see until the import is sent again. Then the mark goes. How many pages it
 * put right.
 */
async function healImport(kv: KVNamespace, dirtyPages: DirtyPages, marker: DirtyMarker): Promise<number> {
  const mark = await dirtyPages.readImportMark(marker);
  const threads = new ThreadStore(kv);
  let healed = 0;
  let failed = false;
  for (const pageHash of mark?.pages ?? []) {
    const page = { site: marker.page.site, pageHash };
    const [count, snapshot] = await Promise.all([threads.readCount(page), threads.readFields(page)]);
    if (count === null || (snapshot !== null && snapshot.total === count)) continue;
    // Imported before and cut in its rebuild: rebuilding it here would read and merge its whole document, as above,
    // but its snapshot says what readers see, and its count is worked out from it (its head read as a rebuild reads it).
    if (count > COMMENTS_PER_RUN && snapshot !== null) await recountFromSnapshot(kv, page);
    else if (count > COMMENTS_PER_RUN) await threads.deleteCount(page);
    else if (!(await scheduleRebuild(kv, page))) {
      failed = true;
      continue;
    }
    healed += 1;
  }
  // A rebuild that failed (KV's daily limit) is tried again by the next run: the mark stays.
  if (!failed) await dirtyPages.clear([marker]);
  return healed;
}
