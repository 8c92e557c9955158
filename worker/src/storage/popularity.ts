/**
 * The popularity state and the ranking document, written only by the cron. The state is two KV values per site:
 * the counts, a binary column store read as an ArrayBuffer (no JSON to parse: worker/README.md "CPU time"), and
 * the pages' beacon metadata as JSON, written only when a page appears or its metadata changes.
 */
import {
  SLOT_CELLS,
  emptyPopularityState,
  fromV1,
  type PopularityState,
  type PopularityStateV1,
  type StoredPageMeta,
} from '../domain/popularity.js';
import type { RankingDocument } from '../domain/ranking.js';
import { HOUR_MS } from '../domain/utc-time.js';
import { addReports, isUsageReport, type UsageReport } from '../domain/usage.js';
import { popularityCountsKey, popularityKey, popularityMetaKey, rankingKey } from './keys.js';

/** Format of the counts value: its first Uint32. */
const COUNTS_FORMAT = 2;
/** Uint32 header: format, slots, `finalizedThrough` as hours since the epoch + 1 (0: none), bytes of page ids. */
const HEADER_BYTES = 16;

interface StoredMeta {
  version: 2;
  meta: Record<string, StoredPageMeta>;
}

/**
 * The counts as one value: header, then `SLOT_CELLS` Float64 per slot, then the slots' page ids as a UTF-8 JSON
 * array. Page ids travel with the counts so one put replaces both: a slot can never be read with another page's id.
 */
export function encodeCounts(state: PopularityState): ArrayBuffer {
  const ids = new TextEncoder().encode(JSON.stringify(state.pageIds));
  const countBytes = state.pageIds.length * SLOT_CELLS * 8;
  const buffer = new ArrayBuffer(HEADER_BYTES + countBytes + ids.byteLength);
  const final = state.finalizedThrough === null ? 0 : Date.parse(state.finalizedThrough) / HOUR_MS + 1;
  new Uint32Array(buffer, 0, 4).set([COUNTS_FORMAT, state.pageIds.length, final, ids.byteLength]);
  new Float64Array(buffer, HEADER_BYTES, state.pageIds.length * SLOT_CELLS).set(
    state.counts.subarray(0, state.pageIds.length * SLOT_CELLS),
  );
  new Uint8Array(buffer, HEADER_BYTES + countBytes).set(ids);
  return buffer;
}

/** The counts part of a state from `encodeCounts`' value; null when the value is not one (then start afresh). */
export function decodeCounts(
  buffer: ArrayBuffer,
): Pick<PopularityState, 'finalizedThrough' | 'pageIds' | 'counts'> | null {
  if (buffer.byteLength < HEADER_BYTES) return null;
  const [format, slots, final, idBytes] = new Uint32Array(buffer, 0, 4) as unknown as [number, number, number, number];
  const countBytes = slots * SLOT_CELLS * 8;
  if (format !== COUNTS_FORMAT || buffer.byteLength !== HEADER_BYTES + countBytes + idBytes) return null;
  const pageIds = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, HEADER_BYTES + countBytes))) as unknown;
  if (!Array.isArray(pageIds) || pageIds.length !== slots) return null;
  return {
    finalizedThrough: final === 0 ? null : new Date((final - 1) * HOUR_MS).toISOString(),
    pageIds: pageIds as string[],
    counts: new Float64Array(buffer, HEADER_BYTES, slots * SLOT_CELLS),
  };
}

export interface ReadState {
  state: PopularityState;
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
    const [counts, stored] = await Promise.all([
      this.kv.getWithMetadata<{ usage?: unknown }>(popularityCountsKey(site), 'arrayBuffer'),
      this.kv.get<StoredMeta>(popularityMetaKey(site), 'json'),
    ]);
    const cronUsage = isUsageReport(counts.metadata?.usage) ? counts.metadata.usage : null;
    const decoded = counts.value === null ? null : decodeCounts(counts.value);
    if (decoded !== null) {
      const state: PopularityState = { ...emptyPopularityState(), ...decoded, meta: stored?.meta ?? {} };
      return { state, cronUsage, convertedFromV1: false };
    }
    const old = await this.kv.getWithMetadata<PopularityStateV1, { usage?: unknown }>(popularityKey(site), 'json');
    if (old.value === null || old.value.version !== 1) {
      return { state: emptyPopularityState(), cronUsage, convertedFromV1: false };
    }
    const oldUsage = isUsageReport(old.metadata?.usage) ? old.metadata.usage : null;
    return { state: fromV1(old.value), cronUsage: cronUsage ?? oldUsage, convertedFromV1: true };
  }

  /** Writes the counts; `cronUsage`, the cron's running total for today, rides in the key's metadata. */
  async writeCounts(site: string, state: PopularityState, cronUsage: UsageReport | null = null): Promise<void> {
    const options = cronUsage ? { metadata: { usage: cronUsage } } : {};
    await this.kv.put(popularityCountsKey(site), encodeCounts(state), options);
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

  async writeRanking(site: string, document: RankingDocument): Promise<void> {
    await this.kv.put(rankingKey(site), JSON.stringify(document));
  }
}
