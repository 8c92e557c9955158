/**
 * Popularity aggregation: the Cron Trigger folds view batches into hourly, daily and all-time counts per page.
 * The cron is the single writer of this state (KV rule 2). Hours that may still receive batches are recomputed
 * from the batches on every run, and an hour is folded into days and all-time exactly once, so re-running,
 * overlapping runs and a state that goes back in time never count a view twice.
 */
import type { PageMeta } from '@sala/protocol';
import { samePageMeta } from './page-meta.js';
import { HOUR_MS, DAY_MS, dayOfHour, hourStart, utcDay } from './utc-time.js';
import type { ViewBatch } from './view-buffer.js';

/** Views (summed weight) per page id. */
export type PageCounts = Record<string, number>;

export interface StoredPageMeta extends PageMeta {
  /** `flushedAt` of the batch this metadata came from: newer metadata replaces older. */
  updatedAt: string;
}

export interface PopularityState {
  version: 1;
  /**
   * Views per UTC hour (key: `hourStart`), for the last 48 hours. Hours after `finalizedThrough` are live:
   * recomputed from the batches on every run, so a stored copy of them is only a cache.
   */
  hours: Record<string, PageCounts>;
  /** Views per UTC day (`YYYY-MM-DD`) of finalized hours, for the last 31 days. */
  days: Record<string, PageCounts>;
  /** Views of all finalized hours. */
  allTime: PageCounts;
  /** Start of the last hour folded into `days` and `allTime`; null before the first run. */
  finalizedThrough: string | null;
  meta: Record<string, StoredPageMeta>;
}

export const POPULARITY_SETTINGS = {
  /** An hour is final once this long has passed since its end: list() can lag new keys by up to 60 s. */
  finalizeGraceMs: 5 * 60 * 1000,
  keepHours: 48,
  keepDays: 31,
  /** View batch keys live this long (the storage layer's TTL); hours older than this can no longer be recomputed. */
  batchTtlSeconds: 3 * 24 * 60 * 60,
  /** Pages kept in `allTime` (by most views): bounds the state when bogus page ids are beaconed. */
  maxTrackedPages: 5000,
} as const;

export function emptyPopularityState(): PopularityState {
  return { version: 1, hours: {}, days: {}, allTime: {}, finalizedThrough: null, meta: {} };
}

/** The last hour that is final at `now`: strictly more than the grace period has passed since its end. */
export function lastFinalHour(now: number): string {
  return hourStart(now - POPULARITY_SETTINGS.finalizeGraceMs - HOUR_MS - 1);
}

/**
 * The hours whose batches the cron must read and pass to `aggregate`: every hour after `finalizedThrough` up
 * to the current one, as far back as batches live. Normally one or two; more after a regression.
 */
export function hoursToCollect(state: PopularityState, now: number): string[] {
  const current = Date.parse(hourStart(now));
  const oldestAlive = Date.parse(hourStart(now - POPULARITY_SETTINGS.batchTtlSeconds * 1000)) + HOUR_MS;
  const afterFinal = state.finalizedThrough === null ? -Infinity : Date.parse(state.finalizedThrough) + HOUR_MS;
  const hours: string[] = [];
  for (let hour = Math.max(oldestAlive, afterFinal); hour <= current; hour += HOUR_MS) {
    hours.push(new Date(hour).toISOString());
  }
  return hours;
}

export interface AggregateResult {
  state: PopularityState;
  /**
   * True when the durable part (finalized counts, `finalizedThrough`, metadata) differs from the input state:
   * write the state only then. Live hours alone changing does not count, as they are recomputed every run.
   */
  changed: boolean;
}

/**
 * Fold view batches into the state.
 *
 * `batches` must hold every batch stored for each hour of `hoursToCollect(state, now)` that list() shows; more
 * (duplicates, batches of finalized hours) is harmless. Live hours are rebuilt from them; hours that became
 * final are folded into days and all-time once, guarded by `finalizedThrough`. The output depends only on the
 * inputs, not their order: two runs from the same state with the same batches write the same state.
 */
export function aggregate(state: PopularityState, batches: readonly ViewBatch[], now: number): AggregateResult {
  const previousFinal = state.finalizedThrough;
  const final = previousFinal !== null && previousFinal > lastFinalHour(now) ? previousFinal : lastFinalHour(now);
  const liveBatches = uniqueBatches(batches).filter(
    (batch) => previousFinal === null || hourStart(Date.parse(batch.flushedAt)) > previousFinal,
  );
  const recomputed = hourlyCounts(liveBatches);

  // Finalized hours and untouched days are shared with the input, never modified: only what a folded hour
  // changes is copied and re-sorted, so a run's work follows its new batches rather than the state's size.
  const hours: Record<string, PageCounts> = {};
  for (const [hour, counts] of Object.entries(state.hours)) {
    if (previousFinal !== null && hour <= previousFinal) hours[hour] = counts;
  }
  const days: Record<string, PageCounts> = { ...state.days };
  const touchedDays = new Set<string>();
  let allTime: PageCounts = state.allTime;
  for (const [hour, counts] of Object.entries(recomputed)) {
    hours[hour] = counts;
    if (hour > final) continue;
    const day = dayOfHour(hour);
    if (!touchedDays.has(day)) days[day] = { ...days[day] };
    touchedDays.add(day);
    addCounts(days[day]!, counts);
    if (allTime === state.allTime) allTime = { ...state.allTime };
    addCounts(allTime, counts);
  }
  for (const day of touchedDays) days[day] = sortedRecord(days[day]!);

  const next: PopularityState = {
    version: 1,
    hours: sortedRecord(pruneBefore(hours, hourStart(now - (POPULARITY_SETTINGS.keepHours - 1) * HOUR_MS))),
    days: sortedRecord(pruneBefore(days, utcDay(now - (POPULARITY_SETTINGS.keepDays - 1) * DAY_MS))),
    allTime: allTime === state.allTime ? allTime : sortedRecord(topPages(allTime, POPULARITY_SETTINGS.maxTrackedPages)),
    finalizedThrough: final,
    meta: {},
  };
  next.meta = sortedRecord(newestMeta(state.meta, liveBatches, next));
  return { state: next, changed: !sameJson(durablePart(state), durablePart(next)) };
}

/** Batches by id, each once, oldest first (ties broken by id) so metadata "newest wins" is deterministic. */
function uniqueBatches(batches: readonly ViewBatch[]): ViewBatch[] {
  const byId = new Map<string, ViewBatch>();
  for (const batch of batches) byId.set(batch.id, batch);
  return [...byId.values()].sort((a, b) => a.flushedAt.localeCompare(b.flushedAt) || a.id.localeCompare(b.id));
}

function hourlyCounts(batches: readonly ViewBatch[]): Record<string, PageCounts> {
  const hours: Record<string, PageCounts> = {};
  for (const batch of batches) {
    addCounts((hours[hourStart(Date.parse(batch.flushedAt))] ??= {}), batch.views);
  }
  return mapValues(hours, sortedRecord);
}

function addCounts(into: PageCounts, counts: Readonly<PageCounts>): void {
  for (const [pageId, views] of Object.entries(counts)) {
    // A corrupt value must not turn every later total into NaN.
    if (Number.isFinite(views) && views > 0) into[pageId] = (into[pageId] ?? 0) + views;
  }
}

/** Metadata of pages still counted somewhere, each replaced only by a newer, different version. */
function newestMeta(
  previous: Readonly<Record<string, StoredPageMeta>>,
  batches: readonly ViewBatch[],
  state: PopularityState,
): Record<string, StoredPageMeta> {
  const meta: Record<string, StoredPageMeta> = { ...previous };
  for (const batch of batches) {
    for (const [pageId, incoming] of Object.entries(batch.meta)) {
      const known = meta[pageId];
      if (known && (batch.flushedAt <= known.updatedAt || samePageMeta(known, incoming))) continue;
      meta[pageId] = { ...incoming, updatedAt: batch.flushedAt };
    }
  }
  const counts = [state.allTime, ...Object.values(state.hours), ...Object.values(state.days)];
  return Object.fromEntries(
    Object.entries(meta).filter(([pageId]) => counts.some((pageCounts) => pageCounts[pageId] !== undefined)),
  );
}

function topPages(counts: PageCounts, max: number): PageCounts {
  const entries = Object.entries(counts);
  if (entries.length <= max) return counts;
  entries.sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  return Object.fromEntries(entries.slice(0, max));
}

/** Entries whose key (an ISO hour or day) is not before `oldest`. */
function pruneBefore<T>(record: Record<string, T>, oldest: string): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => key >= oldest));
}

function mapValues<T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}

/** Keys in order, so equal states serialise to equal JSON (comparison, and identical writes from two runs). */
function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** What must be persisted: finalized counts, `finalizedThrough` and metadata (live hours are recomputed). */
function durablePart(state: PopularityState): unknown {
  const final = state.finalizedThrough;
  const finalizedHours = Object.fromEntries(
    Object.entries(state.hours).filter(([hour]) => final !== null && hour <= final),
  );
  return { finalizedThrough: final, hours: finalizedHours, days: state.days, allTime: state.allTime, meta: state.meta };
}

/**
 * True when two JSON values serialise the same with keys sorted at every level (an absent key and an undefined
 * one alike), without building the strings: the state of a month-old blog is a megabyte, compared on every run.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => sameJson(item, b[index]));
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const left = a as Record<string, unknown>;
    const right = b as Record<string, unknown>;
    const leftKeys = Object.keys(left).filter((key) => left[key] !== undefined);
    const rightCount = Object.keys(right).filter((key) => right[key] !== undefined).length;
    return (
      leftKeys.length === rightCount &&
      leftKeys.every((key) => right[key] !== undefined && sameJson(left[key], right[key]))
    );
  }
  return JSON.stringify(a) === JSON.stringify(b);
}
