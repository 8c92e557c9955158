/**
 * The popularity state and the ranking document, written only by the cron. The state is three KV values per site:
 * the counts and the ring of past days, binary column stores read as ArrayBuffers (no JSON to parse:
 * worker/README.md "CPU time"), the counts written by every fold and the days only when a day ends; and the pages'
 * beacon metadata as JSON, written only when a page appears or its metadata changes.
 */
import {
  DAY_CELLS,
  HOUR_CELLS,
  SLOT_CELLS,
  daySumsOf,
  daySumsServe,
  emptyDayRing,
  type DaySums,
  emptyPopularityState,
  fromV1,
  type DayRing,
  type PopularityState,
  type PopularityStateV1,
  type StoredPageMeta,
  slotsOf,
} from '../domain/popularity.js';
import type { RankingDocument } from '../domain/ranking.js';
import { DAY_MS, HOUR_MS } from '../domain/utc-time.js';
import { hintHashes } from '../domain/page-hints.js';
import { PAGE_HASH_BYTES } from '../domain/page-hashes.js';
import { addReports, isUsageReport, type UsageReport } from '../domain/usage.js';
import {
  fillPageHashes,
  popularityConversionKey,
  popularityCountsKey,
  popularityDaySumsKey,
  popularityDaysKey,
  popularityKey,
  popularityMetaKey,
  rankingKey,
} from './keys.js';
import { isolateState } from '../domain/isolate-state.js';
import {
  hintIndexOfCounts,
  hintIndexOfMeta,
  hintIndexOfText,
  plainIds,
  writeHintsText,
  type CountedPages,
  type PageHintIndex,
} from './hint-index.js';

/**
 * Format of the counts value: its first Uint32. Format 6 holds each slot's page hash (domain/page-hashes.ts), format 7
 * the same with the day ring (written by a fold that drops pages, `encodeCountsWithDays`). Formats 4 and 5 are those
 * two without page hashes; formats 2 to 4 held the day ring too, every day in every fold's write: format 4 as 54
 * Float32 per slot (24 hours, 30 days), formats 2 and 3 as 55 Float64 (the all-time total last; format 2 without
 * hint hashes). Still read, and written as format 6 (and the day ring) by the next fold; a conversion's progress is
 * written as format 4.
 */
const COUNTS_FORMAT = 6;
const COUNTS_FORMAT_WITH_DAYS = 7;
const COUNTS_FORMAT_WITHOUT_PAGE_HASHES = 5;
const COUNTS_FORMAT_WITH_DAYS_WITHOUT_PAGE_HASHES = 4;
const COUNTS_FORMAT_FLOAT64 = 3;
const COUNTS_FORMAT_WITHOUT_HINTS = 2;
/**
 * Ring cells per slot in formats 2 to 4 and 7: the hour ring, then the day ring (the current day's cell among them).
 * A fold that drops pages still writes them with the counts (`encodeCountsWithDays`).
 */
const CELLS_WITH_DAYS = HOUR_CELLS + DAY_CELLS;
/** Float64 cells per slot in formats 2 and 3: the rings, then the all-time total. */
const FLOAT64_SLOT_CELLS = CELLS_WITH_DAYS + 1;
/** Format of the day ring's value; its header: format and slots (Uint32), then the day each cell holds (Int32). */
const DAYS_FORMAT = 1;
const DAYS_HEADER_BYTES = 8 + DAY_CELLS * 4;
/** Format of the day sums' value; its header: format, slots, day (Uint32), then 4 bytes to align the Float64s. */
const DAY_SUMS_FORMAT = 1;
const DAY_SUMS_HEADER_BYTES = 16;
/** Uint32 header: format, slots, `finalizedThrough` as hours since the epoch + 1 (0: none), bytes of page ids. */
const HEADER_BYTES = 16;

interface StoredMeta {
  version: 2;
  /** How many pages `meta` holds (`writeHintsText`; absent in a value written before 2026-12-07). */
  pages?: number;
  meta: Record<string, StoredPageMeta>;
}

/**
 * The counts as one value: header, then each slot's all-time total (Float64), then `SLOT_CELLS` Float32 per slot
 * (the hour ring and the current day), then a Uint32 per slot, the hash of its beacon hint (domain/page-hints.ts),
 * then 16 bytes per slot, its page hash (domain/page-hashes.ts; zero when not known yet), then the slots' page ids as
 * a UTF-8 JSON array. Page ids travel with the counts so one put replaces both: a slot can never be read with another
 * page's id, hint or page hash. Read as views over the value, not copied.
 */
/** The page ids as read, by the array decoded from them: a run that adds no page writes them back unencoded. */
const storedIds = new WeakMap<readonly string[], Uint8Array>();

export function encodeCounts(
  state: PopularityState,
  hints: Uint32Array = hintHashes(state.pageIds, state.meta),
  pageHashes: Uint8Array | null = null,
): ArrayBuffer {
  const stored = storedIds.get(state.pageIds);
  const ids = stored ?? new TextEncoder().encode(JSON.stringify(state.pageIds));
  const slots = state.pageIds.length;
  const ringsAt = HEADER_BYTES + slots * 8;
  const countBytes = slots * 8 + slots * SLOT_CELLS * 4;
  const pageHashesAt = HEADER_BYTES + countBytes + slots * 4;
  const bytes = pageHashesAt + slots * PAGE_HASH_BYTES + ids.byteLength;
  // Counts folded in place (`aggregate`'s `ownsCounts`) into the format 6 value they were read from, same pages: that
  // value is written back with its header and hashes updated, not copied (0.8 MB at 5,000 pages).
  const inPlace =
    stored !== undefined &&
    state.allTime.buffer === stored.buffer &&
    state.allTime.byteOffset === HEADER_BYTES &&
    state.counts.buffer === stored.buffer &&
    state.counts.byteOffset === ringsAt &&
    stored.buffer.byteLength === bytes;
  const buffer = inPlace ? (stored.buffer as ArrayBuffer) : new ArrayBuffer(bytes);
  const final = state.finalizedThrough === null ? 0 : Date.parse(state.finalizedThrough) / HOUR_MS + 1;
  new Uint32Array(buffer, 0, 4).set([COUNTS_FORMAT, slots, final, ids.byteLength]);
  if (!inPlace) {
    new Float64Array(buffer, HEADER_BYTES, slots).set(state.allTime.subarray(0, slots));
    new Float32Array(buffer, ringsAt, slots * SLOT_CELLS).set(state.counts.subarray(0, slots * SLOT_CELLS));
    new Uint8Array(buffer, pageHashesAt + slots * PAGE_HASH_BYTES).set(ids);
  }
  new Uint32Array(buffer, HEADER_BYTES + countBytes, slots).set(hints.subarray(0, slots));
  setColumn(buffer, pageHashesAt, slots, pageHashes);
  return buffer;
}

/** Writes `pageHashes` (or none known) into `buffer` at `at`, unless they are the view of it there already. */
function setColumn(buffer: ArrayBuffer, at: number, slots: number, pageHashes: Uint8Array | null): void {
  if (pageHashes !== null && pageHashes.buffer === buffer && pageHashes.byteOffset === at) return;
  const column = new Uint8Array(buffer, at, slots * PAGE_HASH_BYTES);
  if (pageHashes === null) column.fill(0);
  else column.set(pageHashes.subarray(0, slots * PAGE_HASH_BYTES));
}

export interface DecodedCounts extends Pick<
  PopularityState,
  'finalizedThrough' | 'pageIds' | 'counts' | 'allTime' | 'days'
> {
  /** Each slot's hint hash; null in a value of format 2, which had none (the hints must be read). */
  hints: Uint32Array | null;
  /**
   * Each slot's page hash, 16 bytes (domain/page-hashes.ts; zero: not known yet); null in a value of format 2 to 5,
   * which had none (hash the page ids then).
   */
  pageHashes: Uint8Array | null;
}

/**
 * The counts part of a state from `encodeCounts`' value; null when the value is not one (then start afresh). Its
 * `days` are null (a value of their own, `decodeDays`), but from a value of format 2 to 4 or 7, which held them.
 */
export function decodeCounts(buffer: ArrayBuffer): DecodedCounts | null {
  if (buffer.byteLength < HEADER_BYTES) return null;
  const [format, slots, final, idBytes] = new Uint32Array(buffer, 0, 4) as unknown as [number, number, number, number];
  const cellBytes = {
    [COUNTS_FORMAT]: slots * 8 + slots * SLOT_CELLS * 4,
    [COUNTS_FORMAT_WITHOUT_PAGE_HASHES]: slots * 8 + slots * SLOT_CELLS * 4,
    [COUNTS_FORMAT_WITH_DAYS]: slots * 8 + slots * CELLS_WITH_DAYS * 4,
    [COUNTS_FORMAT_WITH_DAYS_WITHOUT_PAGE_HASHES]: slots * 8 + slots * CELLS_WITH_DAYS * 4,
    [COUNTS_FORMAT_FLOAT64]: slots * FLOAT64_SLOT_CELLS * 8,
    [COUNTS_FORMAT_WITHOUT_HINTS]: slots * FLOAT64_SLOT_CELLS * 8,
  }[format];
  if (cellBytes === undefined) return null;
  const hintBytes = format === COUNTS_FORMAT_WITHOUT_HINTS ? 0 : slots * 4;
  const withPageHashes = format === COUNTS_FORMAT || format === COUNTS_FORMAT_WITH_DAYS;
  const pageHashBytes = withPageHashes ? slots * PAGE_HASH_BYTES : 0;
  if (buffer.byteLength !== HEADER_BYTES + cellBytes + hintBytes + pageHashBytes + idBytes) return null;
  const idsAt = HEADER_BYTES + cellBytes + hintBytes + pageHashBytes;
  const ids = new Uint8Array(buffer, idsAt);
  const pageIds = decodeIds(ids);
  if (!Array.isArray(pageIds) || pageIds.length !== slots) return null;
  storedIds.set(pageIds as string[], ids);
  const finalizedThrough = final === 0 ? null : new Date((final - 1) * HOUR_MS).toISOString();
  const columns =
    format === COUNTS_FORMAT || format === COUNTS_FORMAT_WITHOUT_PAGE_HASHES
      ? {
          allTime: new Float64Array(buffer, HEADER_BYTES, slots),
          counts: new Float32Array(buffer, HEADER_BYTES + slots * 8, slots * SLOT_CELLS),
          days: null,
        }
      : format === COUNTS_FORMAT_WITH_DAYS || format === COUNTS_FORMAT_WITH_DAYS_WITHOUT_PAGE_HASHES
        ? splitRings(
            new Float32Array(buffer, HEADER_BYTES + slots * 8, slots * CELLS_WITH_DAYS),
            CELLS_WITH_DAYS,
            new Float64Array(buffer, HEADER_BYTES, slots),
            final,
          )
        : splitRings(
            new Float64Array(buffer, HEADER_BYTES, slots * FLOAT64_SLOT_CELLS),
            FLOAT64_SLOT_CELLS,
            null,
            final,
          );
  return {
    finalizedThrough,
    pageIds: pageIds as string[],
    ...columns,
    // By format, not by size: a site with no pages yet stores zero hashes, which are known, not missing.
    hints: format === COUNTS_FORMAT_WITHOUT_HINTS ? null : new Uint32Array(buffer, HEADER_BYTES + cellBytes, slots),
    pageHashes: withPageHashes ? new Uint8Array(buffer, HEADER_BYTES + cellBytes + hintBytes, pageHashBytes) : null,
  };
}

/**
 * The columns of a value of format 2 to 4 or 7 (`perSlot` cells a slot, the hour ring then the day ring, the all-time total
 * last unless `allTime` is given): the hour ring and the day of `final` (hours since the epoch + 1; 0: none) as the
 * counts, the other days as the day ring, rounded to Float32.
 */
function splitRings(
  cells: Float32Array | Float64Array,
  perSlot: number,
  allTime: Float64Array | null,
  final: number,
): Pick<PopularityState, 'counts' | 'allTime' | 'days'> {
  const slots = cells.length / perSlot;
  const counts = new Float32Array(slots * SLOT_CELLS);
  const days = emptyDayRing();
  days.cells = new Float32Array(slots * DAY_CELLS);
  const finalDay = final === 0 ? null : Math.floor(((final - 1) * HOUR_MS) / DAY_MS);
  if (finalDay !== null)
    for (let day = finalDay - DAY_CELLS + 1; day < finalDay; day++) days.held[day % DAY_CELLS] = day;
  const today = finalDay === null ? -1 : finalDay % DAY_CELLS;
  for (let slot = 0; slot < slots; slot++) {
    const base = slot * perSlot;
    counts.set(cells.subarray(base, base + HOUR_CELLS), slot * SLOT_CELLS);
    if (today !== -1) counts[slot * SLOT_CELLS + HOUR_CELLS] = cells[base + HOUR_CELLS + today]!;
    days.cells.set(cells.subarray(base + HOUR_CELLS, base + CELLS_WITH_DAYS), slot * DAY_CELLS);
    if (today !== -1) days.cells[slot * DAY_CELLS + today] = 0;
  }
  return {
    counts,
    allTime: allTime ?? Float64Array.from({ length: slots }, (_, slot) => cells[slot * perSlot + CELLS_WITH_DAYS]!),
    days,
  };
}

/**
 * The counts with the day ring in one value (format 7; 54 Float32 per slot: the hour ring, then day `d` in cell
 * `24 + d % 30` for the 30 days ending with `finalizedThrough`'s), with the page hashes, or as format 4 without them
 * (`pageHashes` null: a conversion's progress): what a run that dropped pages writes, as their slots moved in both.
 * One put: the counts and the days can never be read in two slot orders. The next fold writes them apart again
 * (`daysUnwritten`).
 */
export function encodeCountsWithDays(
  state: PopularityState,
  hints: Uint32Array,
  pageHashes: Uint8Array | null,
): ArrayBuffer {
  const slots = state.pageIds.length;
  const ids = storedIds.get(state.pageIds) ?? new TextEncoder().encode(JSON.stringify(state.pageIds));
  const ringsAt = HEADER_BYTES + slots * 8;
  const hintsAt = ringsAt + slots * CELLS_WITH_DAYS * 4;
  const pageHashBytes = pageHashes === null ? 0 : slots * PAGE_HASH_BYTES;
  const buffer = new ArrayBuffer(hintsAt + slots * 4 + pageHashBytes + ids.byteLength);
  const final = state.finalizedThrough === null ? 0 : Date.parse(state.finalizedThrough) / HOUR_MS + 1;
  const format = pageHashes === null ? COUNTS_FORMAT_WITH_DAYS_WITHOUT_PAGE_HASHES : COUNTS_FORMAT_WITH_DAYS;
  new Uint32Array(buffer, 0, 4).set([format, slots, final, ids.byteLength]);
  new Float64Array(buffer, HEADER_BYTES, slots).set(state.allTime.subarray(0, slots));
  const rings = new Float32Array(buffer, ringsAt, slots * CELLS_WITH_DAYS);
  const days = state.days;
  if (days === null) throw new Error('the day ring was not read');
  const finalDay = final === 0 ? null : Math.floor(((final - 1) * HOUR_MS) / DAY_MS);
  const daySlots = days.cells.length / DAY_CELLS;
  for (let slot = 0; slot < slots; slot++) {
    const base = slot * CELLS_WITH_DAYS;
    rings.set(state.counts.subarray(slot * SLOT_CELLS, slot * SLOT_CELLS + HOUR_CELLS), base);
    if (finalDay === null) continue;
    rings[base + HOUR_CELLS + (finalDay % DAY_CELLS)] = state.counts[slot * SLOT_CELLS + HOUR_CELLS]!;
    for (let day = finalDay - DAY_CELLS + 1; day < finalDay && slot < daySlots; day++) {
      const cell = day % DAY_CELLS;
      if (days.held[cell] === day) rings[base + HOUR_CELLS + cell] = days.cells[slot * DAY_CELLS + cell]!;
    }
  }
  new Uint32Array(buffer, hintsAt, slots).set(hints.subarray(0, slots));
  if (pageHashes !== null) setColumn(buffer, hintsAt + slots * 4, slots, pageHashes);
  new Uint8Array(buffer, hintsAt + slots * 4 + pageHashBytes).set(ids);
  return buffer;
}

/**
 * The page ids last decoded, by the bytes they came from (a copy), one entry per byte length: a warm cron isolate
 * reads each site's counts every popularity run, their ids the same bytes until a page is added, and the array read
 * last comes back with its slot map (`slotsOf`, cached by array) instead of a UTF-8 decode, a JSON parse and a map
 * of 5,000 ids (about 2 ms of a warm 5,000-page run: worker/README.md "CPU time"). A state's `pageIds` is never
 * changed in place, so the array can be shared between runs.
 */
const decodedIds = isolateState(new Map<number, { bytes: Uint8Array; pageIds: unknown }>());
/** Sites whose ids stay decoded in an isolate. */
const DECODED_IDS_KEPT = 16;

function decodeIds(ids: Uint8Array): unknown {
  const kept = decodedIds.get(ids.byteLength);
  if (kept !== undefined && sameBytes(kept.bytes, ids)) return kept.pageIds;
  const pageIds = JSON.parse(new TextDecoder().decode(ids)) as unknown;
  if (decodedIds.size >= DECODED_IDS_KEPT) decodedIds.delete(decodedIds.keys().next().value!);
  decodedIds.set(ids.byteLength, { bytes: ids.slice(), pageIds });
  return pageIds;
}

/** True when `a` and `b` hold the same bytes: compared four at a time where both are aligned to it. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  const aligned = a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0 ? a.byteLength - (a.byteLength % 4) : 0;
  const wordsA = new Uint32Array(a.buffer, a.byteOffset, aligned / 4);
  const wordsB = new Uint32Array(b.buffer, b.byteOffset, aligned / 4);
  for (let i = 0; i < wordsA.length; i++) if (wordsA[i] !== wordsB[i]) return false;
  for (let i = aligned; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The day ring as one value: format and slots, the day each cell holds, then `DAY_CELLS` Float32 per slot. */
export function encodeDays(days: DayRing): ArrayBuffer {
  const slots = days.cells.length / DAY_CELLS;
  // A ring read and changed in place (a day copied in, nothing grown) is written back as the value it was read from.
  const inPlace =
    days.cells.buffer === days.held.buffer &&
    days.held.byteOffset === 8 &&
    days.cells.byteOffset === DAYS_HEADER_BYTES &&
    days.cells.buffer.byteLength === DAYS_HEADER_BYTES + days.cells.byteLength;
  const buffer = inPlace
    ? (days.cells.buffer as ArrayBuffer)
    : new ArrayBuffer(DAYS_HEADER_BYTES + slots * DAY_CELLS * 4);
  new Uint32Array(buffer, 0, 2).set([DAYS_FORMAT, slots]);
  if (!inPlace) {
    new Int32Array(buffer, 8, DAY_CELLS).set(days.held);
    new Float32Array(buffer, DAYS_HEADER_BYTES).set(days.cells);
  }
  return buffer;
}

/** The day sums as one value: header, then a Float64 per slot for 7 days, then one per slot for 30. */
export function encodeDaySums(sums: DaySums): ArrayBuffer {
  const slots = sums.week.length;
  const buffer = new ArrayBuffer(DAY_SUMS_HEADER_BYTES + slots * 16);
  new Uint32Array(buffer, 0, 3).set([DAY_SUMS_FORMAT, slots, sums.day]);
  new Float64Array(buffer, DAY_SUMS_HEADER_BYTES, slots).set(sums.week);
  new Float64Array(buffer, DAY_SUMS_HEADER_BYTES + slots * 8, slots).set(sums.month);
  return buffer;
}

/** The day sums from `encodeDaySums`' value, as views over it; null when the value is not one. */
export function decodeDaySums(buffer: ArrayBuffer): DaySums | null {
  if (buffer.byteLength < DAY_SUMS_HEADER_BYTES) return null;
  const [format, slots, day] = new Uint32Array(buffer, 0, 3) as unknown as [number, number, number];
  if (format !== DAY_SUMS_FORMAT || buffer.byteLength !== DAY_SUMS_HEADER_BYTES + slots * 16) return null;
  return {
    day,
    week: new Float64Array(buffer, DAY_SUMS_HEADER_BYTES, slots),
    month: new Float64Array(buffer, DAY_SUMS_HEADER_BYTES + slots * 8, slots),
  };
}

/** The day ring from `encodeDays`' value, as views over it; null when the value is not one. */
export function decodeDays(buffer: ArrayBuffer): DayRing | null {
  if (buffer.byteLength < DAYS_HEADER_BYTES) return null;
  const [format, slots] = new Uint32Array(buffer, 0, 2) as unknown as [number, number];
  if (format !== DAYS_FORMAT || buffer.byteLength !== DAYS_HEADER_BYTES + slots * DAY_CELLS * 4) return null;
  return {
    held: new Int32Array(buffer, 8, DAY_CELLS),
    cells: new Float32Array(buffer, DAYS_HEADER_BYTES, slots * DAY_CELLS),
  };
}

/**
 * The pages' hints (`v1:popmeta`, 1.1 MB of JSON at 5,000 pages) as an isolate last read them for the Posts tab, by
 * site, with the page ids (the array `decodeIds` keeps while their bytes are the same) and the hint hashes of the
 * counts read with them. A fold writes the hints before counts that hash them, so counts with the same ids and hashes
 * name the same addresses and titles: the hints are not read again. Counts of format 2 (no hashes) always read them.
 * Kept as read (`PageHintIndex`: the text, its page ids found, a hint parsed when a row is served).
 */
const keptHintsBySite = isolateState(
  new Map<string, { pageIds: readonly string[]; hashes: Uint32Array; hints: PageHintIndex }>(),
);
/** Sites whose hints stay kept in an isolate: an owner looks at one or two. */
const KEPT_HINT_SITES = 4;

function keptHints(site: string, pageIds: readonly string[], hashes: Uint32Array | null): PageHintIndex | null {
  const kept = keptHintsBySite.get(site);
  if (kept === undefined || hashes === null || kept.pageIds !== pageIds) return null;
  return kept.hashes.length === hashes.length && kept.hashes.every((hash, slot) => hash === hashes[slot])
    ? kept.hints
    : null;
}

function keepHints(site: string, pageIds: readonly string[], hashes: Uint32Array | null, hints: PageHintIndex): void {
  keptHintsBySite.delete(site);
  if (hashes === null) return;
  if (keptHintsBySite.size >= KEPT_HINT_SITES) keptHintsBySite.delete(keptHintsBySite.keys().next().value!);
  keptHintsBySite.set(site, { pageIds, hashes: hashes.slice(), hints });
}

/** Where a version 1 conversion goes on: a section (`V1_COUNT_SECTIONS`, then the hints) and an entry of it. */
export interface V1Progress {
  section: number;
  entry: number;
  /** Characters of the document converted: progress made from another one is not used. */
  chars: number;
}

/** A version 1 conversion so far: the state of the parts converted, and where the next part starts. */
export type V1Conversion = V1Progress & { state: PopularityState };

/**
 * The version 1 documents this isolate read to convert, by site, with the usage report they carried. Nothing writes
 * one since version 1 (the conversion deletes it, after writing the counts), so while a conversion's progress names
 * its length, a warm cron isolate converts the next part from this copy: reading the 1.3 MB text again was most of a
 * part's CPU time (worker/README.md "Version 1").
 */
const keptV1 = isolateState(new Map<string, { text: string; usage: UsageReport | null }>());
/** Sites whose version 1 document stays kept in an isolate while converted. */
const KEPT_V1_SITES = 2;

function keepV1(site: string, text: string, usage: UsageReport | null): void {
  keptV1.delete(site);
  if (keptV1.size >= KEPT_V1_SITES) keptV1.delete(keptV1.keys().next().value!);
  keptV1.set(site, { text, usage });
}

/** A version 1 document, told from junk by its start (`JSON.stringify` writes `version` first) without a parse. */
function isV1(text: string): boolean {
  return /^\s*\{\s*"version"\s*:\s*1\s*[,}]/.test(text);
}

export interface ReadState {
  /** The state; its `meta` is empty until read when `metaRead` is false. */
  state: PopularityState;
  /** False when only the counts were read (`readCountsAndUsage`): `state.meta` is empty, not read. */
  metaRead: boolean;
  /** Each slot's hint hash as stored; null when unknown (no counts, or a format 2 value): read the hints then. */
  hints: Uint32Array | null;
  /** Each slot's page hash as stored (`DecodedCounts`); null when none are (no counts, or a value before format 6). */
  pageHashes: Uint8Array | null;
  /** The cron's usage report the counts carry: its own KV operations today, added up run by run. */
  cronUsage: UsageReport | null;
  /**
   * The text of the version 1 document when no counts are written yet (the state is then empty): the cron converts a
   * part of it per run (storage/popularity-job.ts `convertV1Part`) and does nothing else until it is converted.
   */
  v1: string | null;
  /** The conversion's progress, when it was read with `v1` (this isolate had the document); null: not read. */
  v1Progress: V1Conversion | null;
  /**
   * The counts were read in a format that held the days too (2 to 4): `state.days` came with them, and the next
   * write of the counts writes the day ring first.
   */
  daysUnwritten: boolean;
}

export class PopularityStore {
  constructor(private readonly kv: KVNamespace) {}

  async readState(site: string): Promise<PopularityState> {
    return (await this.readStateAndUsage(site)).state;
  }

  /**
   * The state, and the cron's usage report it carries (the cron writes no view batch to report them with). Three
   * reads; a fourth, of the version 1 document, only while no counts have been written.
   */
  async readStateAndUsage(site: string): Promise<ReadState> {
    const [read, meta, days] = await Promise.all([this.readWhole(site), this.readMeta(site), this.readDays(site)]);
    const state = { ...read.state, days: read.state.days ?? days };
    return { ...read, state: read.metaRead ? state : { ...state, meta }, metaRead: true };
  }

  /**
   * The counts and the cron's usage report, without the pages' hints (`readMeta`) or the day ring (`readDays`), which
   * a run reads when it needs them: one read, a second only while no counts have been written (the version 1
   * document, as text: not parsed, `v1`).
   */
  async readCountsAndUsage(site: string): Promise<ReadState> {
    const counts = await this.kv.getWithMetadata<{ usage?: unknown }>(popularityCountsKey(site), 'arrayBuffer');
    const cronUsage = isUsageReport(counts.metadata?.usage) ? counts.metadata.usage : null;
    const decoded = counts.value === null ? null : decodeCounts(counts.value);
    if (decoded !== null) {
      const { hints, pageHashes, ...columns } = decoded;
      const state: PopularityState = { ...emptyPopularityState(), ...columns };
      const daysUnwritten = columns.days !== null;
      return { state, metaRead: false, hints, pageHashes, cronUsage, v1: null, v1Progress: null, daysUnwritten };
    }
    const none = {
      state: emptyPopularityState(),
      metaRead: false,
      hints: null,
      pageHashes: null,
      daysUnwritten: false,
    };
    // A conversion under way with the document this isolate read: not read again (`keptV1`).
    const kept = keptV1.get(site);
    const progress = kept === undefined ? null : await this.readConversion(site, kept.text.length);
    if (kept !== undefined && progress !== null) {
      return { ...none, cronUsage: cronUsage ?? kept.usage, v1: kept.text, v1Progress: progress };
    }
    const old = await this.kv.getWithMetadata<{ usage?: unknown }>(popularityKey(site));
    const oldUsage = isUsageReport(old.metadata?.usage) ? old.metadata.usage : null;
    const v1 = old.value !== null && isV1(old.value) ? old.value : null;
    if (v1 !== null) keepV1(site, v1, oldUsage);
    return { ...none, cronUsage: cronUsage ?? oldUsage, v1, v1Progress: null };
  }

  /**
   * The state as a reader needs it whole, a version 1 document not yet converted included (parsed at once: the admin
   * page's Posts tab and tests, never the cron).
   */
  async readWhole(site: string): Promise<ReadState> {
    const read = await this.readCountsAndUsage(site);
    if (read.v1 === null) return read;
    const state = fromV1(JSON.parse(read.v1) as PopularityStateV1);
    return { ...read, state, metaRead: true, daysUnwritten: true };
  }

  /**
   * A version 1 conversion's progress for the document of `chars` characters: the state of the parts converted (its
   * counts, all-time and day ring; no hints yet), and the section and entry the next part starts at; null before the
   * first part, or when it was made from another document.
   */
  async readConversion(site: string, chars: number): Promise<V1Conversion | null> {
    const stored = await this.kv.getWithMetadata<V1Progress>(popularityConversionKey(site), 'arrayBuffer');
    const decoded = stored.value === null ? null : decodeCounts(stored.value);
    if (decoded === null || stored.metadata?.chars !== chars) return null;
    const { section, entry } = stored.metadata;
    const { hints: _hints, pageHashes: _pageHashes, ...columns } = decoded;
    // Conversion adds pages to this array: a copy, never the one `decodeIds` keeps.
    const state = { ...emptyPopularityState(), ...columns, pageIds: [...decoded.pageIds] };
    return { state, section, entry, chars };
  }

  /** Writes a conversion's progress: the counts so far (with the days, one value) and where the next part starts. */
  async writeConversion(site: string, state: PopularityState, progress: V1Progress): Promise<void> {
    const value = encodeCountsWithDays(state, new Uint32Array(state.pageIds.length), null);
    await this.kv.put(popularityConversionKey(site), value, { metadata: progress });
  }

  async deleteConversion(site: string): Promise<void> {
    await this.kv.delete(popularityConversionKey(site));
  }

  /**
   * The finalized counts and the pages' hints, for windows ending at `now` (the admin page's Posts tab): the counts,
   * then the day sums, and the day ring (0.6 MB at 5,000 pages, against 78 KB of sums) only when the sums do not serve
   * `now` (`daySumsServe`: from 00:00 to the day's first fold); the hints only when this isolate has not read them
   * for the same counts (`keptHints`), as text, parsed in part (`PageHintIndex`; `state.meta` is left empty). Two to
   * four reads. With them, each slot's page hash as the counts keep it (null before format 6).
   */
  async readForWindows(
    site: string,
    now: number,
  ): Promise<{ state: PopularityState; hints: PageHintIndex; pageHashes: Uint8Array | null }> {
    const read = await this.readWhole(site);
    const { pageIds } = read.state;
    const counted = { pageIds, plain: plainIds(storedIds.get(pageIds)), slots: () => slotsOf(pageIds) };
    const kept = read.metaRead ? hintIndexOfMeta(read.state.meta, counted) : keptHints(site, pageIds, read.hints);
    const [hints, daySums] = await Promise.all([
      kept ?? this.readHintIndex(site, counted, read.hints),
      this.readDaySums(site),
    ]);
    if (kept === null) keepHints(site, read.state.pageIds, read.hints, hints);
    const state: PopularityState = { ...read.state, daySums, meta: {} };
    if (state.days === null && !daySumsServe(state, daySums, now)) state.days = await this.readDays(site);
    return { state, hints, pageHashes: read.pageHashes };
  }

  /**
   * The pages' beacon hints as text, their fields parsed only when asked for (`PageHintIndex`): the rows the counts'
   * hint hashes say (`hintHashes`, `hintIndexOfCounts`) when the text agrees, else its page ids found in it and
   * matched to the counts' slots.
   */
  async readHintIndex(site: string, counted: CountedPages, hintHashes: Uint32Array | null): Promise<PageHintIndex> {
    const text = await this.kv.get(popularityMetaKey(site));
    return hintIndexOfCounts(text, counted, hintHashes) ?? hintIndexOfText(text, counted);
  }

  /** The ring of past days: empty before the first day ends. */
  async readDays(site: string): Promise<DayRing> {
    const stored = await this.kv.get(popularityDaysKey(site), 'arrayBuffer');
    return (stored === null ? null : decodeDays(stored)) ?? emptyDayRing();
  }

  /**
   * Writes the day ring, then its sums for the ranking runs: both before the counts that name their day (a run
   * failing between them copies the day again, and sums made for a day the counts do not end on are not used).
   * Two writes, or one before the first fold.
   */
  async writeDays(site: string, state: PopularityState): Promise<number> {
    if (state.days === null) throw new Error('the day ring was not read');
    await this.kv.put(popularityDaysKey(site), encodeDays(state.days));
    const sums = daySumsOf(state);
    if (sums === null) return 1;
    await this.kv.put(popularityDaySumsKey(site), encodeDaySums(sums));
    return 2;
  }

  /** The day ring's sums as last written (`writeDays`); null before then. */
  async readDaySums(site: string): Promise<DaySums | null> {
    const stored = await this.kv.get(popularityDaySumsKey(site), 'arrayBuffer');
    return stored === null ? null : decodeDaySums(stored);
  }

  /** The pages' beacon hints (address and title): {} before the first. */
  async readMeta(site: string): Promise<Record<string, StoredPageMeta>> {
    return (await this.kv.get<StoredMeta>(popularityMetaKey(site), 'json'))?.meta ?? {};
  }

  /**
   * Writes the counts with each slot's hint hash (`hints`; by default from `state.meta`, which must then have been
   * read) and page hash (`pageHashes`, 16 bytes a slot, zero where not known; by default every one, hashed here);
   * `cronUsage`, the cron's running total for today, rides in the key's metadata. `withDays`: the day ring in the
   * same value (`encodeCountsWithDays`), after pages were dropped.
   */
  async writeCounts(
    site: string,
    state: PopularityState,
    cronUsage: UsageReport | null = null,
    hints?: Uint32Array,
    withDays = false,
    pageHashes?: Uint8Array,
  ): Promise<void> {
    const options = cronUsage ? { metadata: { usage: cronUsage } } : {};
    let column = pageHashes;
    if (column === undefined) {
      column = new Uint8Array(state.pageIds.length * PAGE_HASH_BYTES);
      await fillPageHashes(state.pageIds, column);
    }
    const value = withDays
      ? encodeCountsWithDays(state, hints ?? hintHashes(state.pageIds, state.meta), column)
      : encodeCounts(state, hints, column);
    await this.kv.put(popularityCountsKey(site), value, options);
  }

  /** The hints, with how many pages they hold (`writeHintsText`: what the Posts tab checks the counts' rows with). */
  async writeMeta(site: string, state: PopularityState): Promise<void> {
    await this.kv.put(popularityMetaKey(site), writeHintsText(state.meta));
  }

  /** Every part: for a state made elsewhere (a conversion, a test). */
  async writeState(site: string, state: PopularityState, cronUsage: UsageReport | null = null): Promise<void> {
    await this.writeMeta(site, state);
    await this.writeDays(site, state);
    await this.writeCounts(site, state, cronUsage);
  }

  /** Deletes the version 1 document once its counts are written as the column stores. */
  async deleteV1(site: string): Promise<void> {
    await this.kv.delete(popularityKey(site));
    keptV1.delete(site);
  }

  /** The cron's usage report of `day` on `site`'s counts, from list() metadata (the counts are not read). */
  async cronUsage(site: string, day: string): Promise<UsageReport | null> {
    const key = popularityCountsKey(site);
    const listed = await this.kv.list<{ usage?: unknown }>({ prefix: key, limit: 10 });
    const usage = listed.keys.find((listedKey) => listedKey.name === key)?.metadata?.usage;
    return isUsageReport(usage) && usage.day === day ? usage : null;
  }

  /** `previous` (the report the state carried) with `delta` added when both are of `delta`'s day. */
  static runningTotal(previous: UsageReport | null, delta: UsageReport): UsageReport {
    return addReports(delta.day, previous ? [previous, delta] : [delta]);
  }

  /** The one read a popular-posts request makes; null before the cron's first run. */
  readRanking(site: string): Promise<RankingDocument | null> {
    return this.kv.get<RankingDocument>(rankingKey(site), 'json');
  }

  /** The ranking as stored (domain/ranking.ts `encodeRanking`): the cron compares it with the one it made, unparsed. */
  readStoredRanking(site: string): Promise<string | null> {
    return this.kv.get(rankingKey(site));
  }

  async writeRanking(site: string, stored: string): Promise<void> {
    await this.kv.put(rankingKey(site), stored);
  }
}
