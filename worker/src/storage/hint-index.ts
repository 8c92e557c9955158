/**
 * The pages' hints (`v1:popmeta`) read for the admin Posts tab in part: the rows taken from the counts' hint hashes
 * when the text says it holds as many pages (`hintIndexOfCounts`, the text searched for the rows served alone), else
 * the page ids found in the stored text and matched to the counts' slots as they are found (`hintIndexOfText`); each
 * page's address and title parsed only for the rows served. `JSON.parse` of the whole value (1.1 MB at 5,000 pages)
 * and the map of 5,000 page ids to slots were 5 to 8 ms of a fresh isolate's first request, the scan of the text page
 * by page 3 to 5 more (worker/docs/cpu-routes.md, "The Posts tab's hints read in part" and "the Posts tab's rows from
 * the counts").
 */
import type { StoredPageMeta } from '../domain/popularity.js';

/** The hints' page ids, in their stored order, each one's slot in the counts, and the hint of one by its index. */
export interface PageHintIndex {
  readonly pageIds: readonly string[];
  /** Each page's slot in the counts the index was made with (-1: none). */
  readonly slotOf: Int32Array;
  /** Pages `[0, aligned)` are slots `[0, aligned)`, in order: their counts can be copied as they are. */
  readonly aligned: number;
  /** The hint of `pageIds[index]`. */
  hintAt(index: number): PageHint;
  /**
   * The hints of `pageIds` at `indexes`, in that order; null where one was not found (only an index made from the
   * counts, `hintIndexOfCounts`, can miss one: then use its `fallback`).
   */
  hintsAt(indexes: readonly number[]): (PageHint | null)[];
  /** The same hints found page by page in their text (`hintIndexOfText`); null when this index is that already. */
  readonly fallback: (() => PageHintIndex) | null;
}

export type PageHint = Pick<StoredPageMeta, 'url' | 'title'>;

/** The start of the value as `PopularityStore.writeMeta` wrote it before 2026-12-07 (`version` first). */
const HEAD = '{"version":2,"meta":{';
/**
 * The start of the value as `writeHintsText` writes it since: how many pages it holds, then the hints. The count
 * tells the Posts tab, against the counts' hint hashes, that the counts' slots with a hint are its rows.
 */
const COUNTED_HEAD = /^\{"version":2,"pages":(\d{1,9}),"meta":\{/;

/**
 * The hints as `PopularityStore.writeMeta` stores them: `JSON.stringify` of the document with the number of pages
 * before them (a value of `meta` alone, as readers parse it, reads the same).
 */
export function writeHintsText(meta: Readonly<Record<string, StoredPageMeta>>): string {
  return JSON.stringify({ version: 2, pages: Object.keys(meta).length, meta });
}
/**
 * What follows a page id as `pageHint` (domain/popularity.ts) orders a hint's fields: address first. Unescaped,
 * these quotes can stand nowhere inside a JSON string, so each occurrence ends a page id.
 */
const HINT_START = '":{"url":"';
/** The end of one hint and the start of the next page id: `pageHint`'s values hold no object of their own. */
const NEXT_ENTRY = '},"';
const BACKSLASH = 0x5c;

/** The counts' page ids, to match the hints' with: by slot, and each one's slot when not found in order. */
export interface CountedPages {
  pageIds: readonly string[];
  /** The page ids' stored JSON had no backslash: none of them holds a quote or needs an escape. */
  plain: boolean;
  slots: () => ReadonlyMap<string, number>;
}

/** `hintAt` of each index: for an index that finds every hint it lists. */
function everyHint(hintAt: (index: number) => PageHint): (indexes: readonly number[]) => PageHint[] {
  return (indexes) => indexes.map((index) => hintAt(index));
}

/** The hints of an object (a version 1 document parsed whole, or a value not laid out as `HEAD` says). */
export function hintIndexOfMeta(meta: Readonly<Record<string, StoredPageMeta>>, counted: CountedPages): PageHintIndex {
  const pageIds = Object.keys(meta);
  const slots = pageIds.length === 0 ? new Map<string, number>() : counted.slots();
  const slotOf = new Int32Array(pageIds.length);
  pageIds.forEach((pageId, index) => (slotOf[index] = slots.get(pageId) ?? -1));
  const hintAt = (index: number) => {
    const { url, title } = meta[pageIds[index]!]!;
    return { url, title };
  };
  return { pageIds, slotOf, aligned: 0, hintAt, hintsAt: everyHint(hintAt), fallback: null };
}

/**
 * The hints in `text` (null: none stored), found without parsing their fields; a value laid out otherwise (another
 * writer's field order, a nested object) is parsed whole, as before.
 */
export function hintIndexOfText(text: string | null, counted: CountedPages): PageHintIndex {
  if (text === null) return hintIndexOfMeta({}, counted);
  return (
    scan(text, counted) ??
    hintIndexOfMeta((JSON.parse(text) as { meta?: Record<string, StoredPageMeta> }).meta ?? {}, counted)
  );
}

/**
 * A fold writes the hints in the order pages were first seen, and gives new pages the next slots, so the hints' page
 * ids mostly follow the slots: each one is compared in place with the id of the slot after the last one matched (no
 * string made, no map; the rows are then the slots' own ids), and only a page out of that order, or any when a page
 * id needs an escape, is cut out, unescaped and looked up by id. The loop runs once per page on a fresh isolate's
 * first request, where V8 interprets it: it keeps to two searches, a comparison and two stores in typed arrays.
 */
function scan(text: string, counted: CountedPages): PageHintIndex | null {
  const head = text.startsWith(HEAD) ? HEAD.length : (COUNTED_HEAD.exec(text)?.[0].length ?? -1);
  if (head === -1) return null;
  if (text.length === head + 2 && text.endsWith('}}')) return hintIndexOfMeta({}, counted);
  if (!text.endsWith('}}}') || text.charCodeAt(head) !== 34 /* " */) return null;
  const slotIds = counted.pageIds;
  const inPlace = counted.plain;
  let slots: Int32Array = new Int32Array(slotIds.length + 16);
  /** Where each hint's `{` is. */
  let hintsAt: Int32Array = new Int32Array(slots.length);
  /** The page ids of the rows not matched in place, by row (the others are their slots'). */
  const cut = new Map<number, string>();
  let slotMap: ReadonlyMap<string, number> | undefined;
  let rows = 0;
  let aligned = -1;
  let next = 0;
  let key = head;
  for (;;) {
    const colon = text.indexOf(HINT_START, key + 1);
    if (colon === -1) return null;
    if (rows === slots.length) {
      slots = grown(slots);
      hintsAt = grown(hintsAt);
    }
    const expected = slotIds[next];
    if (
      inPlace &&
      expected !== undefined &&
      expected.length === colon - key - 1 &&
      text.startsWith(expected, key + 1)
    ) {
      slots[rows] = next;
      next += 1;
    } else {
      if (aligned === -1) aligned = rows;
      let pageId = text.slice(key + 1, colon);
      // An escape is decoded as JSON does; a quote without one means the entries were not where they were looked for.
      if (pageId.includes('\\')) {
        try {
          pageId = JSON.parse(`"${pageId}"`) as string;
        } catch {
          return null;
        }
      } else if (pageId.includes('"')) return null;
      slotMap ??= counted.slots();
      const slot = slotMap.get(pageId) ?? -1;
      slots[rows] = slot;
      if (slot >= 0) next = slot + 1;
      else cut.set(rows, pageId);
    }
    hintsAt[rows] = colon + 2;
    rows += 1;
    const end = text.indexOf(NEXT_ENTRY, colon + HINT_START.length);
    if (end === -1) break;
    key = end + 2;
  }
  const slotOf = slots.subarray(0, rows);
  if (aligned === -1) aligned = rows;
  const pageIds =
    aligned === rows
      ? slotIds.slice(0, rows)
      : Array.from(slotOf, (slot, row) => (slot >= 0 ? slotIds[slot]! : cut.get(row)!));
  const hintAt = (index: number) => hintFrom(text, hintsAt[index]!)!;
  return { pageIds, slotOf, aligned, hintAt, hintsAt: everyHint(hintAt), fallback: null };
}

/** The hint whose `{` is at `at` in the stored text: parsed alone, up to the next entry or the end of the hints. */
function hintFrom(text: string, at: number): PageHint | null {
  const end = text.indexOf(NEXT_ENTRY, at);
  try {
    const { url, title } = JSON.parse(text.slice(at, end === -1 ? text.length - 2 : end + 1)) as StoredPageMeta;
    return typeof url === 'string' && typeof title === 'string' ? { url, title } : null;
  } catch {
    return null;
  }
}

/**
 * The Posts tab's rows from the counts alone: the slots whose hint hash is not 0 (a fold writes the hints, then the
 * counts with a hash of each slot's hint), when the hints' text, as `writeHintsText` wrote it, holds as many pages
 * (a page with a hint and no slot, or counts written with hints other than these, is then seen, and the text is
 * scanned page by page as before: `fallback`). Null when the text is not laid out so (written before the count, or
 * by another writer) or the counts hold no hint hashes. Nothing is done per page but one pass over the hashes: no
 * page id is looked for in the text but the rows served (`hintsAt`), the scan of 5,000 pages having been most of a
 * fresh isolate's first request (worker/docs/cpu-routes.md, "The Posts tab's rows from the counts").
 */
export function hintIndexOfCounts(
  text: string | null,
  counted: CountedPages,
  hintHashes: Uint32Array | null,
): PageHintIndex | null {
  const stored = text === null || hintHashes === null ? null : COUNTED_HEAD.exec(text);
  if (stored === null || text === null || hintHashes === null) return null;
  const slotIds = counted.pageIds;
  let rows = 0;
  for (let slot = 0; slot < slotIds.length; slot++) if (hintHashes[slot] !== 0) rows += 1;
  if (rows !== Number(stored[1]) || !text.endsWith('}}')) return null;
  let pageIds: readonly string[] = slotIds;
  const slotOf = new Int32Array(rows);
  let aligned = rows;
  if (rows === slotIds.length) for (let slot = 0; slot < rows; slot++) slotOf[slot] = slot;
  else {
    const ids: string[] = [];
    for (let slot = 0; slot < slotIds.length; slot++) {
      if (hintHashes[slot] === 0) continue;
      if (aligned === rows && slot !== ids.length) aligned = ids.length;
      slotOf[ids.length] = slot;
      ids.push(slotIds[slot]!);
    }
    pageIds = ids;
  }
  const hintsAt = (indexes: readonly number[]) => findHints(text, stored[0].length, pageIds, indexes);
  return {
    pageIds,
    slotOf,
    aligned,
    hintAt: (index) => hintsAt([index])[0] ?? { url: '', title: '' },
    hintsAt,
    fallback: () => hintIndexOfText(text, counted),
  };
}

/**
 * The hints of `pageIds` at `indexes` in `text`, each found by its page id as the writer escaped it followed by what
 * opens a hint (`HINT_START`), at the start of an entry (after the hints' `{` or a `,`: unescaped, that quote cannot
 * stand inside a string, and a hint's own fields hold no object). A fold writes the hints in the order pages were
 * first seen, which is mostly the slots': the pages are looked for in their rows' order, each from where the last was
 * found, so the 50 rows served cost about one pass over the text, and from the start when not found after it. Null
 * for a page not found.
 */
function findHints(
  text: string,
  start: number,
  pageIds: readonly string[],
  indexes: readonly number[],
): (PageHint | null)[] {
  const found: (PageHint | null)[] = new Array<PageHint | null>(indexes.length).fill(null);
  const order = indexes.map((_, at) => at).sort((a, b) => indexes[a]! - indexes[b]!);
  let from = start - 1;
  for (const at of order) {
    const key = JSON.stringify(pageIds[indexes[at]!]) + HINT_START.slice(1);
    let place = entryAt(text, key, from, text.length);
    if (place === -1) place = entryAt(text, key, start - 1, from + key.length);
    if (place === -1) continue;
    from = place;
    found[at] = hintFrom(text, place + key.length - HINT_START.length + 2);
  }
  return found;
}

/** Where `key` starts an entry of the hints in `text`, at or after `from` and ending before `end`; -1: nowhere. */
function entryAt(text: string, key: string, from: number, end: number): number {
  for (let at = text.indexOf(key, from); at !== -1 && at + key.length <= end; at = text.indexOf(key, at + 1)) {
    const before = text.charCodeAt(at - 1);
    if (before === 0x2c /* , */ || before === 0x7b /* { */) return at;
  }
  return -1;
}

function grown(array: Int32Array): Int32Array {
  const larger = new Int32Array(array.length * 2);
  larger.set(array);
  return larger;
}

/** True when the page ids' stored JSON holds no backslash (`CountedPages.plain`). */
export function plainIds(stored: Uint8Array | undefined): boolean {
  return stored !== undefined && stored.indexOf(BACKSLASH) === -1;
}
