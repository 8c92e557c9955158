/**
 * A small hash of each tracked page's beacon hint (address and title), kept with the counts so the cron reads the
 * hints themselves (`v1:popmeta`, 1.1 MB of JSON at 5,000 pages) only on a run that needs them: when a beacon
 * brings a page not seen before or another address or title, or a page due to be read was never read or has
 * changed (worker/README.md "CPU time").
 */
import type { PageMeta } from '@sala/protocol';
import { slotsOf } from './popularity.js';
import type { ViewBatch } from './view-buffer.js';

/**
 * A 32-bit hash (MurmurHash3's mixing, over the UTF-16 code units two a word) of the address and title; never 0,
 * which stands for "no hint". Code units, not UTF-8 bytes: a fold hashes every page its hour's beacons name (about
 * 900 at 5,000 pages), and encoding each hint first took a call per hint (into C++ in workerd), inlined by the
 * TurboFan compile that a fresh isolate's first fold paid in half the runs (worker/docs/cpu-cron.md).
 */
export function hintHash(hint: Pick<PageMeta, 'url' | 'title'>): number {
  const { url, title } = hint;
  // Seeded with the address's length: no other split of the same text into address and title starts alike.
  let hash = url.length;
  for (let part = 0; part < 2; part++) {
    const text = part === 0 ? url : title;
    const end = text.length;
    for (let i = 0; i < end; i += 2) {
      // An odd last code unit is padded with zero.
      const high = i + 1 < end ? text.charCodeAt(i + 1) : 0;
      let word = Math.imul(text.charCodeAt(i) | (high << 16), 0xcc9e2d51);
      word = Math.imul((word << 15) | (word >>> 17), 0x1b873593);
      hash ^= word;
      hash = (Math.imul((hash << 13) | (hash >>> 19), 5) + 0xe6546b64) | 0;
    }
  }
  hash ^= url.length + title.length;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0 || 1;
}

/** The hash of each slot's hint (0: none), from the hints themselves. */
export function hintHashes(pageIds: readonly string[], hints: Readonly<Record<string, PageMeta>>): Uint32Array {
  const hashes = new Uint32Array(pageIds.length);
  pageIds.forEach((pageId, slot) => {
    const hint = hints[pageId];
    if (hint) hashes[slot] = hintHash(hint);
  });
  return hashes;
}

/** `hashes` of the slots `from` moved to the slots `to` (a page given a slot since has none). */
export function moveHashes(from: readonly string[], hashes: Uint32Array, to: readonly string[]): Uint32Array {
  const slotOf = slotsOf(from);
  const moved = new Uint32Array(to.length);
  to.forEach((pageId, slot) => {
    const old = slotOf.get(pageId);
    if (old !== undefined) moved[slot] = hashes[old]!;
  });
  return moved;
}

/**
 * True when a beacon in `batches` gives a page a hint its slot's hash does not match (another address or title, or
 * a page without a slot): the hints must be read to keep the newest. Only the newest hint of each page counts, as
 * `aggregate` keeps only the newest.
 */
export function hintsChanged(
  batches: readonly Pick<ViewBatch, 'flushedAt' | 'meta'>[],
  hashOf: (pageId: string) => number | undefined,
): boolean {
  const newestFirst = [...batches].sort((a, b) => (a.flushedAt < b.flushedAt ? 1 : a.flushedAt > b.flushedAt ? -1 : 0));
  const seen = new Set<string>();
  for (const batch of newestFirst) {
    for (const pageId in batch.meta) {
      if (seen.has(pageId)) continue;
      seen.add(pageId);
      if (hashOf(pageId) !== hintHash(batch.meta[pageId]!)) return true;
    }
  }
  return false;
}

/**
 * True when a beacon in `batches` names a page whose slot has no hash (a page without a slot, or one no hint was
 * known for): what a ranking run checks, leaving a changed address or title to the fold (`hintsChanged`), as it
 * hashes nothing.
 */
export function hintsMissing(
  batches: readonly Pick<ViewBatch, 'meta'>[],
  hashOf: (pageId: string) => number | undefined,
): boolean {
  return batches.some((batch) => Object.keys(batch.meta).some((pageId) => !hashOf(pageId)));
}

/** Batches without their hints: what `aggregate` is given on a run that found none changed and did not read them. */
export function withoutHints<T extends { meta: object }>(batches: readonly T[]): T[] {
  return batches.map((batch) => ({ ...batch, meta: {} }));
}
