/**
 * The popularity state and the ranking document, written only by the cron. The state is two KV values per site:
 * the counts, a binary column store read as an ArrayBuffer (no JSON to parse: worker/README.md "CPU time"), and
 * the pages' beacon metadata as JSON, written only when a page appears or its metadata changes.
 */
import {
  RING_CELLS,
  emptyPopularityState,
  fromV1,
  type PopularityState,
  type PopularityStateV1,
  type StoredPageMeta,
} from '../domain/popularity.js';
import type { RankingDocument } from '../domain/ranking.js';
import { HOUR_MS } from '../domain/utc-time.js';
import { hintHashes } from '../domain/page-hints.js';
import { addReports, isUsageReport, type UsageReport } from '../domain/usage.js';
import { popularityCountsKey, popularityKey, popularityMetaKey, rankingKey } from './keys.js';

/**
 * Format of the counts value: its first Uint32. Formats 2 and 3 kept every cell as a Float64 (55 per slot, the
 * all-time total last; format 2 without hint hashes): still read, and written as format 4 by the next fold.
 */
const COUNTS_FORMAT = 4;
const COUNTS_FORMAT_FLOAT64 = 3;
const COUNTS_FORMAT_WITHOUT_HINTS = 2;
/** Float64 cells per slot in formats 2 and 3: the rings, then the all-time total. */
const FLOAT64_SLOT_CELLS = RING_CELLS + 1;
/** Uint32 header: format, slots, `finalizedThrough` as hours since the epoch + 1 (0: none), bytes of page ids. */
const HEADER_BYTES = 16;

interface StoredMeta {
  version: 2;
  meta: Record<string, StoredPageMeta>;
}

/**
 * The counts as one value: header, then each slot's all-time total (Float64), then `RING_CELLS` Float32 per slot
 * (the rings), then a Uint32 per slot, the hash of its beacon hint (domain/page-hints.ts), then the slots' page ids
 * as a UTF-8 JSON array. Page ids travel with the counts so one put replaces both: a slot can never be read with
 * another page's id or hint. Read as views over the value, not copied.
 */
/** The page ids as read, by the array decoded from them: a run that adds no page writes them back unencoded. */
const storedIds = new WeakMap<readonly string[], Uint8Array>();

export function encodeCounts(
  state: PopularityState,
  hints: Uint32Array = hintHashes(state.pageIds, state.meta),
): ArrayBuffer {
  const stored = storedIds.get(state.pageIds);
  const ids = stored ?? new TextEncoder().encode(JSON.stringify(state.pageIds));
  const slots = state.pageIds.length;
  const ringsAt = HEADER_BYTES + slots * 8;
  const countBytes = slots * 8 + slots * RING_CELLS * 4;
  const bytes = HEADER_BYTES + countBytes + slots * 4 + ids.byteLength;
  // Counts folded in place (`aggregate`'s `ownsCounts`) into the format 4 value they were read from, same pages: that
  // value is written back with its header and hashes updated, not copied (1.3 MB at 5,000 pages).
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
    new Float32Array(buffer, ringsAt, slots * RING_CELLS).set(state.counts.subarray(0, slots * RING_CELLS));
    new Uint8Array(buffer, HEADER_BYTES + countBytes + slots * 4).set(ids);
  }
  new Uint32Array(buffer, HEADER_BYTES + countBytes, slots).set(hints.subarray(0, slots));
  return buffer;
}

export interface DecodedCounts extends Pick<PopularityState, 'finalizedThrough' | 'pageIds' | 'counts' | 'allTime'> {
  /** Each slot's hint hash; null in a value of format 2, which had none (the hints must be read). */
  hints: Uint32Array | null;
}

/** The counts part of a state from `encodeCounts`' value; null when the value is not one (then start afresh). */
export function decodeCounts(buffer: ArrayBuffer): DecodedCounts | null {
  if (buffer.byteLength < HEADER_BYTES) return null;
  const [format, slots, final, idBytes] = new Uint32Array(buffer, 0, 4) as unknown as [number, number, number, number];
  if (format !== COUNTS_FORMAT && format !== COUNTS_FORMAT_FLOAT64 && format !== COUNTS_FORMAT_WITHOUT_HINTS)
    return null;
  const countBytes = format === COUNTS_FORMAT ? slots * 8 + slots * RING_CELLS * 4 : slots * FLOAT64_SLOT_CELLS * 8;
  const hintBytes = format === COUNTS_FORMAT_WITHOUT_HINTS ? 0 : slots * 4;
  if (buffer.byteLength !== HEADER_BYTES + countBytes + hintBytes + idBytes) return null;
  const idsAt = HEADER_BYTES + countBytes + hintBytes;
  const ids = new Uint8Array(buffer, idsAt);
  const pageIds = JSON.parse(new TextDecoder().decode(ids)) as unknown;
  if (!Array.isArray(pageIds) || pageIds.length !== slots) return null;
  storedIds.set(pageIds as string[], ids);
  return {
    finalizedThrough: final === 0 ? null : new Date((final - 1) * HOUR_MS).toISOString(),
    pageIds: pageIds as string[],
    ...(format === COUNTS_FORMAT
      ? {
          allTime: new Float64Array(buffer, HEADER_BYTES, slots),
          counts: new Float32Array(buffer, HEADER_BYTES + slots * 8, slots * RING_CELLS),
        }
      : fromFloat64Cells(new Float64Array(buffer, HEADER_BYTES, slots * FLOAT64_SLOT_CELLS), slots)),
    // By format, not by size: a site with no pages yet stores zero hashes, which are known, not missing.
    hints: format === COUNTS_FORMAT_WITHOUT_HINTS ? null : new Uint32Array(buffer, HEADER_BYTES + countBytes, slots),
  };
}

/** The columns of a format 2 or 3 value: the rings rounded to Float32, the all-time totals as they were. */
function fromFloat64Cells(cells: Float64Array, slots: number): Pick<PopularityState, 'counts' | 'allTime'> {
  const counts = new Float32Array(slots * RING_CELLS);
  const allTime = new Float64Array(slots);
  for (let slot = 0; slot < slots; slot++) {
    const base = slot * FLOAT64_SLOT_CELLS;
    counts.set(cells.subarray(base, base + RING_CELLS), slot * RING_CELLS);
    allTime[slot] = cells[base + RING_CELLS]!;
  }
  return { counts, allTime };
}

export interface ReadState {
  /** The state; its `meta` is empty until read when `metaRead` is false. */
  state: PopularityState;
  /** False when only the counts were read (`readCountsAndUsage`): `state.meta` is empty, not read. */
  metaRead: boolean;
  /** Each slot's hint hash as stored; null when unknown (no counts, or a format 2 value): read the hints then. */
  hints: Uint32Array | null;
  /** The cron's usage report the counts carry: its own KV operations today, added up run by run. */
  cronUsage: UsageReport | null;
  /** The state was converted from a version 1 document just now: the caller writes it and deletes that one. */
  convertedFromV1: boolean;
}

export class PopularityStore {
  constructor(private readonly kv: KVNamespace) {}

  async readState(site: string): Promise<PopularityState> {
    return (await this.readStateAndUsage(site)).state;
  }

  /**
   * The state, and the cron's usage report it carries (the cron writes no view batch to report them with). Two
   * reads; a third, of the version 1 document, only while no counts have been written.
   */
  async readStateAndUsage(site: string): Promise<ReadState> {
    const [read, meta] = await Promise.all([this.readCountsAndUsage(site), this.readMeta(site)]);
    return read.metaRead ? read : { ...read, state: { ...read.state, meta }, metaRead: true };
  }

  /**
   * The counts and the cron's usage report, without the pages' hints (`readMeta`, when a run needs them): one read,
   * a second only while no counts have been written (the version 1 document, whose hints come with it).
   */
  async readCountsAndUsage(site: string): Promise<ReadState> {
    const counts = await this.kv.getWithMetadata<{ usage?: unknown }>(popularityCountsKey(site), 'arrayBuffer');
    const cronUsage = isUsageReport(counts.metadata?.usage) ? counts.metadata.usage : null;
    const decoded = counts.value === null ? null : decodeCounts(counts.value);
    if (decoded !== null) {
      const { hints, ...columns } = decoded;
      const state: PopularityState = { ...emptyPopularityState(), ...columns };
      return { state, metaRead: false, hints, cronUsage, convertedFromV1: false };
    }
    const old = await this.kv.getWithMetadata<PopularityStateV1, { usage?: unknown }>(popularityKey(site), 'json');
    if (old.value === null || old.value.version !== 1) {
      return { state: emptyPopularityState(), metaRead: false, hints: null, cronUsage, convertedFromV1: false };
    }
    const oldUsage = isUsageReport(old.metadata?.usage) ? old.metadata.usage : null;
    const state = fromV1(old.value);
    return { state, metaRead: true, hints: null, cronUsage: cronUsage ?? oldUsage, convertedFromV1: true };
  }

  /** The pages' beacon hints (address and title): {} before the first. */
  async readMeta(site: string): Promise<Record<string, StoredPageMeta>> {
    return (await this.kv.get<StoredMeta>(popularityMetaKey(site), 'json'))?.meta ?? {};
  }

  /**
   * Writes the counts with each slot's hint hash (`hints`; by default from `state.meta`, which must then have been
   * read); `cronUsage`, the cron's running total for today, rides in the key's metadata.
   */
  async writeCounts(
    site: string,
    state: PopularityState,
    cronUsage: UsageReport | null = null,
    hints?: Uint32Array,
  ): Promise<void> {
    const options = cronUsage ? { metadata: { usage: cronUsage } } : {};
    await this.kv.put(popularityCountsKey(site), encodeCounts(state, hints), options);
  }

  async writeMeta(site: string, state: PopularityState): Promise<void> {
    await this.kv.put(popularityMetaKey(site), JSON.stringify({ version: 2, meta: state.meta } satisfies StoredMeta));
  }

  /** Both parts: for a state made elsewhere (a conversion, a test). */
  async writeState(site: string, state: PopularityState, cronUsage: UsageReport | null = null): Promise<void> {
    await this.writeMeta(site, state);
    await this.writeCounts(site, state, cronUsage);
  }

  /** Deletes the version 1 document once its counts are written as the column store. */
  async deleteV1(site: string): Promise<void> {
    await this.kv.delete(popularityKey(site));
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
