/**
 * A small hash of each tracked page's beacon hint (address and title), kept with the counts so the cron reads the
 * hints themselves (`v1:popmeta`, 1.1 MB of JSON at 5,000 pages) only on a run that needs them: when a beacon
 * brings a page not seen before or another address or title, or a page due to be read has an address the cron has
 * not read yet (worker/README.md "CPU time").
 */
import type { PageMeta } from '@sala/protocol';
import type { PageCounts } from './popularity.js';
import type { ViewBatch } from './view-buffer.js';

/** FNV-1a (32 bits) of the address and title; never 0, which stands for "no hint". */
export function hintHash(hint: Pick<PageMeta, 'url' | 'title'>): number {
  let hash = 0x811c9dc5;
  const text = `${hint.url}\n${hint.title}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
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
export function moveHashes(
  from: readonly string[],
  hashes: Uint32Array,
  to: readonly string[],
  slotOf: (pageId: string) => number | undefined = slotMap(from),
): Uint32Array {
  const moved = new Uint32Array(to.length);
  to.forEach((pageId, slot) => {
    const old = slotOf(pageId);
    if (old !== undefined) moved[slot] = hashes[old]!;
  });
  return moved;
}

function slotMap(pageIds: readonly string[]): (pageId: string) => number | undefined {
  const slots = new Map(pageIds.map((pageId, slot) => [pageId, slot]));
  return (pageId) => slots.get(pageId);
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
  const newest = new Map<string, { flushedAt: string; hint: PageMeta }>();
  for (const batch of batches) {
    for (const [pageId, hint] of Object.entries(batch.meta)) {
      const known = newest.get(pageId);
      if (!known || known.flushedAt < batch.flushedAt) newest.set(pageId, { flushedAt: batch.flushedAt, hint });
    }
  }
  for (const [pageId, { hint }] of newest) if (hashOf(pageId) !== hintHash(hint)) return true;
  return false;
}

/** Batches without their hints: what `aggregate` is given on a run that found none changed and did not read them. */
export function withoutHints<T extends { meta: object; views: PageCounts }>(batches: readonly T[]): T[] {
  return batches.map((batch) => ({ ...batch, meta: {} }));
}
