/**
 * An imported thread with each comment's JSON already written: its imported-document form (the stored comment) and
 * its snapshot form (public, or the blank placeholder). A post sent in parts is prebuilt part by part, each in the
 * request that carries it, so the request that publishes the whole post only checks parents across parts and joins
 * pieces. The pieces are UTF-8 bytes, staged as bytes and read back as bytes: publishing a post copies its bytes
 * once and never decodes, parses or encodes a comment of it (text would be decoded from every staged part and
 * encoded again for the two values written, each pass costing milliseconds per MB), so the last part fits the free
 * plan's 10 ms per invocation for posts of thousands of comments. Each staged part also carries what the snapshot
 * says of its comments besides their pieces (`RunFacts`: source lines, paging index, activity), so a post whose parts
 * all have them is published with no entry made per comment either (`withLazyEntries`). Pure.
 */
import { invalidField, type ApiError } from '../errors.js';
import { itemsOf } from './bytes.js';
import type { PreparedThread } from './import-input.js';
import {
  isVisible,
  toPlaceholder,
  toPublicComment,
  type ModerationStatus,
  type StoredComment,
} from './stored-comment.js';
import { countMetadata, countMetadataOf, type CountKeyMetadata } from './comment-activity.js';
import { IMPORTED_VERSION } from './thread.js';
import { COMMENT_ID_LENGTH } from './comment-id.js';

/** What assembling and publishing need to know of one comment, without parsing its JSON. */
export interface PrebuiltEntry {
  id: string;
  /** In a part: the comment's id in its source, by which replies in other parts name it. */
  sourceId?: string;
  /** Null at the top level, and while the parent is known only by `parentSourceId`. */
  parentId: string | null;
  /**
   * In a part: the parent's source id when the parent is in another part of the post. With `parentId` null, the parent
   * is found by it when the post is assembled (`at`: an Import tab from before `ImportComment.parentCreatedAt`);
   * with the parent's id (`isOtherPartParent`), written when the part was staged, assembling only checks it is there.
   */
  parentSourceId?: string;
  /**
   * With `parentSourceId`: where the parent's id goes, as byte offsets in the part's stored run and shown run (and,
   * when the part has `facts`, in its sources lines and paging index), each the first byte of a placeholder as long
   * as an id, overwritten in place when the post is assembled.
   */
  at?: number[];
  createdAt: string;
  status: ModerationStatus;
  /** Shown as itself (approved, not deleted); otherwise only as a blank placeholder while a reply below it is. */
  visible: boolean;
  pinned?: true;
}

/** Whether `entry`'s parent is in another part and held by a placeholder until the post is assembled. */
function holdsPlace(entry: PrebuiltEntry): boolean {
  return entry.parentSourceId !== undefined && entry.parentId === null;
}

/** Whether `entry`'s parent is in another part, its id written when the part was staged (checked when assembled). */
function isOtherPartParent(entry: PrebuiltEntry): boolean {
  return entry.parentSourceId !== undefined && entry.parentId !== null;
}

/** The thread's own fields (`PreparedThread` without its comments) and one entry per comment. */
export interface PrebuiltHeader {
  pageId: string;
  pageUrl?: string;
  title?: string;
  closed: boolean;
  closedAt?: string;
  part?: { index: number; count: number };
  entries: PrebuiltEntry[];
}

export interface PrebuiltThread extends PrebuiltHeader {
  /**
   * The stored comments' JSON (UTF-8), elements of the page's imported document, in runs joined by commas (one run
   * per part of a post): the entries' order, and joined as they are, the document's comments, with no copy per comment.
   */
  stored: Uint8Array[];
  /**
   * Each entry's JSON (UTF-8) in the page's snapshot, public (`toPublicComment`) or placeholder (`toPlaceholder`), in
   * runs joined by PIECES, in the entries' order: a run is a JSON array's elements as it is, split only when the
   * snapshot's order is not the entries'.
   */
  shown: Uint8Array[];
  /** How many entries each run of `shown` holds (not staged: a staged part is one run of all its entries). */
  shownCounts: number[];
  /** Per run of `shown`, what the snapshot says of its comments besides their pieces, when worked out (`withFacts`). */
  facts?: (RunFacts | null)[];
}

/**
 * What a split snapshot says of a run of comments besides their pieces, worked out when the run is prebuilt (its part
 * staged), not by the request that publishes the post: its comments' source lines and paging index, as a snapshot
 * part keeps them (storage/threads.ts), and what the count's activity takes from them. Only for a run whose comments
 * are all shown as themselves and listed oldest first, as the snapshot lists them. ASCII: offsets are bytes.
 */
export interface RunFacts {
  /** Each comment's source line (domain/thread.ts SnapshotSource), joined by PIECES. */
  sources: Uint8Array;
  /** Each comment's id, then for a reply a colon and its parent's id, joined by commas (a part's paging index). */
  index: Uint8Array;
  /** The first and last comments' ids. */
  first: string;
  last: string;
  /** The newest comment's time, and how many comments each UTC day has (PartActivity, domain/comment-activity.ts). */
  newest: string;
  days: [string, number][];
  /** The pinned comments' ids. */
  pinned?: string[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Between stored pieces, and between the parts of a staged value: bytes JSON never writes outside a string. */
const COMMA = encoder.encode(',');
const LINE = 0x0a;
/** Between shown pieces: a comma, valid between array elements, and a line break, which JSON never writes itself. */
const PIECE_SEPARATOR = ',\n';
export const PIECES = encoder.encode(PIECE_SEPARATOR);

/**
 * A post of more parts than this (past `LIMITS.freePlanPostComments` at 50 comments a part, the Import tab's last
 * comment alone in a part of its own) is published in bounded requests (storage/import-steps.ts): each part before
 * the last, staged, also writes its own share of the published post, and the last part joins none of their bytes.
 * The posts of a blog's file (a few hundred comments at most) keep the one-request join: their writes stay as they were.
 */
export const STEP_PARTS_OVER = 41;

/**
 * The shown run of a part that writes its share of the post (`STEP_PARTS_OVER`) is one snapshot part as it is: at most
 * this long, as the one-request join cuts a longer run into its comments (twice a snapshot part's 64 KiB).
 */
export const STEP_RUN_BYTES = 128 * 1024;

const PARENT_FIELD = '"parentId":"';

/**
 * Stands for a parent in another part until the post is assembled: `?` and the entry's place, as long as an id (every
 * id is as long, so a parent's id overwrites its placeholder in place).
 */
function placeholderOf(place: number): string {
  return `?${String(place).padStart(COMMENT_ID_LENGTH - 1, '0')}`;
}

/** The chunks one after another, in one array: the one copy a value written to KV needs. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    joined.set(chunk, at);
    at += chunk.length;
  }
  return joined;
}

/** `runs` with `separator` between each two (empty runs left out). */
export function joinRuns(runs: readonly Uint8Array[], separator: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (const run of runs) {
    if (run.length === 0) continue;
    if (chunks.length > 0) chunks.push(separator);
    chunks.push(run);
  }
  return chunks;
}

/** The pieces joined by `separator` into one run, and where each piece starts in it. */
function runOf(pieces: readonly string[], separator: Uint8Array): { run: Uint8Array; starts: number[] } {
  const encoded = pieces.map((piece) => encoder.encode(piece));
  const starts: number[] = [];
  let at = 0;
  for (const piece of encoded) {
    starts.push(at);
    at += piece.length + separator.length;
  }
  return { run: concatBytes(joinRuns(encoded, separator)), starts };
}

/**
 * The byte offset, in `json`'s UTF-8, of its parent placeholder. The first `"parentId":"` is the field: inside a
 * JSON string value, quotes are escaped.
 */
function placeholderOffset(json: string): number {
  return encoder.encode(json.slice(0, json.indexOf(PARENT_FIELD) + PARENT_FIELD.length)).length;
}

/** Maps `thread`'s comments to both forms, once: the part's own share of the work. */
export function prebuild(thread: PreparedThread): PrebuiltThread {
  const { comments, part, ...fields } = thread;
  const entries: PrebuiltEntry[] = [];
  const stored: string[] = [];
  const shown: string[] = [];
  const unresolvedPlaces: number[] = [];
  // In a part, a parent id that is none of its comments' is in another part (its time came with the reply).
  const ownIds = part === undefined ? undefined : new Set(comments.map((comment) => comment.id));
  comments.forEach((comment, j) => {
    const parentSourceId = part?.parentSourceIds[j] ?? null;
    // In a part, a parent in no earlier comment of it, and not named by its id, is in another part: the last part
    // resolves it.
    const unresolved = comment.parentId === null && parentSourceId !== null;
    const otherPart = comment.parentId !== null && parentSourceId !== null && !ownIds!.has(comment.parentId);
    const piece = unresolved ? { ...comment, parentId: placeholderOf(j) } : comment;
    const entry: PrebuiltEntry = {
      id: comment.id,
      parentId: comment.parentId,
      createdAt: comment.createdAt,
      status: comment.status,
      visible: isVisible(comment),
    };
    if (part !== undefined) entry.sourceId = part.sourceIds[j]!;
    if (unresolved) {
      entry.parentSourceId = parentSourceId;
      unresolvedPlaces.push(j);
    }
    if (otherPart) entry.parentSourceId = parentSourceId;
    if (comment.pinned === true) entry.pinned = true;
    entries.push(entry);
    stored.push(JSON.stringify(piece));
    shown.push(JSON.stringify(entry.visible ? toPublicComment(piece) : toPlaceholder(piece)));
  });
  const storedRun = runOf(stored, COMMA);
  const shownRun = runOf(shown, PIECES);
  for (const j of unresolvedPlaces) {
    entries[j]!.at = [
      storedRun.starts[j]! + placeholderOffset(stored[j]!),
      shownRun.starts[j]! + placeholderOffset(shown[j]!),
    ];
  }
  const header: PrebuiltThread = {
    ...fields,
    entries,
    stored: [storedRun.run],
    shown: [shownRun.run],
    shownCounts: [entries.length],
  };
  if (part !== undefined) header.part = { index: part.index, count: part.count };
  return header;
}

/** A run's facts, and where each placeholder is in their lines: by entry place, [sources, index] offsets. */
interface FoundFacts {
  facts: RunFacts;
  at: Map<number, [number, number]>;
}

/**
 * The facts of a run of `entries` (a part, or a thread joined whole), a reply whose parent is in another part naming
 * its placeholder as the pieces do; null unless every entry is shown as itself and they are in id order.
 */
function factsOf(pageUrl: string | undefined, entries: readonly PrebuiltEntry[]): FoundFacts | null {
  if (entries.length === 0) return null;
  for (let k = 0; k < entries.length; k++) {
    if (!entries[k]!.visible || (k > 0 && entries[k - 1]!.id >= entries[k]!.id)) return null;
  }
  // As publishPrebuilt's sources: every comment carries the thread's address, and one shown here counts it.
  const link = pageUrl !== undefined ? 0 : null;
  const version = `${IMPORTED_VERSION}/`;
  const sources: string[] = [];
  const index: string[] = [];
  const at = new Map<number, [number, number]>();
  const days = new Map<string, number>();
  let newest = entries[0]!.createdAt;
  let sourcesAt = 0;
  let indexAt = 0;
  entries.forEach((entry, k) => {
    const placeheld = holdsPlace(entry);
    const parentId = placeheld ? placeholderOf(k) : entry.parentId;
    const source = JSON.stringify([entry.id, version, link, parentId, entry.createdAt]);
    const paged = parentId === null ? entry.id : `${entry.id}:${parentId}`;
    if (placeheld) {
      at.set(k, [sourcesAt + source.indexOf(parentId!), indexAt + entry.id.length + 1]);
    }
    sources.push(source);
    index.push(paged);
    sourcesAt += source.length + PIECE_SEPARATOR.length;
    indexAt += paged.length + 1;
    if (entry.createdAt > newest) newest = entry.createdAt;
    const day = entry.createdAt.slice(0, 10);
    days.set(day, (days.get(day) ?? 0) + 1);
  });
  const facts: RunFacts = {
    sources: encoder.encode(sources.join(PIECE_SEPARATOR)),
    index: encoder.encode(index.join(',')),
    first: entries[0]!.id,
    last: entries.at(-1)!.id,
    newest,
    days: [...days],
  };
  const pinned = entries.filter((entry) => entry.pinned === true).map((entry) => entry.id);
  if (pinned.length > 0) facts.pinned = pinned;
  // Offsets are bytes only if every line is ASCII (ids, ISO times): otherwise the run goes without facts.
  if (facts.sources.length !== sourcesAt - (sources.length > 0 ? PIECE_SEPARATOR.length : 0)) return null;
  return { facts, at };
}

/**
 * `thread` (one run: a part as prebuilt) with its run's facts, as reading it staged gives it: the last part's own,
 * which is never staged.
 */
export function withFacts(thread: PrebuiltThread): PrebuiltThread {
  if (thread.shown.length !== 1) return thread;
  const found = factsOf(thread.pageUrl, thread.entries);
  if (found === null) return thread;
  const entries = thread.entries.map((entry, k) => {
    const extra = found.at.get(k);
    return extra === undefined || entry.at === undefined
      ? entry
      : { ...entry, at: [entry.at[0]!, entry.at[1]!, ...extra] };
  });
  return { ...thread, entries, facts: [found.facts] };
}

/**
 * A header as staged: the entries as columns (each field of every entry in one array or string) rather than one
 * object per entry, so that the last part of a post reads thousands of entries without parsing their field names
 * (about three times faster to parse: most of what cutting a staged part costs).
 */
interface CompactHeader extends Omit<PrebuiltHeader, 'entries'> {
  /** Every entry's id, joined (all are COMMENT_ID_LENGTH long). */
  ids: string;
  /** Per entry: null at the top level, its parent's place among these entries, or its parent's id. */
  parentIds: (number | string | null)[];
  /** Every entry's time, joined when all are as long as `toISOString` writes them; else one string each. */
  createdAt: string | string[];
  /** One character per entry: its status's initial (STATUS_INITIALS), upper case when it is shown as itself. */
  flags: string;
  sourceIds?: string[];
  /** The places of the pinned entries. */
  pinned?: number[];
  /** Per entry whose parent is in another part, held by a placeholder: its place, the parent's source id and `at`. */
  unresolved?: [number, string, ...number[]][];
  /**
   * Per entry whose parent is in another part, its id written when the part was staged: its place, the parent's
   * source id and id. On the first line, so the last part checks those parents without the entries' columns.
   */
  outside?: [number, string, string][];
  /** The stored run's length in bytes: where the shown run starts is known without scanning for it. */
  storedBytes: number;
  /**
   * The run's facts but its bytes, which follow the shown run (as long as these say), each after a line break; a part
   * that writes its share of the post (`isStepPart`) has its paging index here too, as text.
   */
  facts?: Omit<RunFacts, 'sources' | 'index'> & { shownBytes: number; sourcesBytes: number; index?: string };
  /**
   * With `facts`: the length of a second line holding the columns the last part of a post does not need
   * (`parentIds`, `createdAt`, `flags`), parsed only when the entries are asked for.
   */
  columnsBytes?: number;
}

/** The columns a header with `columnsBytes` keeps on a line of their own. */
type LaterColumns = Pick<CompactHeader, 'parentIds' | 'createdAt' | 'flags'>;

const STATUS_INITIALS: Record<ModerationStatus, string> = {
  approved: 'a',
  pending: 'p',
  spam: 's',
  rejected: 'r',
};
/** By the initial's character code, lower case. */
const STATUS_OF_INITIAL: (ModerationStatus | undefined)[] = [];
for (const [status, initial] of Object.entries(STATUS_INITIALS)) {
  STATUS_OF_INITIAL[initial.charCodeAt(0)] = status as ModerationStatus;
}
/** Sets a letter's case bit: lower case. */
const LOWER = 0x20;

function compactHeader(
  header: PrebuiltHeader,
  storedBytes: number,
  found: FoundFacts | null,
  shownBytes: number,
): CompactHeader {
  const { entries, ...fields } = header;
  const compact: CompactHeader = {
    ...fields,
    storedBytes,
    ids: entries.map((entry) => entry.id).join(''),
    parentIds: parentPlaces(entries),
    createdAt: entries.every((entry) => entry.createdAt.length === ISO_LENGTH)
      ? entries.map((entry) => entry.createdAt).join('')
      : entries.map((entry) => entry.createdAt),
    flags: entries
      .map((entry) => (entry.visible ? STATUS_INITIALS[entry.status].toUpperCase() : STATUS_INITIALS[entry.status]))
      .join(''),
  };
  if (entries.some((entry) => entry.id.length !== COMMENT_ID_LENGTH)) throw new Error('not a comment id');
  if (entries.some((entry) => entry.sourceId !== undefined))
    compact.sourceIds = entries.map((entry) => entry.sourceId!);
  const pinned = entries.flatMap((entry, k) => (entry.pinned === true ? [k] : []));
  if (pinned.length > 0) compact.pinned = pinned;
  const unresolved = entries.flatMap((entry, k): [number, string, ...number[]][] =>
    entry.parentSourceId !== undefined && entry.at !== undefined
      ? [[k, entry.parentSourceId, entry.at[0]!, entry.at[1]!, ...(found?.at.get(k) ?? [])]]
      : [],
  );
  if (unresolved.length > 0) compact.unresolved = unresolved;
  const outside = entries.flatMap((entry, k): [number, string, string][] =>
    isOtherPartParent(entry) ? [[k, entry.parentSourceId!, entry.parentId!]] : [],
  );
  if (outside.length > 0) compact.outside = outside;
  if (found !== null) {
    const { sources, index, ...facts } = found.facts;
    compact.facts = { ...facts, shownBytes, sourcesBytes: sources.length };
    // A part that writes its share of the post: its paging index on the first line too, all the last part reads of it.
    if (isStepPart(header, unresolved.length > 0, shownBytes)) compact.facts.index = decoder.decode(index);
  }
  return compact;
}

/**
 * Whether a part with this header, prebuilt, is one that writes its share of its post when staged (its document part,
 * its snapshot part and that part's sources, storage/import-steps.ts): a part before the last of a post of more than
 * `STEP_PARTS_OVER` parts, with its run's facts (every comment shown as itself, in id order), every parent's id
 * written (no placeholder: an Import tab from before `parentCreatedAt` sends those) and a shown run of at most
 * `STEP_RUN_BYTES`. Its staged header then holds its paging index (`CompactHeader.facts.index`), which says so.
 */
function isStepPart(header: Pick<PrebuiltHeader, 'part'>, placeholders: boolean, shownBytes: number): boolean {
  const part = header.part;
  return (
    part !== undefined &&
    part.count > STEP_PARTS_OVER &&
    part.index < part.count - 1 &&
    !placeholders &&
    shownBytes <= STEP_RUN_BYTES
  );
}

/** As long as `toISOString` writes a time from 1970 to 9999. */
const ISO_LENGTH = 24;

/** Each entry's parent as a compact header keeps it: a place when the parent is among the entries (numbers parse faster). */
function parentPlaces(entries: readonly PrebuiltEntry[]): (number | string | null)[] {
  const placeOf = new Map(entries.map((entry, k) => [entry.id, k]));
  return entries.map((entry) => (entry.parentId === null ? null : (placeOf.get(entry.parentId) ?? entry.parentId)));
}

/** The entries of a compact header; null when its columns do not agree (not a value this version wrote). */
function entriesOf(compact: CompactHeader): PrebuiltEntry[] | null {
  const { ids, parentIds, createdAt, flags, sourceIds } = compact;
  const count = flags.length;
  const joinedTimes = typeof createdAt === 'string';
  if (
    ids.length !== count * COMMENT_ID_LENGTH ||
    parentIds.length !== count ||
    createdAt.length !== (joinedTimes ? count * ISO_LENGTH : count) ||
    (sourceIds !== undefined && sourceIds.length !== count)
  ) {
    return null;
  }
  const entries: PrebuiltEntry[] = [];
  for (let k = 0; k < count; k++) {
    const flag = flags.charCodeAt(k);
    const status = STATUS_OF_INITIAL[flag | LOWER];
    const parent = parentIds[k]!;
    if (status === undefined || (typeof parent === 'number' && !(parent >= 0 && parent < count))) return null;
    // A literal in one shape: thousands per post.
    const entry: PrebuiltEntry = {
      id: ids.slice(k * COMMENT_ID_LENGTH, (k + 1) * COMMENT_ID_LENGTH),
      parentId:
        typeof parent === 'number' ? ids.slice(parent * COMMENT_ID_LENGTH, (parent + 1) * COMMENT_ID_LENGTH) : parent,
      createdAt: joinedTimes ? createdAt.slice(k * ISO_LENGTH, (k + 1) * ISO_LENGTH) : createdAt[k]!,
      status,
      visible: (flag & LOWER) === 0,
    };
    if (sourceIds !== undefined) entry.sourceId = sourceIds[k]!;
    entries.push(entry);
  }
  for (const k of compact.pinned ?? []) entries[k]!.pinned = true;
  // Each placeholder's offsets: in the stored and shown runs, and in the facts' lines when the part has them.
  const offsets = compact.facts === undefined ? 2 : 4;
  for (const [k, parentSourceId, ...at] of compact.unresolved ?? []) {
    const entry = entries[k];
    if (entry === undefined || at.length !== offsets) return null;
    entry.parentSourceId = parentSourceId;
    entry.at = at;
  }
  for (const [k, parentSourceId, parentId] of compact.outside ?? []) {
    const entry = entries[k];
    if (entry === undefined || entry.parentId !== parentId) return null;
    entry.parentSourceId = parentSourceId;
  }
  return entries;
}

/**
 * One KV value: the header's JSON (its entries as columns, `CompactHeader`), a line break, the stored pieces joined by
 * commas, a line break, and the shown pieces joined by PIECES (JSON never holds a raw line break), all UTF-8, so
 * reading it back decodes and parses only the small header and cuts the rest, with no piece split or decoded.
 */
export function prebuiltBytes(thread: PrebuiltThread): Uint8Array {
  const { stored, shown, shownCounts: _shownCounts, facts: _facts, ...header } = thread;
  const line = Uint8Array.of(LINE);
  const storedRun = joinRuns(stored, COMMA);
  const storedBytes = storedRun.reduce((sum, chunk) => sum + chunk.length, 0);
  const shownRun = joinRuns(shown, PIECES);
  const shownBytes = shownRun.reduce((sum, chunk) => sum + chunk.length, 0);
  // Worked out again from the entries, never taken as they came: the same part is written the same whatever read it.
  const found = factsOf(header.pageUrl, header.entries);
  const compact = compactHeader(header, storedBytes, found, shownBytes);
  if (found === null) {
    return concatBytes([encoder.encode(JSON.stringify(compact)), line, ...storedRun, line, ...shownRun]);
  }
  // With facts, the columns only the entries need go on a line of their own: a post's last part never parses them.
  const { parentIds, createdAt, flags, ...first } = compact;
  const columns = encoder.encode(JSON.stringify({ parentIds, createdAt, flags } satisfies LaterColumns));
  return concatBytes([
    encoder.encode(JSON.stringify({ ...first, columnsBytes: columns.length })),
    line,
    columns,
    line,
    ...storedRun,
    line,
    ...shownRun,
    line,
    found.facts.sources,
    line,
    found.facts.index,
  ]);
}

/**
 * The value `prebuiltBytes` wrote (as KV gives it back: an ArrayBuffer, cut here, never copied), or the version before
 * it wrote (its header's entries one object each: staged parts and queued threads from before stay readable); null
 * when it is neither, e.g. written by the version before bytes (a part whose placeholders have no offsets: sent
 * again, it is restaged).
 */
export function readPrebuilt(value: ArrayBuffer | Uint8Array): PrebuiltThread | null {
  const bytes = value instanceof Uint8Array ? value : new Uint8Array(value);
  const headerEnd = bytes.indexOf(LINE);
  if (headerEnd < 0) return null;
  let read: PrebuiltHeader | CompactHeader;
  try {
    read = JSON.parse(decoder.decode(bytes.subarray(0, headerEnd))) as PrebuiltHeader | CompactHeader;
  } catch {
    return null;
  }
  if (typeof read !== 'object' || read === null) return null;
  if ('columnsBytes' in read && typeof read.columnsBytes === 'number') return readWithFacts(bytes, headerEnd, read);
  let header: PrebuiltHeader;
  let storedEnd: number;
  if ('entries' in read && Array.isArray(read.entries)) {
    if (read.entries.some((entry) => entry.parentSourceId !== undefined && entry.at === undefined)) return null;
    header = read;
    storedEnd = bytes.indexOf(LINE, headerEnd + 1);
  } else if ('ids' in read && typeof read.ids === 'string' && typeof read.flags === 'string') {
    const {
      ids: _ids,
      parentIds: _parentIds,
      createdAt: _createdAt,
      flags: _flags,
      sourceIds: _sourceIds,
      pinned: _pinned,
      unresolved: _unresolved,
      outside: _outside,
      storedBytes,
      ...fields
    } = read;
    const entries = entriesOf(read);
    if (entries === null) return null;
    header = { ...fields, entries };
    // Counted, not searched for: a scan of the stored run would cost a millisecond per few MB.
    storedEnd = headerEnd + 1 + storedBytes;
    if (bytes[storedEnd] !== LINE) return null;
  } else {
    return null;
  }
  if (storedEnd < 0) return null;
  return {
    ...header,
    stored: [bytes.subarray(headerEnd + 1, storedEnd)],
    shown: [bytes.subarray(storedEnd + 1)],
    shownCounts: [header.entries.length],
  };
}

/**
 * What assembling a post needs of a part read with its facts, without its entries: their ids, source ids, and the
 * entries whose parent is in another part (a few). Kept beside the part, whose entries are made only when asked for.
 */
interface PartIndex {
  ids: string;
  sourceIds?: string[];
  unresolved: UnresolvedEntry[];
  /** The entries whose parent is in another part, named by its id (`isOtherPartParent`). */
  outside: OutsideEntry[];
}
type UnresolvedEntry = Pick<PrebuiltEntry, 'id' | 'sourceId' | 'parentSourceId' | 'at' | 'pinned'>;
type OutsideEntry = Pick<PrebuiltEntry, 'id' | 'sourceId' | 'parentSourceId' | 'parentId'>;
const partIndexes = new WeakMap<PrebuiltThread, PartIndex>();

/** `thread` with `entries` made by `make` the first time they are read (then kept). */
function withLazyEntries<T extends Omit<PrebuiltThread, 'entries'>>(
  thread: T,
  make: () => PrebuiltEntry[],
): T & PrebuiltThread {
  let made: PrebuiltEntry[] | undefined;
  return Object.defineProperty(thread, 'entries', {
    get: () => (made ??= make()),
    enumerable: true,
    configurable: true,
  }) as T & PrebuiltThread;
}

/** A value `prebuiltBytes` wrote with facts: its entries parsed from the columns only when asked for. */
function readWithFacts(bytes: Uint8Array, headerEnd: number, read: CompactHeader): PrebuiltThread | null {
  const {
    ids,
    sourceIds,
    pinned,
    unresolved,
    outside,
    storedBytes,
    facts,
    columnsBytes,
    flags: _flags,
    ...fields
  } = read;
  if (facts === undefined || columnsBytes === undefined || typeof ids !== 'string') return null;
  const count = ids.length / COMMENT_ID_LENGTH;
  if (!Number.isInteger(count) || (sourceIds !== undefined && sourceIds.length !== count)) return null;
  const columnsEnd = headerEnd + 1 + columnsBytes;
  const storedEnd = columnsEnd + 1 + storedBytes;
  const { shownBytes, sourcesBytes, index: stepIndex, ...known } = facts;
  const shownEnd = storedEnd + 1 + shownBytes;
  const sourcesEnd = shownEnd + 1 + sourcesBytes;
  if ([columnsEnd, storedEnd, shownEnd, sourcesEnd].some((end) => bytes[end] !== LINE)) return null;
  const entriesOfColumns = (): PrebuiltEntry[] => {
    const columns = JSON.parse(decoder.decode(bytes.subarray(headerEnd + 1, columnsEnd))) as LaterColumns;
    const entries = entriesOf({ ...read, ...columns });
    if (entries === null) throw new Error('a staged part whose columns do not agree');
    return entries;
  };
  // The few entries whose parent is in another part, made now: assembling the post resolves them.
  const offsets: UnresolvedEntry[] = [];
  for (const [k, parentSourceId, ...at] of unresolved ?? []) {
    if (!(k >= 0 && k < count) || at.length !== 4) return null;
    const entry: UnresolvedEntry = {
      id: ids.slice(k * COMMENT_ID_LENGTH, (k + 1) * COMMENT_ID_LENGTH),
      parentSourceId,
      at,
    };
    if (sourceIds !== undefined) entry.sourceId = sourceIds[k]!;
    if (pinned?.includes(k)) entry.pinned = true;
    offsets.push(entry);
  }
  const others: OutsideEntry[] = [];
  for (const [k, parentSourceId, parentId] of outside ?? []) {
    if (!(k >= 0 && k < count)) return null;
    const entry: OutsideEntry = {
      id: ids.slice(k * COMMENT_ID_LENGTH, (k + 1) * COMMENT_ID_LENGTH),
      parentSourceId,
      parentId,
    };
    if (sourceIds !== undefined) entry.sourceId = sourceIds[k]!;
    others.push(entry);
  }
  const thread = withLazyEntries(
    {
      ...fields,
      stored: [bytes.subarray(columnsEnd + 1, storedEnd)],
      shown: [bytes.subarray(storedEnd + 1, shownEnd)],
      shownCounts: [count],
      facts: [{ ...known, sources: bytes.subarray(shownEnd + 1, sourcesEnd), index: bytes.subarray(sourcesEnd + 1) }],
    },
    entriesOfColumns,
  );
  partIndexes.set(
    thread,
    sourceIds === undefined
      ? { ids, unresolved: offsets, outside: others }
      : { ids, sourceIds, unresolved: offsets, outside: others },
  );
  if (typeof stepIndex === 'string') stepParts.add(thread);
  return thread;
}

/** Staged parts read whose header says they wrote their share of the post (`isStepPart`). */
const stepParts = new WeakSet<PrebuiltThread>();

/** Whether `part`, a staged part read, wrote its share of its post when it was staged (`isStepPart`). */
export function isStepped(part: PrebuiltThread): boolean {
  return stepParts.has(part);
}

/**
 * What the request publishing a post in bounded requests reads of a part before the last (storage/import-steps.ts):
 * its staged header's first line, and nothing of its comments.
 */
export interface StepHead {
  pageUrl?: string;
  /** Its comments' ids, joined (in id order: a part with facts holds them so). */
  ids: string;
  /** Per reply whose parent is in another part: its place, the parent's source id and id. */
  outside: [number, string, string][];
  /** Its run's facts but its sources, the paging index as bytes; and its shown run's length. */
  facts: Omit<RunFacts, 'sources'>;
  shownBytes: number;
}

/**
 * The first line of a staged part (`prebuiltBytes`) as `StepHead`, when the part wrote its share of its post
 * (`isStepPart`); null for any other (staged by the version before, or a part that did not: its post is joined whole).
 */
export function readStepHead(line: Uint8Array): StepHead | null {
  let read: CompactHeader;
  try {
    read = JSON.parse(decoder.decode(line)) as CompactHeader;
  } catch {
    return null;
  }
  if (typeof read !== 'object' || read === null || typeof read.ids !== 'string') return null;
  const facts = read.facts;
  if (facts === undefined || typeof facts.index !== 'string' || read.unresolved !== undefined) return null;
  if (read.ids.length === 0 || read.ids.length % COMMENT_ID_LENGTH !== 0) return null;
  const { shownBytes, sourcesBytes: _sourcesBytes, index, ...known } = facts;
  const head: StepHead = {
    ids: read.ids,
    outside: read.outside ?? [],
    facts: { ...known, index: encoder.encode(index) },
    shownBytes,
  };
  if (read.pageUrl !== undefined) head.pageUrl = read.pageUrl;
  return head;
}

/** How many comments `thread` holds, its entries not made for it. */
export function commentCount(thread: PrebuiltThread): number {
  return thread.shownCounts.reduce((sum, count) => sum + count, 0);
}

/**
 * Every comment's id, in the entries' order; for a post assembled from parts, from the parts' ids (`PartIndex`), its
 * entries not made for it (a staged part's columns parsed and an entry made per comment: 1 to 2 ms of a last part).
 */
export function commentIds(thread: PrebuiltThread): string[] {
  const joined = postIds.get(thread);
  if (joined === undefined) return thread.entries.map((entry) => entry.id);
  return Array.from({ length: joined.length / COMMENT_ID_LENGTH }, (_, k) =>
    joined.slice(k * COMMENT_ID_LENGTH, (k + 1) * COMMENT_ID_LENGTH),
  );
}

/** An assembled post's ids, its parts' joined in part order (`commentIds`). */
const postIds = new WeakMap<PrebuiltThread, string>();

/** Whether some comment of `thread` is pending; a run with facts has none (every comment of it is shown). */
export function hasPending(thread: PrebuiltThread): boolean {
  if (thread.facts !== undefined && thread.facts.length === thread.shown.length && thread.facts.every((run) => run)) {
    return false;
  }
  return thread.entries.some((entry) => entry.status === 'pending');
}

/** The stored comments, all of them: what works on whole records (merging with an earlier import). */
export function storedComments(thread: PrebuiltThread): StoredComment[] {
  const runs = joinRuns(thread.stored, COMMA);
  return runs.length === 0 ? [] : (JSON.parse(`[${decoder.decode(concatBytes(runs))}]`) as StoredComment[]);
}

/** The thread as `mergeImport` takes it. Its parents are resolved (a whole thread, or an assembled post). */
export function toPrepared(thread: PrebuiltThread): PreparedThread {
  const {
    entries: _entries,
    stored: _stored,
    shown: _shown,
    shownCounts: _shownCounts,
    facts: _facts,
    part: _part,
    ...fields
  } = thread;
  return { ...fields, comments: storedComments(thread) };
}

/**
 * `id`'s bytes, for writing over a placeholder in place (the same array each call: thousands per post). Ids are ASCII
 * and all as long as the placeholder; anything else would shift every byte after it.
 */
const idScratch = new Uint8Array(COMMENT_ID_LENGTH);
function idBytes(id: string): Uint8Array {
  if (id.length !== COMMENT_ID_LENGTH) throw new Error(`not a comment id: ${id}`);
  for (let i = 0; i < COMMENT_ID_LENGTH; i++) {
    const code = id.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) throw new Error(`not a comment id: ${id}`);
    idScratch[i] = code;
  }
  return idScratch;
}

/**
 * The parts of one post (in part order, the last one last) as one thread, the comments in part order (the snapshot
 * sorts them; the document's order does not matter). Parts staged with every parent's id written (each reply to a
 * comment of another part carried its parent's time, `ImportComment.parentCreatedAt`) are joined as they are: their
 * bytes are final, and only those parents are looked for among the post's ids (`joinFinalParts`). Otherwise (an
 * Import tab from before it) each reply's parent is resolved by source id across parts and written over its
 * placeholders in the parts' runs (in place: the parts are read for this). Refused with a 400 naming `field`: a
 * comment in two parts, a parent in no part, a pinned reply, a loop of replies, parts naming different addresses.
 */
export function assembleParts(parts: PrebuiltThread[], field: string): PrebuiltThread {
  const last = parts[parts.length - 1]!;
  // Each part's ids, source ids and entries whose parent is in another part: from its index when read with facts (no
  // entry made).
  const indexes = parts.map((part): PartIndex => {
    const index = partIndexes.get(part);
    if (index !== undefined) return index;
    const entries = part.entries;
    const ids = entries.map((entry) => entry.id).join('');
    const unresolved = entries.filter((entry) => holdsPlace(entry) && entry.at !== undefined);
    const outside = entries.filter(isOtherPartParent);
    return entries.every((entry) => entry.sourceId !== undefined)
      ? { ids, sourceIds: entries.map((entry) => entry.sourceId!), unresolved, outside }
      : { ids, unresolved, outside };
  });
  for (const part of parts) {
    if (part.pageUrl !== last.pageUrl) {
      throw invalidField(
        `${field}.pageUrl`,
        `${field}.pageUrl differs from part ${part.part?.index}'s: every part repeats the post's fields.`,
      );
    }
  }
  if (indexes.every((index) => index.unresolved.length === 0)) return joinFinalParts(parts, indexes, field);

  const idAt = (index: PartIndex, k: number) => index.ids.slice(k * COMMENT_ID_LENGTH, (k + 1) * COMMENT_ID_LENGTH);
  // Each comment's place in the post, parts in order, by source id; and where each part starts.
  const placeOf = new Map<string, number>();
  const partStarts: number[] = [];
  let places = 0;
  for (const [p, part] of parts.entries()) {
    partStarts.push(places);
    const index = indexes[p]!;
    const count = index.ids.length / COMMENT_ID_LENGTH;
    for (let k = 0; k < count; k++) {
      const sourceId = index.sourceIds?.[k] ?? idAt(index, k);
      if (placeOf.has(sourceId)) {
        throw invalidField(
          `${field}.comments`,
          `Comment ${sourceId} is in two parts of this post (part ${part.part?.index} and an earlier one).`,
        );
      }
      placeOf.set(sourceId, places++);
    }
  }
  const idOfPlace = (place: number): string => {
    let p = partStarts.length - 1;
    while (partStarts[p]! > place) p--;
    return idAt(indexes[p]!, place - partStarts[p]!);
  };

  // Each reply whose parent was in another part: its parent's id, by the reply's id.
  const resolvedParents = new Map<string, string>();
  // Whether a reply's parent is in its own part or a later one: only then can replies loop (below).
  let forward = false;
  for (const [p, part] of parts.entries()) {
    // A staged part's facts are its one run's (readPrebuilt), with offsets for each placeholder in their lines.
    const runFacts = part.facts?.length === 1 ? part.facts[0]! : null;
    for (const entry of indexes[p]!.unresolved) {
      const { parentSourceId, at } = entry;
      const parentPlace = placeOf.get(parentSourceId!);
      if (parentPlace === undefined) throw parentInNoPart(entry, field);
      if (entry.pinned === true) {
        throw invalidField(
          `${field}.comments`,
          `Comment ${entry.sourceId} is pinned: only a top-level comment can be.`,
        );
      }
      if (parentPlace >= partStarts[p]!) forward = true;
      const parentId = idOfPlace(parentPlace);
      // A staged part is one run of each (prebuild, readPrebuilt): `at` is in those.
      const bytes = idBytes(parentId);
      part.stored[0]!.set(bytes, at![0]!);
      part.shown[0]!.set(bytes, at![1]!);
      if (runFacts !== null) {
        runFacts.sources.set(bytes, at![2]!);
        runFacts.index.set(bytes, at![3]!);
      }
      resolvedParents.set(entry.id, parentId);
    }
    // A part staged with its parents' ids written, beside parts staged before: the id must be the one its source id
    // names here.
    for (const entry of indexes[p]!.outside) {
      const parentPlace = placeOf.get(entry.parentSourceId!);
      if (parentPlace === undefined || idOfPlace(parentPlace) !== entry.parentId) throw parentInNoPart(entry, field);
      if (parentPlace >= partStarts[p]!) forward = true;
      resolvedParents.set(entry.id, entry.parentId!);
    }
  }
  // Every other parent comes before its reply in the post (within a part, prebuild), so walking up ends at the top.
  return joinedChecked(parts, resolvedParents, indexes.map((index) => index.ids).join(''), forward, field);
}

/**
 * `assembleParts` for parts whose bytes are final (each parent's id written when its part was staged): their runs
 * joined as they are, each reply to a comment of another part checked against the post's ids, found by a binary search
 * when those ascend part after part (as the Import tab sends a post, oldest first, and as each part with facts holds
 * them), else in a map of the ids; no source id looked up, no byte written, no entry made.
 */
function joinFinalParts(parts: PrebuiltThread[], indexes: PartIndex[], field: string): PrebuiltThread {
  const ids = indexes.map((index) => index.ids).join('');
  const count = ids.length / COMMENT_ID_LENGTH;
  const idAt = (place: number) => ids.slice(place * COMMENT_ID_LENGTH, (place + 1) * COMMENT_ID_LENGTH);
  const partStarts: number[] = [];
  let places = 0;
  for (const index of indexes) {
    partStarts.push(places);
    places += index.ids.length / COMMENT_ID_LENGTH;
  }
  // Ascending: a run with facts holds its ids so (factsOf), any other part is checked id by id, parts at their ends.
  let ascending = true;
  for (let p = 0; p < parts.length && ascending; p++) {
    const from = partStarts[p]!;
    const to = p + 1 < parts.length ? partStarts[p + 1]! : count;
    const sorted = parts[p]!.facts?.length === 1 && parts[p]!.facts![0] != null;
    for (let place = Math.max(from, 1); place < (sorted ? Math.min(from + 1, to) : to); place++) {
      if (idAt(place - 1) >= idAt(place)) {
        ascending = false;
        break;
      }
    }
  }
  let placeOfId: (id: string) => number | undefined;
  if (ascending) {
    // The last part whose first id is not after `id` (a few comparisons), then a search of its ids (native).
    placeOfId = (id) => {
      let low = 0;
      let high = indexes.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (indexes[middle]!.ids.length > 0 && indexes[middle]!.ids.slice(0, COMMENT_ID_LENGTH) > id) high = middle;
        else low = middle + 1;
      }
      let p = low - 1;
      while (p >= 0 && indexes[p]!.ids.length === 0) p--;
      if (p < 0) return undefined;
      const within = indexes[p]!.ids;
      for (let at = within.indexOf(id); at >= 0; at = within.indexOf(id, at + 1)) {
        if (at % COMMENT_ID_LENGTH === 0) return partStarts[p]! + at / COMMENT_ID_LENGTH;
      }
      return undefined;
    };
  } else {
    const places = new Map<string, number>();
    for (let place = 0; place < count; place++) {
      const id = idAt(place);
      if (places.has(id)) {
        const p = partStarts.findLastIndex((start) => start <= place);
        throw invalidField(
          `${field}.comments`,
          `Comment ${id} is in two parts of this post (part ${parts[p]!.part?.index} and an earlier one).`,
        );
      }
      places.set(id, place);
    }
    placeOfId = (id) => places.get(id);
  }
  const resolvedParents = new Map<string, string>();
  let forward = false;
  for (const [p, index] of indexes.entries()) {
    for (const entry of index.outside) {
      const parentPlace = placeOfId(entry.parentId!);
      if (parentPlace === undefined) throw parentInNoPart(entry, field);
      if (parentPlace >= partStarts[p]!) forward = true;
      resolvedParents.set(entry.id, entry.parentId!);
    }
  }
  return joinedChecked(parts, resolvedParents, ids, forward, field);
}

/**
 * The post joined from its parts (`joinedPost`), its ids kept for `commentIds`, its replies checked for loops when a
 * reply's parent is in its own part or a later one (`forward`): only then can replies loop.
 */
function joinedChecked(
  parts: readonly PrebuiltThread[],
  resolvedParents: ReadonlyMap<string, string>,
  ids: string,
  forward: boolean,
  field: string,
): PrebuiltThread {
  const post = joinedPost(parts, resolvedParents);
  postIds.set(post, ids);
  if (forward) {
    refuseLoops(
      post.entries,
      post.entries.filter((entry) => resolvedParents.has(entry.id)),
      field,
    );
  }
  return post;
}

function parentInNoPart(entry: Pick<PrebuiltEntry, 'id' | 'sourceId' | 'parentSourceId'>, field: string): ApiError {
  return invalidField(
    `${field}.comments`,
    `Comment ${entry.sourceId ?? entry.id} replies to ${entry.parentSourceId}, which is in no part of this post.`,
  );
}

/**
 * The parts' runs and facts joined, the post's own fields its last part's; its entries, made when asked for (not by
 * publishing a post whose runs all have facts), each reply to a comment of another part with that comment's id
 * (`resolvedParents`, by the reply's id) and without the fields that said it was in another part.
 */
function joinedPost(parts: readonly PrebuiltThread[], resolvedParents: ReadonlyMap<string, string>): PrebuiltThread {
  const entriesOfPost = (): PrebuiltEntry[] =>
    parts.flatMap((part) =>
      part.entries.map((entry) => {
        const parentId = resolvedParents.get(entry.id);
        if (parentId === undefined || entry.parentSourceId === undefined) return entry;
        // A new entry without the placeholder's fields (a literal, not a rest copy).
        const made: PrebuiltEntry = {
          id: entry.id,
          parentId,
          createdAt: entry.createdAt,
          status: entry.status,
          visible: entry.visible,
        };
        if (entry.sourceId !== undefined) made.sourceId = entry.sourceId;
        return made;
      }),
    );
  const stored = parts.flatMap((part) => part.stored);
  const shown = parts.flatMap((part) => part.shown);
  const shownCounts = parts.flatMap((part) => part.shownCounts);
  const facts = parts.flatMap((part) => part.facts ?? part.shown.map(() => null));
  return withLazyEntries({ ...postFieldsOf(parts.at(-1)!), stored, shown, shownCounts, facts }, entriesOfPost);
}

/**
 * The post's own fields, as its last part has them (`part` aside), its entries not made for it: a part read with facts
 * makes them on first read, which destructuring or spreading it would be.
 */
function postFieldsOf(last: PrebuiltThread): Omit<PrebuiltThread, 'entries' | 'part'> {
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(last)) {
    if (key !== 'entries' && key !== 'part') fields[key] = last[key as keyof PrebuiltThread];
  }
  return fields as unknown as Omit<PrebuiltThread, 'entries' | 'part'>;
}

/**
 * Refuses a loop of replies across parts, which would hang below nothing. Within a part a parent is listed before its
 * reply (prebuild), so every loop goes through a reply whose parent was in another part: walking up from those
 * alone finds it.
 */
function refuseLoops(entries: readonly PrebuiltEntry[], crossPart: readonly PrebuiltEntry[], field: string): void {
  if (crossPart.length === 0) return;
  const parentOfId = new Map<string, string | null>();
  for (const entry of entries) parentOfId.set(entry.id, entry.parentId);
  /** Ids known to reach the top level. */
  const rooted = new Set<string>();
  for (const entry of crossPart) {
    const chain: string[] = [];
    for (let id: string | null = entry.id; id !== null && !rooted.has(id); id = parentOfId.get(id) ?? null) {
      // A chain longer than the post went round a loop.
      if (chain.length > entries.length) {
        throw invalidField(
          `${field}.comments`,
          `Comment ${entry.sourceId ?? entry.id} is its own ancestor through its replies.`,
        );
      }
      chain.push(id);
    }
    for (const id of chain) rooted.add(id);
  }
}

/**
 * `objectJson` (a JSON object whose `field` is null) with that field's value set to `valueChunks` (UTF-8), as
 * UTF-8 chunks to write one after another.
 */
function spliceField(objectJson: string, field: string, valueChunks: Uint8Array[]): Uint8Array[] {
  const marker = `${JSON.stringify(field)}:null`;
  // The first occurrence is the field: earlier values are strings, whose quotes JSON escapes.
  const at = objectJson.indexOf(marker);
  return [
    encoder.encode(`${objectJson.slice(0, at)}${JSON.stringify(field)}:`),
    ...valueChunks,
    encoder.encode(objectJson.slice(at + marker.length)),
  ];
}

/** What writing a snapshot in parts needs to know of one of its comments (storage/threads.ts). */
export interface ShownPiece {
  id: string;
  parentId: string | null;
  createdAt: string;
  pinned?: true;
  /** Shown as a blank placeholder, for a reply below it. */
  placeholder?: true;
}

/**
 * A snapshot joined from pieces: its fields but `sources` and `comments`, and those two as JSON lines (PIECES): the
 * comments as runs of UTF-8 lines, to be joined by PIECES, and how many each run holds; the sources and what a split
 * snapshot's parts say of each comment either per run (`facts`, when every run has them) or worked out when asked.
 */
export interface JoinedSnapshot {
  fields: Record<string, unknown>;
  runs: Uint8Array[];
  counts: number[];
  /** Each run's facts, when every run has them: its comments all shown as themselves, the runs oldest first. */
  facts?: RunFacts[];
  /** The sources lines, joined by PIECES, and each shown comment, oldest first (made at the first call). */
  pieces(): { sources: string; shown: ShownPiece[] };
}

/** What publishing a prebuilt thread on a page that has nothing else writes: the snapshot's text and its figures. */
export interface PublishedThread {
  /** The imported document's JSON (`ImportedThread`), UTF-8, in chunks to be written one after another (not joined). */
  document: Uint8Array[];
  /** The snapshot, exactly as the rebuild would build it from the document (storage/threads.ts lays it out). */
  snapshot: JoinedSnapshot;
  /** How many comments are shown as themselves, and the count key's metadata (domain/comment-activity.ts). */
  total: number;
  countMetadata: CountKeyMetadata;
}

/** The thread's runs' facts, when each run has them and the runs are oldest first: the snapshot lists them as they are. */
function factsInOrder(thread: PrebuiltThread): RunFacts[] | null {
  const facts = thread.facts;
  if (facts === undefined || facts.length !== thread.shown.length || facts.length === 0) return null;
  for (let i = 0; i < facts.length; i++) {
    const run = facts[i];
    if (run === null || run === undefined || (i > 0 && facts[i - 1]!.last >= run.first)) return null;
  }
  return facts as RunFacts[];
}

/**
 * The imported document and the snapshot of a page whose only comments are `thread`'s (its first import, no reader
 * comment, so no owner decision either), joined from the pieces: what `buildSnapshot` makes of them, with no
 * comment parsed or mapped again. `closed`: the page is closed (by this import or before it). When every run has its
 * facts (each part worked them out when it was staged), nothing here is done per comment.
 */
export function publishPrebuilt(thread: PrebuiltThread, now: Date, closed: boolean, run?: string): PublishedThread {
  const updatedAt = now.toISOString();
  const document = documentOf(thread, updatedAt, commentCount(thread), thread.stored, run);

  // Read only off the facts' path: a post read with facts makes its entries only when asked for.
  const entriesOfThread = () => thread.entries;
  const facts = factsInOrder(thread);
  let order: number[];
  let runs: Uint8Array[];
  let counts: number[];
  if (facts !== null) {
    // Every comment shown as itself, oldest first, run after run: the runs as they are, no piece split or copied.
    order = [];
    runs = thread.shown;
    counts = thread.shownCounts;
  } else {
    ({ order, runs, counts } = shownOrder(thread));
  }
  const total = facts !== null ? commentCount(thread) : entriesOfThread().filter((entry) => entry.visible).length;

  const fields = snapshotFieldsOf(thread, total, updatedAt, closed);
  // pageLinkOf: every comment carries the thread's address; it counts once one of them is shown.
  const link = thread.pageUrl !== undefined && total > 0 ? 0 : null;

  let pieces: { sources: string; shown: ShownPiece[] } | undefined;
  const piecesOfThread = () => {
    const entries = entriesOfThread();
    return (pieces ??= {
      sources: sourceLines(entries, link),
      shown: shownPieces(entries, facts !== null ? entries.map((_, k) => k) : order),
    });
  };
  const countMetadataOfThread =
    facts !== null
      ? countMetadataOf(total, [], facts, now.getTime())
      : countMetadata(
          {
            total,
            comments: order.map((k) => {
              const entry = entriesOfThread()[k]!;
              return entry.visible ? { createdAt: entry.createdAt } : { createdAt: entry.createdAt, deleted: true };
            }),
          },
          now.getTime(),
        );
  const snapshot: JoinedSnapshot = { fields, runs, counts, pieces: piecesOfThread };
  if (facts !== null) snapshot.facts = facts;
  return { document, snapshot, total, countMetadata: countMetadataOfThread };
}

/**
 * The imported document `publishPrebuilt` writes (`ImportedThread`) as UTF-8 chunks, its comments `stored` (runs of
 * stored comments, joined by commas): the post's own fields, when (`updatedAt`) and by which import run it was
 * written, with `added` comments. `parts`: a split document's head (storage/imported-threads.ts), its parts' keys'
 * last segments after its fields, so that with the parts' comments in place of its own it is the whole one's bytes.
 */
export function documentOf(
  post: Pick<PrebuiltHeader, 'pageId' | 'pageUrl' | 'title'>,
  updatedAt: string,
  added: number,
  stored: readonly Uint8Array[],
  run?: string,
  parts?: readonly string[],
): Uint8Array[] {
  const documentFields: Record<string, unknown> = { pageId: post.pageId, updatedAt };
  // Before the comments: a document is recognised from its head (import-run.ts isPublishedAlone).
  if (run !== undefined) documentFields.importRun = { id: run, added };
  documentFields.comments = null;
  if (post.pageUrl !== undefined) documentFields.pageUrl = post.pageUrl;
  if (post.title !== undefined) documentFields.title = post.title;
  if (parts !== undefined) documentFields.parts = parts;
  return spliceField(JSON.stringify(documentFields), 'comments', [
    encoder.encode('['),
    ...joinRuns(stored, COMMA),
    encoder.encode(']'),
  ]);
}

/** The fields of the snapshot `publishPrebuilt` writes (its `JoinedSnapshot.fields`) for a post of `total` shown. */
export function snapshotFieldsOf(
  post: Pick<PrebuiltHeader, 'pageId' | 'pageUrl'>,
  total: number,
  updatedAt: string,
  closed: boolean,
): Record<string, unknown> {
  const fields: Record<string, unknown> = { pageId: post.pageId, total, builtAt: updatedAt };
  // pageLinkOf: every comment carries the thread's address; it counts once one of them is shown.
  const link = post.pageUrl !== undefined && total > 0;
  if (link) fields.pageUrl = post.pageUrl;
  if (closed) fields.closed = true;
  fields.importedAt = updatedAt;
  if (link) fields.links = [post.pageUrl];
  return fields;
}

/**
 * As buildSnapshot orders a thread's comments: oldest first by id; a comment not visible shows as a placeholder while
 * a reply below it shows. The places of those shown, and the shown runs that hold them in that order.
 */
function shownOrder(thread: PrebuiltThread): { order: number[]; runs: Uint8Array[]; counts: number[] } {
  const entries = thread.entries;
  // Replies by parent, made only when a comment is not visible itself (usually none is: thousands of entries saved).
  let children: Map<string, number[]> | undefined;
  const childrenOf = (id: string): number[] => {
    if (children === undefined) {
      children = new Map();
      entries.forEach((entry, k) => {
        if (entry.parentId === null) return;
        const siblings = children!.get(entry.parentId);
        if (siblings === undefined) children!.set(entry.parentId, [k]);
        else siblings.push(k);
      });
    }
    return children.get(id) ?? [];
  };
  const shownMemo = new Map<number, boolean>();
  const isShown = (k: number): boolean => {
    if (entries[k]!.visible) return true;
    const known = shownMemo.get(k);
    if (known !== undefined) return known;
    shownMemo.set(k, false);
    const result = childrenOf(entries[k]!.id).some(isShown);
    shownMemo.set(k, result);
    return result;
  };
  const order = entries.map((_, k) => k).filter(isShown);
  const inOrder = order.every((k, i) => i === 0 || entries[order[i - 1]!]!.id < entries[k]!.id);
  if (inOrder && order.length === entries.length) {
    // Every comment shown and listed oldest first: the runs as they are, no piece split or copied.
    return { order, runs: thread.shown, counts: thread.shownCounts };
  }
  const pieces = thread.shown.flatMap((run) => itemsOf(run));
  if (!inOrder) order.sort((a, b) => (entries[a]!.id < entries[b]!.id ? -1 : 1));
  return { order, runs: order.map((k) => pieces[k]!), counts: order.map(() => 1) };
}

/** What a split snapshot's parts say of each shown comment, in `order`. */
function shownPieces(entries: readonly PrebuiltEntry[], order: readonly number[]): ShownPiece[] {
  return order.map((k): ShownPiece => {
    const { id, parentId, createdAt, pinned, visible } = entries[k]!;
    const piece: ShownPiece = { id, parentId, createdAt };
    if (pinned === true) piece.pinned = true;
    if (!visible) piece.placeholder = true;
    return piece;
  });
}

/** As the rebuild keeps them (domain/thread.ts SnapshotSource): every comment, in id order, none decided on yet. */
function sourceLines(entries: readonly PrebuiltEntry[], link: 0 | null): string {
  const version = `${IMPORTED_VERSION}/`;
  const sourceOrder = entries.map((_, k) => k);
  if (!sourceOrder.every((k) => k === 0 || entries[k - 1]!.id < entries[k]!.id)) {
    sourceOrder.sort((a, b) => (entries[a]!.id < entries[b]!.id ? -1 : 1));
  }
  return sourceOrder
    .map((k) => {
      const entry = entries[k]!;
      return JSON.stringify(
        entry.visible
          ? [entry.id, version, link, entry.parentId, entry.createdAt]
          : [entry.id, version, 'hidden', entry.parentId, entry.createdAt],
      );
    })
    .join(PIECE_SEPARATOR);
}
