/**
 * The pages' hints (`v1:popmeta`) read for the admin Posts tab in part: the page ids found in the stored text and
 * matched to the counts' slots as they are found, each page's address and title parsed only for the rows served.
 * `JSON.parse` of the whole value (1.1 MB at 5,000 pages) and the map of 5,000 page ids to slots were 5 to 8 ms of a
 * fresh isolate's first request (worker/docs/cpu-routes.md, "The Posts tab's hints read in part").
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
  hintAt(index: number): Pick<StoredPageMeta, 'url' | 'title'>;
}

/** The start of the value as `PopularityStore.writeMeta` writes it (`JSON.stringify` keeps `version` first). */
const HEAD = '{"version":2,"meta":{';
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
  return { pageIds, slotOf, aligned: 0, hintAt };
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
  if (!text.startsWith(HEAD)) return null;
  if (text.length === HEAD.length + 2 && text.endsWith('}}')) return hintIndexOfMeta({}, counted);
  if (!text.endsWith('}}}') || text.charCodeAt(HEAD.length) !== 34 /* " */) return null;
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
  let key = HEAD.length;
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
  return {
    pageIds,
    slotOf,
    aligned,
    hintAt: (index) => {
      const at = hintsAt[index]!;
      const end = text.indexOf(NEXT_ENTRY, at);
      const { url, title } = JSON.parse(text.slice(at, end === -1 ? text.length - 2 : end + 1)) as StoredPageMeta;
      return { url, title };
    },
  };
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
