/**
 * A small hash of each tracked page's beacon hint (address and title), kept with the counts so the cron reads the
 * hints themselves (`v1:popmeta`, 1.1 MB of JSON at 5,000 pages) only on a run that needs them: when a beacon
 * brings a page not seen before or another address or title, or a page due to be read was never read or has
 * changed (worker/README.md "CPU time").
 */
import type { PageMeta } from '@sala/protocol';
import { slotsOf } from './popularity.js';
import type { ViewBatch } from './view-buffer.js';

const encoder = new TextEncoder();
/** Room for the longest hint: an address of `LIMITS.website` characters and a title of 200, 3 bytes each at most. */
const scratch = new Uint8Array(8192);
const words = new Uint32Array(scratch.buffer);

/**
 * A 32-bit hash (MurmurHash3's mixing, over the UTF-8 bytes 4 at a time) of the address and title; never 0, which
 * stands for "no hint". Words, not characters: a run hashes every page its batches name, and a first run in a
 * fresh isolate pays each loop turn in the interpreter.
 */
export function hintHash(hint: Pick<PageMeta, 'url' | 'title'>): number {
  const text = `${hint.url}\n${hint.title}`;
  const bytes = text.length * 3 <= scratch.length ? scratch : new Uint8Array(Math.ceil((text.length * 3) / 4) * 4);
  const { written } = encoder.encodeInto(text, bytes);
  const count = Math.ceil(written / 4);
  bytes.fill(0, written, count * 4);
  const view = bytes === scratch ? words : new Uint32Array(bytes.buffer);
  let hash = written;
  for (let i = 0; i < count; i++) {
    let word = Math.imul(view[i]!, 0xcc9e2d51);
    word = Math.imul((word << 15) | (word >>> 17), 0x1b873593);
    hash ^= word;
    hash = (Math.imul((hash << 13) | (hash >>> 19), 5) + 0xe6546b64) | 0;
  }
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
