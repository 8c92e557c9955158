/**
 * Popularity aggregation: the Cron Trigger folds view batches into hourly, daily and all-time counts per page.
 * The cron is the single writer of this state (KV rule 2). Hours that may still receive batches are recomputed
 * from the batches on every run, and an hour is folded into days and all-time exactly once, so re-running,
 * overlapping runs and a state that goes back in time never count a view twice.
 *
 * The counts are a column store (worker/README.md "Popularity state"): one slot per tracked page, and per slot a
 * ring of the last 24 finalized hours, the finalized hours of the current day, and an all-time total (the counts,
 * read and written by every fold), and a ring of the 29 days before (the days, written when a day ends: the hourly
 * fold neither reads nor writes them). Float32 cells (half the bytes read each run); all-time in Float64 (it may pass
 * the 16.7 million a Float32 counts exactly). A run's work follows its new batches and the number of pages, never
 * the blog's age: folding an hour adds its counts into three cells per page, and an hour leaving a window is a cell
 * zeroed when the ring turns; a day ending is its cells copied into the day ring.
 */
import type { PageMeta } from '@sala/protocol';
import { HOUR_MS, DAY_MS, hourStart } from './utc-time.js';
import type { ViewBatch } from './view-buffer.js';

/** Views (summed weight) per page id. */
export type PageCounts = Record<string, number>;

export interface StoredPageMeta extends PageMeta {
  /** `flushedAt` of the batch this metadata came from: newer metadata replaces older. */
  updatedAt: string;
}

/** Hour cells per slot: the 24h window never needs more. */
export const HOUR_CELLS = 24;
/** Day cells per slot: the 30d window never needs more. */
export const DAY_CELLS = 30;
/** The cell of the current day's finalized hours in `counts`, after the hour ring. */
const TODAY_CELL = HOUR_CELLS;
/** Cells per slot in `counts`: the hour ring, then the current day. */
export const SLOT_CELLS = HOUR_CELLS + 1;

/**
 * The days before the current one: `DAY_CELLS` cells per slot, day `d` in cell `d % 30` while `held[d % 30]` is `d`
 * (a cell held for another day reads as no views, so a ring turning past days it never held needs no zeroing).
 * `cells` may cover fewer slots than `pageIds` (the pages given a slot since the ring was last written): those have
 * no views on days before the current one.
 */
export interface DayRing {
  cells: Float32Array;
  held: Int32Array;
}

/** Days before the current one that the 7 and 30 day windows hold. */
const WEEK_DAYS = 6;
const MONTH_DAYS = DAY_CELLS - 1;

/**
 * Each slot's views on the days of the ring that a 7 and a 30 day window ending on `day` hold, `day` itself left
 * out (it is the counts' current day), summed oldest first as `addFinalized` sums them: a ranking run on `day` reads
 * these (80 KB at 5,000 pages) instead of the ring (0.6 MB). Slots past their length had no views on those days.
 */
export interface DaySums {
  day: number;
  week: Float64Array;
  month: Float64Array;
}

export interface PopularityState {
  version: 2;
  /** Start of the last hour folded into the rings and all-time; null before the first run. */
  finalizedThrough: string | null;
  /** The page id of each slot. */
  pageIds: string[];
  /**
   * `SLOT_CELLS` numbers per slot. Hour cell `h % 24` holds hour number `h` (hours since the epoch) for the 24
   * finalized hours ending at `finalizedThrough`, older cells zeroed for newer hours; cell `TODAY_CELL` the finalized
   * hours of `finalizedThrough`'s day. A Float32 holds whole views exactly up to 16.7 million a cell (an hour or a
   * day of one page); a sampled view's fractional weight is rounded to 24 bits (7 digits).
   */
  counts: Float32Array;
  /**
   * The 29 days before `finalizedThrough`'s day; null when not read (storage reads them only for a run that ranks,
   * ends a day or drops pages, which are the only ones that need them).
   */
  days: DayRing | null;
  /** The ring's sums for the ranking runs (`DaySums`); null when not read (the ring is read instead). */
  daySums: DaySums | null;
  /** Each slot's finalized views of all time. */
  allTime: Float64Array;
  /**
   * Views per live hour (after `finalizedThrough`), recomputed from the batches on every run: never stored, so a
   * state read from KV has none until `aggregate` runs.
   */
  live: Record<string, PageCounts>;
  /**
   * The newest beacon metadata of every page counted (a slot, or a live hour): its address and title only, what the
   * cron needs to choose the pages it reads (page-verification.ts). The lists show what the pages themselves say.
   */
  meta: Record<string, StoredPageMeta>;
}

/** The state as the cron stored it until the column store: one JSON document (converted once, `fromV1`). */
export interface PopularityStateV1 {
  version: 1;
  hours: Record<string, PageCounts>;
  days: Record<string, PageCounts>;
  allTime: PageCounts;
  finalizedThrough: string | null;
  meta: Record<string, StoredPageMeta>;
}

export const POPULARITY_SETTINGS = {
  /** An hour is final once this long has passed since its end: list() can lag new keys by up to 60 s. */
  finalizeGraceMs: 5 * 60 * 1000,
  /** View batch keys live this long (the storage layer's TTL); hours older than this can no longer be recomputed. */
  batchTtlSeconds: 3 * 24 * 60 * 60,
  /** Pages given a slot (by most views all-time): bounds the state when bogus page ids are beaconed. */
  maxTrackedPages: 5000,
} as const;

export function emptyPopularityState(): PopularityState {
  return {
    version: 2,
    finalizedThrough: null,
    pageIds: [],
    counts: new Float32Array(0),
    allTime: new Float64Array(0),
    days: emptyDayRing(),
    daySums: null,
    live: {},
    meta: {},
  };
}

export function emptyDayRing(): DayRing {
  return { cells: new Float32Array(0), held: new Int32Array(DAY_CELLS).fill(-1) };
}

/** The day ring, which a run that changes it must have read: a storage mistake, never a reader's. */
function daysOf(state: PopularityState): DayRing {
  if (state.days === null) throw new Error('the day ring was not read');
  return state.days;
}

const hourNumber = (hour: string) => Date.parse(hour) / HOUR_MS;
const dayNumber = (ms: number) => Math.floor(ms / DAY_MS);
const hourCell = (hour: number) => hour % HOUR_CELLS;
const dayCell = (day: number) => day % DAY_CELLS;

/** The ring's `DaySums` for the windows ending on `finalizedThrough`'s day; null before the first fold. */
export function daySumsOf(state: PopularityState): DaySums | null {
  if (state.finalizedThrough === null) return null;
  const day = dayNumber(Date.parse(state.finalizedThrough));
  const { cells, held } = daysOf(state);
  const slots = cells.length / DAY_CELLS;
  const sums = (days: number) => {
    const kept = Array.from({ length: days }, (_, index) => day - days + index).filter(
      (past) => held[dayCell(past)] === past,
    );
    const totals = new Float64Array(slots);
    for (let slot = 0; slot < slots; slot++) {
      let sum = 0;
      for (const past of kept) sum += cells[slot * DAY_CELLS + dayCell(past)]!;
      totals[slot] = sum;
    }
    return totals;
  };
  return { day, week: sums(WEEK_DAYS), month: sums(MONTH_DAYS) };
}

/**
 * True when a ranking run as of `now` can sum the 7 and 30 days from the stored `DaySums` instead of reading the
 * ring: they were made for the day its counts will end on, and that day is today (not from 00:00 to the first fold
 * of the day, when the windows end a day later).
 */
export function daySumsServe(state: PopularityState, sums: DaySums | null, now: number): boolean {
  if (sums === null || state.finalizedThrough === null || endsDay(state, now)) return false;
  const day = dayNumber(Date.parse(state.finalizedThrough));
  return sums.day === day && dayNumber(now) === day;
}

/** True when folding as of `now` moves `finalizedThrough` into another day: the run must read the day ring. */
export function endsDay(state: PopularityState, now: number): boolean {
  const from = state.finalizedThrough;
  return from !== null && dayNumber(Date.parse(lastFinalHour(now))) > dayNumber(Date.parse(from));
}

/** The last hour that is final at `now`: strictly more than the grace period has passed since its end. */
export function lastFinalHour(now: number): string {
  return hourStart(now - POPULARITY_SETTINGS.finalizeGraceMs - HOUR_MS - 1);
}

/**
 * The time a run catching up on a backlog folds as of, having read the batches of the hours up to `lastHour` only:
 * late enough for that hour to be final when `now` allows it, so the run folds every hour it read (as of that
 * hour's end it stayed open, and the next run read its batches again).
 */
export function catchUpAsOf(lastHour: string, now: number): number {
  return Math.min(now, Date.parse(lastHour) + HOUR_MS + POPULARITY_SETTINGS.finalizeGraceMs + 1);
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
  /** True when the counts or `finalizedThrough` changed: write the counts only then (live hours do not count). */
  countsChanged: boolean;
  /** True when the day ring changed (a day ended, a past day's hour was folded, pages were dropped): write it first. */
  daysChanged: boolean;
  /**
   * True when pages lost their slot at `maxTrackedPages`: the slots moved, in the counts and the day ring alike, so
   * both must land in one write.
   */
  slotsDropped: boolean;
  /** True when a page's metadata was added, replaced or forgotten: write the metadata only then. */
  metaChanged: boolean;
}

export interface AggregateOptions {
  /**
   * The caller gives up `state.counts` and `state.days`, which may then be changed in place: the cron's counts just
   * read from KV, 0.7 MB at 5,000 pages, are not copied (a copy of that size measured several ms with the garbage
   * collection and page faults it brings).
   */
  ownsCounts?: boolean;
}

/**
 * Fold view batches into the state.
 *
 * `batches` must hold every batch stored for each hour of `hoursToCollect(state, now)` that list() shows; more
 * (duplicates, batches of finalized hours) is harmless. Live hours are rebuilt from them; hours that became
 * final are folded into the rings and all-time once, guarded by `finalizedThrough`. The output depends only on
 * the inputs, not their order, and the input state is not modified (but for its counts with `ownsCounts`).
 */
export function aggregate(
  state: PopularityState,
  batches: readonly ViewBatch[],
  now: number,
  options: AggregateOptions = {},
): AggregateResult {
  const previousFinal = state.finalizedThrough;
  const final = previousFinal !== null && previousFinal > lastFinalHour(now) ? previousFinal : lastFinalHour(now);
  const liveBatches = uniqueBatches(batches).filter(
    (batch) => previousFinal === null || hourStart(Date.parse(batch.flushedAt)) > previousFinal,
  );
  const recomputed = hourlyCounts(liveBatches);

  const next: PopularityState = {
    version: 2,
    finalizedThrough: final,
    // Shared until a page is added or dropped, which makes a new array: the same array means the same slots.
    pageIds: state.pageIds,
    counts: state.counts,
    allTime: state.allTime,
    days: state.days,
    daySums: state.daySums,
    live: {},
    meta: state.meta,
  };
  let evicted = false;
  let daysChanged = false;
  const folded = Object.keys(recomputed)
    .filter((hour) => hour <= final)
    .sort();
  if (final !== previousFinal) {
    next.counts = options.ownsCounts ? state.counts : state.counts.slice();
    next.allTime = options.ownsCounts ? state.allTime : state.allTime.slice();
    if (!options.ownsCounts && state.days !== null)
      next.days = { cells: state.days.cells.slice(), held: state.days.held.slice() };
    daysChanged = turnRings(next, previousFinal, final);
    if (folded.length > 0) {
      const foldedInto = foldHours(next, folded, recomputed);
      evicted = foldedInto.evicted;
      daysChanged ||= foldedInto.daysChanged;
    }
  }
  for (const [hour, counts] of Object.entries(recomputed)) if (hour > final) next.live[hour] = counts;

  const { meta, changed: metaChanged } = newestMeta(state.meta, liveBatches, next, evicted);
  next.meta = meta;
  return { state: next, countsChanged: final !== previousFinal, daysChanged, slotsDropped: evicted, metaChanged };
}

/**
 * Turns the rings as `finalizedThrough` moves from `from` to `to`: zeroes the cells of the hours entering the hour
 * ring and, when the day changes, copies the day that ended into the day ring, zeroes the days after it that a
 * backlog skipped, and zeroes the current day. Copied and zeroed, not added to: a run that wrote the day ring and
 * failed before the counts does the same again. Returns true when the day ring changed.
 */
function turnRings(state: PopularityState, from: string | null, to: string): boolean {
  const toHour = hourNumber(to);
  const fromHour = from === null ? -Infinity : hourNumber(from);
  const toDay = dayNumber(toHour * HOUR_MS);
  const fromDay = from === null ? -Infinity : dayNumber(fromHour * HOUR_MS);
  const cells: number[] = [];
  for (let hour = Math.max(fromHour + 1, toHour - HOUR_CELLS + 1); hour <= toHour; hour++) cells.push(hourCell(hour));
  const dayEnded = from !== null && fromDay < toDay;
  if (dayEnded) cells.push(TODAY_CELL);
  const kept = dayEnded && fromDay > toDay - DAY_CELLS;
  if (kept) holdDay(state, fromDay, false);
  if (dayEnded) for (let day = Math.max(fromDay + 1, toDay - DAY_CELLS + 1); day < toDay; day++) startDay(state, day);
  const { counts } = state;
  const days = kept ? daysOf(state).cells : null;
  const ended = dayCell(fromDay);
  for (let slot = 0; slot < state.pageIds.length; slot++) {
    const base = slot * SLOT_CELLS;
    if (days) days[slot * DAY_CELLS + ended] = counts[base + TODAY_CELL]!;
    for (const cell of cells) counts[base + cell] = 0;
  }
  return kept || (dayEnded && toDay - fromDay > 1);
}

/** Makes the day ring's cell of `day` hold that day with no views yet, whatever it held. */
function startDay(state: PopularityState, day: number): void {
  daysOf(state).held[dayCell(day)] = -1;
  holdDay(state, day, true);
}

/**
 * Makes the day ring's cell of `day` hold that day for every slot: grows the ring to the slots there are, and zeroes
 * the cell when it held another day (`clear`; a day about to be copied in needs no zeroing). A fold that adds an
 * hour of a day already ended to the ring finds that day held since `turnRings` (or, on a state's first fold, a ring
 * made in memory), so a fold done twice never adds an hour twice.
 */
function holdDay(state: PopularityState, day: number, clear: boolean): void {
  const days = daysOf(state);
  const slots = state.pageIds.length;
  if (days.cells.length < slots * DAY_CELLS) {
    const grown = new Float32Array(slots * DAY_CELLS);
    grown.set(days.cells);
    days.cells = grown;
  }
  const cell = dayCell(day);
  if (days.held[cell] === day) return;
  days.held[cell] = day;
  if (clear) for (let slot = 0; slot < slots; slot++) days.cells[slot * DAY_CELLS + cell] = 0;
}

const slotMaps = new WeakMap<readonly string[], ReadonlyMap<string, number>>();

/**
 * True when folding `batches` may give more pages a slot than `maxTrackedPages`, which drops the least viewed: the
 * run must read the day ring, whose slots are dropped with them.
 */
export function mayDropPages(state: PopularityState, batches: readonly ViewBatch[]): boolean {
  const slots = slotsOf(state.pageIds);
  const added = new Set<string>();
  for (const batch of batches) for (const pageId in batch.views) if (!slots.has(pageId)) added.add(pageId);
  return state.pageIds.length + added.size > POPULARITY_SETTINGS.maxTrackedPages;
}

/**
 * The slot of each page id, made once per `pageIds` array: a run's fold, windows and ranking share it (a map of
 * 5,000 ids is a millisecond). A state's `pageIds` is never changed in place: adding or dropping pages makes a new
 * array.
 */
export function slotsOf(pageIds: readonly string[]): ReadonlyMap<string, number> {
  let slots = slotMaps.get(pageIds);
  if (slots === undefined) {
    slots = new Map(pageIds.map((pageId, slot) => [pageId, slot]));
    slotMaps.set(pageIds, slots);
  }
  return slots;
}

/**
 * Adds the hours just finalized (`hours`, oldest first) into the cells still holding them and all-time: the hour
 * ring, the current day, or the day ring for an hour of a day already ended (a backlog). `evicted`: pages lost
 * their slot to stay within `maxTrackedPages`; `daysChanged`: the day ring changed.
 */
function foldHours(
  state: PopularityState,
  hours: readonly string[],
  counts: Record<string, PageCounts>,
): { evicted: boolean; daysChanged: boolean } {
  const known = slotsOf(state.pageIds);
  const addedSlots = new Map<string, number>();
  const slotOf = (pageId: string) => known.get(pageId) ?? addedSlots.get(pageId);
  const added: string[] = [];
  for (const hour of hours)
    for (const pageId of Object.keys(counts[hour]!))
      if (slotOf(pageId) === undefined) {
        addedSlots.set(pageId, state.pageIds.length + added.length);
        added.push(pageId);
      }
  if (added.length > 0) {
    const grown = new Float32Array((state.pageIds.length + added.length) * SLOT_CELLS);
    grown.set(state.counts);
    state.counts = grown;
    const grownAllTime = new Float64Array(state.pageIds.length + added.length);
    grownAllTime.set(state.allTime);
    state.allTime = grownAllTime;
    state.pageIds = state.pageIds.concat(added);
  }

  const final = hourNumber(state.finalizedThrough!);
  const finalDay = dayNumber(final * HOUR_MS);
  let daysChanged = false;
  for (const hour of hours) {
    const number = hourNumber(hour);
    const day = dayNumber(number * HOUR_MS);
    // An hour older than a ring's span adds to all-time only: its cell now belongs to a newer hour or day.
    const inHours = number > final - HOUR_CELLS;
    const inDays = day > finalDay - DAY_CELLS;
    const pastDay = inDays && day < finalDay;
    if (pastDay) holdDay(state, day, true);
    daysChanged ||= pastDay;
    const days = pastDay ? state.days!.cells : null;
    for (const [pageId, views] of Object.entries(counts[hour]!)) {
      const slot = slotOf(pageId)!;
      const base = slot * SLOT_CELLS;
      if (inHours) state.counts[base + hourCell(number)]! += views;
      if (days) days[slot * DAY_CELLS + dayCell(day)]! += views;
      else if (inDays) state.counts[base + TODAY_CELL]! += views;
      state.allTime[slot]! += views;
    }
  }
  if (state.pageIds.length <= POPULARITY_SETTINGS.maxTrackedPages) return { evicted: false, daysChanged };
  keepMostViewed(state);
  return { evicted: true, daysChanged: true };
}

/** Drops the slots of the pages least viewed all-time (ties: the later page id) beyond `maxTrackedPages`. */
function keepMostViewed(state: PopularityState): void {
  const { allTime } = state;
  const kept = state.pageIds
    .map((_, slot) => slot)
    .sort((a, b) => allTime[b]! - allTime[a]! || (state.pageIds[a]! < state.pageIds[b]! ? -1 : 1))
    .slice(0, POPULARITY_SETTINGS.maxTrackedPages)
    .sort((a, b) => a - b);
  const counts = new Float32Array(kept.length * SLOT_CELLS);
  kept.forEach((slot, index) =>
    counts.set(state.counts.subarray(slot * SLOT_CELLS, (slot + 1) * SLOT_CELLS), index * SLOT_CELLS),
  );
  const days = daysOf(state);
  const dayCells = new Float32Array(kept.length * DAY_CELLS);
  kept.forEach((slot, index) =>
    dayCells.set(days.cells.subarray(slot * DAY_CELLS, (slot + 1) * DAY_CELLS), index * DAY_CELLS),
  );
  state.pageIds = kept.map((slot) => state.pageIds[slot]!);
  state.counts = counts;
  state.days = { cells: dayCells, held: days.held };
  state.allTime = Float64Array.from(kept, (slot) => allTime[slot]!);
}

/** Batches by id, each once, oldest first (ties broken by id) so metadata "newest wins" is deterministic. */
function uniqueBatches(batches: readonly ViewBatch[]): ViewBatch[] {
  const byId = new Map<string, ViewBatch>();
  for (const batch of batches) byId.set(batch.id, batch);
  // Code-unit order, not localeCompare: the first localeCompare in an isolate loads ICU's collator, milliseconds of CPU.
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...byId.values()].sort((a, b) => order(a.flushedAt, b.flushedAt) || order(a.id, b.id));
}

function hourlyCounts(batches: readonly ViewBatch[]): Record<string, PageCounts> {
  const hours: Record<string, PageCounts> = {};
  for (const batch of batches) {
    const into = (hours[hourStart(Date.parse(batch.flushedAt))] ??= {});
    for (const [pageId, views] of Object.entries(batch.views)) {
      // A corrupt value must not turn every later total into NaN.
      if (Number.isFinite(views) && views > 0) into[pageId] = (into[pageId] ?? 0) + views;
    }
  }
  return hours;
}

/**
 * A beacon's metadata as the state keeps it: address and title. Whatever else a beacon says (image, snippet,
 * labels) is never shown (the lists show the page's own), and keeping it would make the stored metadata, read on
 * every run, several times larger.
 */
function pageHint(meta: PageMeta, updatedAt: string): StoredPageMeta {
  return { url: meta.url, title: meta.title, labels: [], updatedAt };
}

/**
 * Metadata of pages still counted (a slot or a live hour), each replaced only by a newer one with another address
 * or title. Returns the input object itself when nothing changed, so an unchanged run compares nothing more.
 */
function newestMeta(
  previous: Readonly<Record<string, StoredPageMeta>>,
  batches: readonly ViewBatch[],
  state: PopularityState,
  evicted: boolean,
): { meta: Record<string, StoredPageMeta>; changed: boolean } {
  let meta: Record<string, StoredPageMeta> | null = null;
  for (const batch of batches) {
    for (const [pageId, incoming] of Object.entries(batch.meta)) {
      const known = (meta ?? previous)[pageId];
      if (
        known &&
        (batch.flushedAt <= known.updatedAt || (known.url === incoming.url && known.title === incoming.title))
      )
        continue;
      meta ??= { ...previous };
      meta[pageId] = pageHint(incoming, batch.flushedAt);
    }
  }
  // A page is forgotten when its slot was given up at the cap (`keepMostViewed`); otherwise, with no more metadata
  // than slots, every page with metadata has a slot, and the check over every page is skipped.
  let forgotten: string[] = [];
  if (evicted || Object.keys(meta ?? previous).length > state.pageIds.length) {
    const counted = new Set(state.pageIds);
    for (const counts of Object.values(state.live)) for (const pageId of Object.keys(counts)) counted.add(pageId);
    forgotten = Object.keys(meta ?? previous).filter((pageId) => !counted.has(pageId));
  }
  if (forgotten.length > 0) meta ??= { ...previous };
  for (const pageId of forgotten) delete meta![pageId];
  return meta === null ? { meta: previous as Record<string, StoredPageMeta>, changed: false } : { meta, changed: true };
}

// Reading counts ------------------------------------------------------------------------------------------------

/** Finalized views of `hour` while it is one of the 24 held, or its live views; {} otherwise. */
export function hourViews(state: PopularityState, hour: string): PageCounts {
  if (state.live[hour]) return { ...state.live[hour] };
  const final = state.finalizedThrough === null ? null : hourNumber(state.finalizedThrough);
  const number = hourNumber(hour);
  if (final === null || number > final || number <= final - HOUR_CELLS) return {};
  const cell = hourCell(number);
  return slotCounts(state, (slot) => state.counts[slot * SLOT_CELLS + cell]!);
}

/** Finalized views of UTC day `day` (`YYYY-MM-DD`) while it is one of the 30 held; {} otherwise. */
export function dayViews(state: PopularityState, day: string): PageCounts {
  const final = state.finalizedThrough === null ? null : dayNumber(Date.parse(state.finalizedThrough));
  const number = dayNumber(Date.parse(day));
  if (final === null || number > final || number <= final - DAY_CELLS) return {};
  if (number === final) return slotCounts(state, (slot) => state.counts[slot * SLOT_CELLS + TODAY_CELL]!);
  const { cells, held } = daysOf(state);
  const cell = dayCell(number);
  if (held[cell] !== number) return {};
  return slotCounts(state, (slot) => cells[slot * DAY_CELLS + cell] ?? 0);
}

/** Finalized views of all time. */
export function allTimeViews(state: PopularityState): PageCounts {
  return slotCounts(state, (slot) => state.allTime[slot]!);
}

function slotCounts(state: PopularityState, viewsOf: (slot: number) => number): PageCounts {
  const counts: PageCounts = {};
  state.pageIds.forEach((pageId, slot) => {
    const views = viewsOf(slot);
    if (views > 0) counts[pageId] = views;
  });
  return counts;
}

/** Hours and days (numbers since the epoch, inclusive) and all-time: the finalized part of a window. */
export interface FinalizedWindow {
  hours?: [number, number];
  days?: [number, number];
  all?: boolean;
}

/**
 * Adds, into each target's `views` (one number per slot), the finalized views of its window that the rings hold:
 * all-time, then its hours, then its days oldest first (the current day last), the order every sum is made in.
 * One pass over the slots for every window: a ranking reads four. `only`: those slots alone (the others are left as
 * they were), for a reader that shows a few pages.
 */
export function addFinalized(
  state: PopularityState,
  targets: readonly { window: FinalizedWindow; views: Float64Array }[],
  only?: readonly number[],
): void {
  if (state.finalizedThrough === null) return;
  const final = hourNumber(state.finalizedThrough);
  const finalDay = dayNumber(final * HOUR_MS);
  // Per target: its cells in `counts` (hours, then the current day if in the window), and in the day ring or, when
  // the ring was not read, the stored sums of those cells (`DaySums`, which hold the same sum).
  const sums = state.days === null && state.daySums?.day === finalDay ? state.daySums : null;
  const cellsOf = ({ hours, days }: FinalizedWindow) => {
    const hourCells: number[] = [];
    const dayCells: number[] = [];
    for (
      let hour = Math.max(hours?.[0] ?? Infinity, final - HOUR_CELLS + 1);
      hour <= Math.min(hours?.[1] ?? -1, final);
      hour++
    )
      hourCells.push(hourCell(hour));
    const first = Math.max(days?.[0] ?? Infinity, finalDay - DAY_CELLS + 1);
    const last = Math.min(days?.[1] ?? -1, finalDay);
    const summed =
      sums !== null && last === finalDay
        ? first === finalDay - WEEK_DAYS
          ? sums.week
          : first === finalDay - MONTH_DAYS
            ? sums.month
            : null
        : null;
    for (let day = first; day <= last; day++) {
      if (day === finalDay) hourCells.push(TODAY_CELL);
      else if (summed === null && daysOf(state).held[dayCell(day)] === day) dayCells.push(dayCell(day));
    }
    // The current day is the newest, so added last, as a sum over the days in order has it.
    const todayLast = hourCells.at(-1) === TODAY_CELL && (dayCells.length > 0 || summed !== null);
    return { hourCells, dayCells, summed, todayLast };
  };
  const cells = targets.map(({ window }) => cellsOf(window));
  const withAllTime = targets.map(({ window }) => window.all === true);
  const { counts, allTime } = state;
  const dayRing = state.days?.cells ?? new Float32Array(0);
  const slotCount = only?.length ?? state.pageIds.length;
  for (let at = 0; at < slotCount; at++) {
    const slot = only === undefined ? at : only[at]!;
    for (let target = 0; target < targets.length; target++)
      targets[target]!.views[slot]! += finalizedSum(
        cells[target]!,
        withAllTime[target]!,
        slot,
        counts,
        allTime,
        dayRing,
      );
  }
}

/** The cells of a window that `addFinalized` adds, made once per window. */
interface WindowCells {
  hourCells: number[];
  dayCells: number[];
  summed: Float64Array | null;
  todayLast: boolean;
}

/**
 * One slot's finalized views in one window (`addFinalized`'s loop body), a function of its own: a loop calling it
 * 5,000 times a window is short, and this is called often enough for V8 to optimize it as a function. With the body
 * inline, the warm-up's runs over 600 slots left `addFinalized` with on-stack-replacement code only, which a new call
 * does not enter, so a fresh isolate's first ranking run at 5,000 pages compiled it again on a helper thread, 2.5 to 9
 * ms (worker/docs/cpu-cron.md, "The windows' sum per slot in a function of its own"). The same additions in the same
 * order.
 */
function finalizedSum(
  { hourCells, dayCells, summed, todayLast }: WindowCells,
  withAllTime: boolean,
  slot: number,
  counts: Float32Array,
  allTime: Float64Array,
  dayRing: Float32Array,
): number {
  const base = slot * SLOT_CELLS;
  const dayBase = slot * DAY_CELLS;
  let sum = withAllTime ? allTime[slot]! : 0;
  const fromCounts = todayLast ? hourCells.length - 1 : hourCells.length;
  for (let i = 0; i < fromCounts; i++) sum += counts[base + hourCells[i]!]!;
  if (slot < dayRing.length / DAY_CELLS)
    for (let i = 0; i < dayCells.length; i++) sum += dayRing[dayBase + dayCells[i]!]!;
  if (summed !== null && slot < summed.length) sum += summed[slot]!;
  if (todayLast) sum += counts[base + TODAY_CELL]!;
  return sum;
}

// Converting the JSON state of earlier versions -----------------------------------------------------------------

/** The parts of a version 1 state that hold counts, in the order a conversion adds them (slots in order of first use). */
export const V1_COUNT_SECTIONS = ['allTime', 'hours', 'days'] as const;
export type V1CountSection = (typeof V1_COUNT_SECTIONS)[number];

/**
 * The column store holding what a version 1 state holds: its finalized hours and days that the rings span, its
 * all-time counts and metadata. Its live hours are carried as live (the next `aggregate` recomputes them anyway).
 * Its maps are walked with `for...in`: JSON.parse makes objects of 300 keys dictionaries, on which Object.entries
 * measured 26 ms for 55 maps of 300 pages, `for...in` 0.8 ms (worker/README.md "Version 1"). The cron converts a
 * large one over several runs, a part of a section at a time (`startFromV1`, `addV1Counts`, `addV1Meta`,
 * `finishFromV1`: storage/popularity.ts); this is the same done at once.
 */
export function fromV1(old: PopularityStateV1): PopularityState {
  const state = startFromV1(old.finalizedThrough);
  const final = old.finalizedThrough;
  for (const hour in old.hours) if (final === null || hour > final) state.live[hour] = old.hours[hour]!;
  addV1Meta(state, old.meta);
  if (final === null) return state;
  addV1Counts(state, 'allTime', old.allTime);
  addV1Counts(state, 'hours', old.hours);
  addV1Counts(state, 'days', old.days);
  finishFromV1(state);
  return state;
}

/** An empty column store finalized through a version 1 state's `finalizedThrough`, to add its parts to. */
export function startFromV1(finalizedThrough: string | null): PopularityState {
  return { ...emptyPopularityState(), finalizedThrough };
}

/** Adds a version 1 state's page hints (all of its `meta`, or some of them). */
export function addV1Meta(state: PopularityState, meta: Readonly<Record<string, StoredPageMeta>>): void {
  for (const pageId in meta) {
    const hint = meta[pageId]!;
    state.meta[pageId] = pageHint(hint, hint.updatedAt);
  }
}

/**
 * Adds some of a version 1 section's counts: all-time (page to views), or hours or days (each to its pages' views),
 * those the rings of `state.finalizedThrough` span. Pages seen first get the next slots.
 */
export function addV1Counts(
  state: PopularityState,
  section: V1CountSection,
  part: Readonly<Record<string, number | PageCounts>>,
): void {
  if (state.finalizedThrough === null) return;
  const finalHour = hourNumber(state.finalizedThrough);
  const finalDay = dayNumber(finalHour * HOUR_MS);
  const { held } = daysOf(state);
  // Each map with where its counts go: all-time, a cell of `counts` (an hour, the current day), a day ring cell.
  const cells: [PageCounts, 'all time' | 'counts' | 'days', number][] = [];
  if (section === 'allTime') cells.push([part as PageCounts, 'all time', 0]);
  for (const key in section === 'allTime' ? {} : part) {
    const counts = (part as Record<string, PageCounts>)[key]!;
    if (section === 'hours') {
      const number = hourNumber(key);
      if (number <= finalHour && number > finalHour - HOUR_CELLS) cells.push([counts, 'counts', hourCell(number)]);
      continue;
    }
    const number = dayNumber(Date.parse(key));
    if (number === finalDay) cells.push([counts, 'counts', TODAY_CELL]);
    else if (number < finalDay && number > finalDay - DAY_CELLS) {
      cells.push([counts, 'days', dayCell(number)]);
      held[dayCell(number)] = number;
    }
  }
  const slotOf = new Map(state.pageIds.map((pageId, slot) => [pageId, slot]));
  const before = state.pageIds.length;
  for (const [counts] of cells)
    for (const pageId in counts) {
      if (!slotOf.has(pageId)) slotOf.set(pageId, state.pageIds.push(pageId) - 1);
    }
  if (state.pageIds.length > before) growSlots(state, state.pageIds.length);
  const days = daysOf(state);
  for (const [counts, target, cell] of cells) {
    for (const pageId in counts) {
      const slot = slotOf.get(pageId)!;
      if (target === 'all time') state.allTime[slot] = counts[pageId]!;
      else if (target === 'counts') state.counts[slot * SLOT_CELLS + cell] = counts[pageId]!;
      else days.cells[slot * DAY_CELLS + cell] = counts[pageId]!;
    }
  }
}

/** Makes room for `slots` slots in the counts, all-time and the day ring, keeping what they hold. */
function growSlots(state: PopularityState, slots: number): void {
  const counts = new Float32Array(slots * SLOT_CELLS);
  counts.set(state.counts);
  const allTime = new Float64Array(slots);
  allTime.set(state.allTime);
  const days = daysOf(state);
  const dayCells = new Float32Array(slots * DAY_CELLS);
  dayCells.set(days.cells);
  state.counts = counts;
  state.allTime = allTime;
  state.days = { cells: dayCells, held: days.held };
}

/** Ends a conversion: past `maxTrackedPages` pages, the most viewed of all time are kept. */
export function finishFromV1(state: PopularityState): void {
  if (state.pageIds.length > POPULARITY_SETTINGS.maxTrackedPages) keepMostViewed(state);
}
