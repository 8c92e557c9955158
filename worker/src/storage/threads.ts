/** Page snapshots and counts: the aggregates readers get, one KV value per page each. */
import { storedCountMetadata, type CountKeyMetadata } from '../domain/comment-activity.js';
import { holdsAt, indexOfBytes, itemsOf } from '../domain/bytes.js';
import { COMMENT_ID_LENGTH } from '../domain/comment-id.js';
import { bodyFingerprint, DUPLICATE_WINDOW_MS, FINGERPRINT_LENGTH } from '../domain/duplicates.js';
import { concatBytes, joinRuns, PIECES, type JoinedSnapshot, type RunFacts } from '../domain/prebuilt-thread.js';
import type { PublicComment, ThreadResponse } from '@sala/protocol';
import {
  emptySnapshot,
  KeptComment,
  pageOfPlaces,
  pageResponse,
  partSummary,
  threadPage,
  type CarriedPart,
  type PartSummary,
  type RebuiltSnapshot,
  type SnapshotSource,
  type ThreadPlaces,
  type ThreadQuery,
  type ThreadSnapshot,
} from '../domain/thread.js';
import { IsolateCache } from './isolate-cache.js';
import { countKey, threadKey, threadPartKey, type PageRef } from './keys.js';
import { isolateState, onIsolateReset } from '../domain/isolate-state.js';

/** How long readers of this isolate are served a snapshot or count read from KV before it is read again. */
export const READER_CACHE_MS = 5_000;

/**
 * How a big thread's snapshot is split (worker/README.md "What a change on a big thread costs"). A snapshot is one
 * KV value, its head, until its comments' JSON passes `tailChars`; then its oldest comments are sealed into parts
 * of about `partChars` each, every part a value of its own that is never rewritten: a change writes the head and
 * at most the part its comment is in, under a new key. A thread of 1,000 comments (0.9 MB) becomes a head of about
 * 0.2 MB (its fields, every comment's source, its newest comments) and a dozen parts. Mutable for the tests, which
 * split threads of a few dozen comments, and for the startup warm-up's big thread (warm.ts), which puts it back.
 */
export const SNAPSHOT_SPLIT = {
  /** A part is cut once its comments' JSON reaches this many characters. */
  partChars: 64 * 1024,
  /** A snapshot is split once its comments' JSON passes this many characters (then `partChars` seals the newest). */
  tailChars: 128 * 1024,
  /**
   * A part no head names any more is deleted by the page's first rebuild this long after: KV may serve a head up to
   * 60 s old, and a reader of one must still find its parts.
   */
  retireMs: 10 * 60_000,
};

/**
 * One part of a split snapshot as its head lists it: the comments whose ids are after the previous part's `last`
 * and up to its own, in id order. The head's sources say which of those are shown; `placeholders` and `pinned` say
 * the rest of what paging needs, so a reader pages a split thread from its head alone. Its summary (`digest` and
 * the rest of `PartSummary`, made from its sources) lets a rebuild that has not read its sources carry it over;
 * absent in heads written before it, whose next write adds it.
 */
interface PartRef extends Partial<PartSummary> {
  /** Its key's last segment (`threadPartKey`): new for every part written. */
  id: string;
  /** The comments (placeholders included) in it. */
  count: number;
  last: string;
  /** The length of its text. */
  chars: number;
  /** Hidden comments shown in it as placeholders, kept for a reply that is shown. */
  placeholders?: string[];
  pinned?: string[];
  /** Its shown comments' `bodyFingerprint`s, joined: the duplicate check of a new comment reads these, not the part. */
  bodies?: string;
  /**
   * The key's last segment of the value holding the sources of every stored comment in its range (shown or not),
   * one per line: they stay out of the head every change reads and writes. Never rewritten, like a part. Absent in
   * heads written before it, whose `sources` hold every comment's; their next write moves them out.
   */
  sources?: string;
}

/** What the duplicate check of a new comment reads of its thread: comments, and fingerprints of more comments. */
export interface RecentComments {
  comments: readonly PublicComment[];
  fingerprints: readonly string[];
}

/** A part no head names any more since `at`, deleted once no reader's head can name it. */
interface RetiredPart {
  id: string;
  at: string;
}

/**
 * A head's own fields: a split snapshot's also list its parts, the parts waiting to be deleted, and `ownBodies`: the
 * `bodyFingerprint` of each of its own comments, in their order, `FINGERPRINT_LENGTH` characters each (spaces for a
 * placeholder or a text never a duplicate). From them the duplicate check of a new comment reads the head's own
 * comments without parsing them, and the change that seals them into a part, in an isolate that did not write the
 * head, hashes none of their texts (about 80 at 64 KiB, 4 ms of a first run). Absent in heads written before it
 * (and in an import's, `writeJoined`): the next write adds it.
 */
type HeadFields = Omit<ThreadSnapshot, 'comments' | 'sources'> & {
  parts?: PartRef[];
  retired?: RetiredPart[];
  ownBodies?: string;
};

/** `head` without what only a head holds (its parts, retired parts and `ownBodies`): what a reader's snapshot has. */
function withoutHeadOnly<T extends HeadFields>(head: T): Omit<T, 'parts' | 'retired' | 'ownBodies'> {
  const { parts: _parts, retired: _retired, ownBodies: _ownBodies, ...fields } = head;
  return fields;
}

/** What `ownBodies` holds for a comment without a fingerprint. */
const NO_FINGERPRINT = ' '.repeat(FINGERPRINT_LENGTH);

/** The fingerprints of `ownBodies`, one per comment; null when it is absent or not of `count` comments. */
function ownFingerprints(ownBodies: string | undefined, count: number): string[] | null {
  if (ownBodies?.length !== count * FINGERPRINT_LENGTH) return null;
  const fingerprints: string[] = [];
  for (let at = 0; at < ownBodies.length; at += FINGERPRINT_LENGTH) {
    const fingerprint = ownBodies.slice(at, at + FINGERPRINT_LENGTH);
    fingerprints.push(fingerprint === NO_FINGERPRINT ? '' : fingerprint);
  }
  return fingerprints;
}

/**
 * How a snapshot the rebuild read or wrote was split: its parts and, for each, the comments of the snapshot in it
 * and the sources its `sources` value holds (undefined for a part whose sources were in its head).
 */
interface Split {
  parts: PartRef[];
  members: readonly (PublicComment | KeptComment)[][];
  /**
   * Filled in as the rebuild reads them (`ThreadStore.readPartSources`): undefined for a part whose sources this
   * isolate has not read, which has a summary (`PartRef.digest`), or whose sources were in its head (no `sources`).
   */
  sources: (readonly SnapshotSource[] | undefined)[];
  /** Each part's line of the head's `index` (`pagingIndex`, as JSON), undefined where the head has none. */
  indexes: readonly (string | undefined)[];
  retired: RetiredPart[];
}

/** A part's summary, when its head has one. */
function summaryOf(part: PartRef): PartSummary | undefined {
  return part.digest === undefined ? undefined : (part as PartSummary);
}

/**
 * The parts of a split snapshot the rebuild read or wrote here, each as `CarriedPart` holds it with the id of its
 * last comment (its sources undefined where this isolate has not read them: `ThreadStore.readPartSources`), and the
 * head's own comments after them as one more; null for a snapshot kept whole, or one with a part whose sources this
 * isolate has not read and which has no summary (a head of the layout before, or one parsed whole): its rebuild
 * makes an entry for every comment.
 */
export function partsOfSnapshot(
  snapshot: RebuiltSnapshot,
): { parts: (CarriedPart & { last: string })[]; tail: CarriedPart & { sources: readonly SnapshotSource[] } } | null {
  const split = splits.get(snapshot);
  if (split === undefined || split.parts.length === 0) return null;
  const { parts, members, sources } = split;
  if (parts.some((part, n) => sources[n] === undefined && (part.sources === undefined || part.digest === undefined))) {
    return null;
  }
  const all = snapshot.sources ?? [];
  const last = parts.at(-1)!.last;
  // The snapshot's sources are in id order, those of parts not read left out: the head's own are after the last part.
  let low = 0;
  let high = all.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (all[middle]![0] <= last) low = middle + 1;
    else high = middle;
  }
  const parted = members.reduce((sum, own) => sum + own.length, 0);
  return {
    parts: parts.map((part, n) => {
      const carried: CarriedPart & { last: string } = { last: part.last, members: members[n]!, sources: sources[n] };
      const summary = summaryOf(part);
      if (summary !== undefined) carried.summary = summary;
      return carried;
    }),
    tail: { members: snapshot.comments.slice(parted), sources: all.slice(low) },
  };
}

/** A part of a split snapshot was not in KV (deleted early, or never written): the snapshot is rebuilt whole. */
export class MissingPart extends Error {}

/**
 * A snapshot this isolate wrote with comments kept as JSON (`KeptComment`): its text, parsed by its first reader,
 * who also hands each kept comment its parsed form, so the rebuilds after it write parsed snapshots again.
 */
class WrittenText {
  #parsed: ThreadSnapshot | undefined;
  constructor(
    readonly text: string,
    readonly snapshot: RebuiltSnapshot,
  ) {}

  get parsed(): ThreadSnapshot {
    if (this.#parsed !== undefined) return this.#parsed;
    const parsed = readerSnapshot(this.text);
    const written = this.snapshot.comments;
    if (parsed.comments.length === written.length) {
      parsed.comments.forEach((comment, i) => {
        const kept = written[i];
        // A snapshot this isolate wrote whole has every comment's JSON.
        if (kept instanceof KeptComment && kept.id === comment.id && kept.json !== undefined) {
          remember(comment, kept.json);
          kept.parsed = comment;
        }
      });
    }
    this.#parsed = parsed;
    return parsed;
  }
}

/** Snapshots by KV key, sized by their JSON's length: a 1,000-comment thread is about 0.9 MB of 128 MB. */
const snapshots = isolateState(
  new IsolateCache<ThreadSnapshot | WrittenText | ServedLazily | null>(READER_CACHE_MS, 8 * 1024 * 1024),
);
const counted = isolateState(new IsolateCache<number>(READER_CACHE_MS, 100_000));
/**
 * The snapshots this isolate last wrote or read for the rebuild, with their text: a read that finds the same text
 * in KV takes the object instead of parsing it again (about 1.5 ms for a 1,000-comment thread). The text is the
 * check, so these never go stale; they are only forgotten, oldest use first.
 */
const rebuildCopies = isolateState(
  new IsolateCache<{ text: string; snapshot: RebuiltSnapshot; parsed: ThreadSnapshot | null }>(
    Number.POSITIVE_INFINITY,
    8 * 1024 * 1024,
  ),
);
/**
 * The head a new comment's screening read last (`readRecent`), taken by its rebuild moments later (`readForRebuild`)
 * instead of reading it from KV again: one new comment reads its page's head once. Taken once, within
 * `SCREENED_HEAD_MS`, and only while this isolate holds no copy of the page's snapshot (a rebuild here since may have
 * written a newer one); one at a time, so a refused comment leaves at most one head behind.
 */
let screenedHead: { key: string; bytes: Uint8Array; at: number } | null = null;
onIsolateReset(() => {
  screenedHead = null;
});
/**
 * Whether the head a new comment's screening read last (`readRecent`: from KV, from the readers' copy, or none) was
 * a big thread's, for `rebuildFitsBeside` moments later; within `SCREENED_HEAD_MS`.
 */
let screenedBig: { key: string; big: boolean; at: number } | null = null;
onIsolateReset(() => {
  screenedBig = null;
});
/** How long a screened head stays usable: a request's rebuild starts when its response is sent. */
const SCREENED_HEAD_MS = 2_000;

/** The text of `key`'s screened head if its rebuild may take it (see `screenedHead`), which it then no longer holds. */
function takeScreenedHead(key: string, now: number): string | null {
  const head = screenedHead;
  if (head === null || head.key !== key) return null;
  screenedHead = null;
  if (now - head.at > SCREENED_HEAD_MS || rebuildCopies.get(key, now) !== undefined) return null;
  return decoder.decode(head.bytes);
}
/**
 * A thread of `comments` visible comments or more is taken as split in parts (`SNAPSHOT_SPLIT`) when its head is not
 * at hand (`rebuildFitsBeside`): about where the bench's comments, 350 characters of JSON each, pass `tailChars`.
 * Mutable for the tests, as `SNAPSHOT_SPLIT`.
 */
export const BIG_THREAD = { comments: 200 };

/** Whether a head's bytes are a split snapshot's (its parts' paging indexes), or past the size one is split at. */
function splitHead(bytes: Uint8Array): boolean {
  return bytes.length > SNAPSHOT_SPLIT.tailChars || (layoutOf(bytes)?.index ?? null) !== null;
}
/** The comments' lines of each snapshot part read or written here: a part's key never changes value. */
const partLines = isolateState(new IsolateCache<string[]>(Number.POSITIVE_INFINITY, 8 * 1024 * 1024));
/** The sources of each part read or written here (`PartRef.sources`). */
const partSourceLists = isolateState(new IsolateCache<SnapshotSource[]>(Number.POSITIVE_INFINITY, 4 * 1024 * 1024));
/** How each split snapshot the rebuild read or wrote here was split, for the write that follows it. */
const splits = new WeakMap<RebuiltSnapshot, Split>();

/**
 * Each public comment's and each source's JSON as written in a snapshot, kept on the object under a symbol (not
 * enumerable: JSON, spreads and comparisons do not see it). The rebuild carries unchanged comments over as the same
 * objects (never changed once made), so writing a snapshot serialises only what changed. Not a WeakMap: thousands
 * of entries made per rebuild cost more to add and to collect than the serialising they save.
 */
const JSON_TEXT = Symbol('json');

function remember(value: object, json: string): void {
  // Writable: a comment carried into another text takes its line from that text (`sameComment`).
  Object.defineProperty(value, JSON_TEXT, { value: json, writable: true });
}

/** The JSON this isolate knows for a comment or source, without serialising it: undefined when it has none. */
function knownJsonOf(value: object): string | undefined {
  return value instanceof KeptComment ? value.json : (value as { [JSON_TEXT]?: string })[JSON_TEXT];
}

/** The JSON of a comment or source as a snapshot has it: for a comment kept as JSON, that JSON. */
export function jsonOf(value: object): string {
  const known = knownJsonOf(value);
  if (known !== undefined) return known;
  if (value instanceof KeptComment) throw new Error(`comment ${value.id} is in a part that was not read`);
  const json = JSON.stringify(value);
  remember(value, json);
  return json;
}

/**
 * Whether two comments of snapshots are written alike: the same entry (`sameEntry`), or the same JSON. A comment
 * left unread in a snapshot's part is not known to be otherwise (a rebuild that cannot tell writes the snapshot: the
 * part is kept when its lines did not change).
 */
export function sameJson(a: PublicComment | KeptComment, b: PublicComment | KeptComment): boolean {
  const unread = (comment: object) => comment instanceof KeptComment && comment.json === undefined;
  return sameEntry(a, b) || (!unread(a) && !unread(b) && jsonOf(a) === jsonOf(b));
}

/**
 * A snapshot's sources and comments are its last two members, one item per line. JSON puts no raw line break
 * inside a value, so a snapshot read from KV splits into its items' JSON without a parser of its own.
 */
const SOURCES_START = '"sources":[\n';
/**
 * A split snapshot whose parts keep their own sources has, between its fields and its sources, each part's paging
 * index (`pagingIndex`), one per line: readers page from them, and nothing else parses them.
 */
const INDEX_START = '"index":[\n';
const INDEX_END = `\n],${SOURCES_START}`;
const COMMENTS_START = '\n],"comments":[\n';
const END = '\n]}';

/**
 * `JSON.stringify` of a snapshot's fields, sources and comments (a split snapshot's head: its own comments only),
 * laid out one source and one comment per line, each item's JSON made once.
 */
function snapshotText(
  fields: HeadFields,
  indexes: readonly string[] | null,
  sources: readonly SnapshotSource[],
  comments: readonly (PublicComment | KeptComment)[],
): string {
  const { parts, ...own } = fields;
  let text = JSON.stringify(own).slice(0, -1);
  // Each part's entry as made once: a part kept is the same object from write to write.
  if (parts !== undefined) text += `,"parts":[${parts.map(jsonOf).join(',')}]`;
  text += indexes === null ? `,${SOURCES_START}` : `,${INDEX_START}${indexes.join(',\n')}${INDEX_END}`;
  sources.forEach((source, i) => {
    text += i === 0 ? jsonOf(source) : `,\n${jsonOf(source)}`;
  });
  text += COMMENTS_START;
  comments.forEach((comment, i) => {
    text += i === 0 ? jsonOf(comment) : `,\n${jsonOf(comment)}`;
  });
  return text + END;
}

/** Remembers each item's JSON from the lines of its section of the text, when they match the parsed items. */
function rememberLines(items: readonly object[], section: string): void {
  if (items.length === 0) return;
  const lines = section.split(',\n');
  if (lines.length !== items.length) return;
  items.forEach((item, i) => remember(item, lines[i]!));
}

/**
 * The snapshot in `text`, each source's and comment's JSON remembered from the text it was parsed from: a rebuild
 * in an isolate that did not write the snapshot then serialises only what changed.
 */
function parseSnapshot(text: string): ThreadSnapshot {
  const snapshot = JSON.parse(text) as ThreadSnapshot;
  const sourcesAt = text.indexOf(SOURCES_START);
  const commentsAt = text.indexOf(COMMENTS_START);
  if (sourcesAt === -1 || commentsAt < sourcesAt || !text.endsWith(END)) return snapshot; // an older layout
  rememberLines(snapshot.sources ?? [], text.slice(sourcesAt + SOURCES_START.length, commentsAt));
  rememberLines(snapshot.comments, text.slice(commentsAt + COMMENTS_START.length, text.length - END.length));
  return snapshot;
}

/**
 * `comment`, whose JSON is `line`, as a comment of the text `line` was cut from: its JSON is then that line, so no
 * older text stays alive through it (a line cut from a text keeps the whole text, 0.9 MB for 1,000 comments).
 */
function sameComment(comment: PublicComment | KeptComment, line: string): PublicComment | KeptComment {
  if (!(comment instanceof KeptComment)) {
    remember(comment, line);
    return comment;
  }
  const { id, parentId, createdAt, deleted, parsed } = comment;
  const kept = new KeptComment(id, parentId, createdAt, line, deleted);
  if (parsed !== undefined) {
    remember(parsed, line);
    kept.parsed = parsed;
  }
  return kept;
}

/**
 * The comments of a split snapshot's parts, found from its head alone: for each part in turn, the sources in its
 * range that are shown, as themselves or as a placeholder the part lists, each handed to `visit` with the part's
 * index. Returns the index of the first source after the parts (the head's own comments'); null when a part does
 * not hold as many as it says, or a source has no parent and time (not a head this code wrote).
 */
function walkParts(
  parts: readonly PartRef[],
  sources: readonly SnapshotSource[],
  visit: (source: SnapshotSource & { length: 5 }, part: number, placeholder: boolean) => void,
): number | null {
  let s = 0;
  for (const [n, part] of parts.entries()) {
    const placeholders = new Set(part.placeholders);
    let count = 0;
    for (; s < sources.length && sources[s]![0] <= part.last; s++) {
      const source = sources[s]!;
      if (source.length !== 5) return null;
      const placeholder = source[2] === 'hidden';
      if (placeholder && !placeholders.has(source[0])) continue;
      visit(source, n, placeholder);
      count += 1;
    }
    if (count !== part.count) return null;
  }
  return s;
}

/**
 * Whether parts' paging indexes are written in their short form (`pagingIndex`); read in either form. Off in this
 * release: the release before reads a short index as not its own and parses the head whole, which is safe for its
 * readers, but its rebuild then wrote a head no reader parses (the two lists of `readForRebuild`, one array until
 * this release). The release after this one writes it, once no Worker of the one before runs. Mutable for the tests.
 */
export const PAGING_INDEX = { short: false };

/**
 * The first entry of a paging index in its short form (`pagingIndex`). The release before reads an index as one
 * entry per comment, so it finds a part holding one more than its head says and reads the thread whole (every part)
 * instead of paging from the head: slower, never wrong.
 */
const SHORT_INDEX = '~';

/**
 * A part's paging index, in id order: `~`, then for each comment, how many of its id's first characters are the
 * previous one's (one base-36 digit: the ids of a part share their time's first characters) and the rest of it;
 * for a reply, a dot and how many places back its parent is in the part (base 36), or a colon and the parent's id
 * when it is not in the part; joined by commas (an id holds none of these). A reader pages a split thread from these
 * and its head's own comments, without the parts' sources. Indexes written before the short form (each id whole, a
 * reply's parent's id after a colon) are read as they are (`addIndexed`), and written so while `PAGING_INDEX` says,
 * or when an id is of another length.
 */
function pagingIndex(comments: readonly { id: string; parentId: string | null }[]): string {
  if (!PAGING_INDEX.short || comments.some(({ id }) => id.length !== COMMENT_ID_LENGTH)) {
    return comments.map(({ id, parentId }) => (parentId === null ? id : `${id}:${parentId}`)).join(',');
  }
  const places = new Map<string, number>();
  let previous = '';
  let index = SHORT_INDEX;
  comments.forEach(({ id, parentId }, n) => {
    let shared = 0;
    while (shared < COMMENT_ID_LENGTH - 1 && id.charCodeAt(shared) === previous.charCodeAt(shared)) shared++;
    index += `,${shared.toString(36)}${id.slice(shared)}`;
    if (parentId !== null) {
      const place = places.get(parentId);
      index += place === undefined ? `:${parentId}` : `.${(n - place).toString(36)}`;
    }
    places.set(id, n);
    previous = id;
  });
  return index;
}

/** Whether every part of a head keeps its sources in a value of its own (else the head holds them all). */
function sourcesApart(parts: readonly PartRef[]): boolean {
  return parts.length > 0 && parts.every((part) => part.sources !== undefined);
}

/**
 * Fills `members` with the comments of each part of a head whose parts keep their own sources: from those sources
 * where they were read (`partSources`), else from the part's line of the head's paging indexes (`index`: its text,
 * and that text cut in lines, each as JSON), which has each comment's id and parent but not its time (the part's
 * summary counts its activity). No id is made by joining pieces: short lines are read as readers read them
 * (`addIndexed`), each id then a slice of one text; a line in the form before holds its ids whole, slices of it.
 * False when a part does not hold as many as it says, its line is not as `pagingIndex` writes it, or its sources
 * are not of its range or have no parent and time.
 */
function membersApart(
  parts: readonly PartRef[],
  partSources: readonly (readonly SnapshotSource[] | undefined)[],
  index: { text: string; lines: readonly string[] } | null,
  members: (PublicComment | KeptComment)[][],
): boolean {
  const fromIndex = (n: number) => partSources[n] === undefined;
  if (parts.some((_, n) => fromIndex(n)) && index?.lines.length !== parts.length) return false;
  const short = (n: number) => fromIndex(n) && index!.lines[n]!.startsWith(`"${SHORT_INDEX}`);
  const shortCount = parts.reduce((sum, part, n) => (short(n) ? sum + part.count : sum), 0);
  const places = new HeadPlaces(shortCount, index?.text);
  if (shortCount > 0) {
    const bytes = encoder.encode(index!.text);
    // ASCII as `pagingIndex` writes it, so each byte is the character at its place in the text.
    if (bytes.length !== index!.text.length || !addIndexed(places, parts, bytes, 0, bytes.length, short)) return false;
  }
  let place = 0;
  for (const [n, part] of parts.entries()) {
    const placeholders = new Set(part.placeholders);
    const placeholder = (id: string) => (placeholders.size > 0 && placeholders.has(id) ? true : undefined);
    const own = partSources[n];
    const into = members[n]!;
    if (short(n)) {
      for (const end = place + part.count; place < end; place++) {
        const id = places.idAt(place);
        into.push(new KeptComment(id, places.parentIdAt(place), '', undefined, placeholder(id)));
      }
    } else if (own === undefined) {
      const line = JSON.parse(index!.lines[n]!) as unknown;
      if (typeof line !== 'string') return false;
      for (const entry of line === '' ? [] : line.split(',')) {
        const colon = entry.indexOf(':');
        const id = colon === -1 ? entry : entry.slice(0, colon);
        into.push(new KeptComment(id, colon === -1 ? null : entry.slice(colon + 1), '', undefined, placeholder(id)));
      }
    } else {
      const from = n === 0 ? '' : parts[n - 1]!.last;
      for (const source of own) {
        if (source.length !== 5 || source[0] <= from || source[0] > part.last) return false;
        const hidden = source[2] === 'hidden';
        if (hidden && !placeholders.has(source[0])) continue;
        into.push(new KeptComment(source[0], source[3], source[4], undefined, hidden ? true : undefined));
      }
    }
    if (into.length !== part.count) return false;
  }
  return true;
}

/**
 * The snapshot in `text` as the rebuild needs it, parsing only its fields and sources: each comment is kept as its
 * line of JSON (`KeptComment`), with its parent and time from its source; a split snapshot's parted comments are
 * kept without their JSON, which stays unread in their parts unless the write needs it. Null when `text` is not in
 * the layout `snapshotText` writes or its lines are not as its sources say (an older snapshot): parse it whole.
 *
 * A comment whose line is the very JSON of a comment of `earlier` (this isolate's last copy of the page, when
 * another isolate wrote since) is that comment instead: the same public comment, and once a reader parsed it here,
 * parsed. So the snapshot rebuilt from it is parsed too, and readers of this isolate get it without parsing it
 * (about 1.5 ms and a 0.9 MB copy for a 1,000-comment thread, each time another isolate wrote the page). So are the
 * comments of a part `earlier` had too.
 */
function keptSnapshot(
  text: string,
  head: HeadFields,
  earlier: RebuiltSnapshot | undefined,
  partSources: readonly (SnapshotSource[] | undefined)[] | null,
): { snapshot: RebuiltSnapshot; split: Split | null } | null {
  const sourcesAt = text.indexOf(SOURCES_START);
  const commentsAt = sourcesAt === -1 ? -1 : text.indexOf(COMMENTS_START, sourcesAt);
  if (commentsAt === -1 || !text.endsWith(END)) return null;
  const { parts, retired = [], ownBodies, ...fields } = head;
  const index = sectionsOf(text)?.index;
  const indexText = index === undefined || index === null ? null : text.slice(...index);
  // Each part's line of the head's `index` (`pagingIndex`, as JSON); null when it has none.
  const indexes = indexText === null ? null : indexText === '' ? [] : indexText.split(',\n');
  // The array as it is in the text: V8 parses a slice of a string far faster than one joined from pieces.
  const own = JSON.parse(text.slice(sourcesAt + SOURCES_START.length - 2, commentsAt + 2)) as SnapshotSource[];
  if (!Array.isArray(own)) return null;
  rememberLines(own, text.slice(sourcesAt + SOURCES_START.length, commentsAt));
  const sources = partSources === null ? own : partSources.flatMap((part) => part ?? []).concat(own);
  const commentLines = text.slice(commentsAt + COMMENTS_START.length, text.length - END.length);
  const lines = commentLines === '' ? [] : commentLines.split(',\n');

  const comments: (PublicComment | KeptComment)[] = [];
  let split: Split | null = null;
  let tailFrom = 0;
  if (parts !== undefined) {
    const members: (PublicComment | KeptComment)[][] = parts.map(() => []);
    const after =
      partSources === null
        ? walkParts(parts, sources, (source, n, placeholder) => {
            const [id, , , parentId, createdAt] = source;
            members[n]!.push(new KeptComment(id, parentId, createdAt, undefined, placeholder ? true : undefined));
          })
        : membersApart(parts, partSources, indexText === null ? null : { text: indexText, lines: indexes! }, members) &&
            (own[0]?.[0] ?? '~') > parts.at(-1)!.last
          ? sources.length - own.length
          : null;
    if (after === null) return null;
    // A part this isolate had in its last copy: the same comments, parsed here or with their JSON.
    const earlierSplit = earlier === undefined ? undefined : splits.get(earlier);
    parts.forEach((part, n) => {
      const at = earlierSplit?.parts.findIndex((known) => known.id === part.id) ?? -1;
      if (at >= 0 && earlierSplit!.members[at]!.length === part.count) members[n] = [...earlierSplit!.members[at]!];
      comments.push(...members[n]!);
    });
    split = {
      parts,
      members,
      sources: parts.map((_, n) => partSources?.[n]),
      indexes: parts.map((_, n) => (indexes?.length === parts.length ? indexes[n] : undefined)),
      retired,
    };
    tailFrom = after;
  }

  const parted = comments.length;
  const known = new Map<string, PublicComment | KeptComment>();
  for (const comment of earlier?.comments ?? []) known.set(comment.id, comment);
  // Each own comment's fingerprint as the head has it: the write that seals them hashes none of their texts.
  const fingerprints = ownFingerprints(ownBodies, lines.length);
  const printed = (comment: PublicComment | KeptComment, was?: PublicComment | KeptComment) => {
    const fingerprint = fingerprints?.[comments.length - parted] ?? (was && headFingerprints.get(was));
    if (fingerprint !== undefined) headFingerprints.set(comment, fingerprint);
  };
  for (const source of sources.slice(tailFrom)) {
    const [id] = source;
    const line = lines[comments.length - parted];
    const same = known.get(id);
    if (same !== undefined && line !== undefined && knownJsonOf(same) === line) {
      const comment = sameComment(same, line);
      printed(comment, same);
      comments.push(comment);
      continue;
    }
    // Every public comment and placeholder starts with its id (domain/stored-comment.ts).
    const its = line !== undefined && line.startsWith(`{"id":${JSON.stringify(id)},`);
    if (source[2] === 'hidden') {
      // Not shown as itself: a placeholder only while a reply below it is shown.
      if (!its) continue;
      const placeholder = new KeptComment(id, source[3], source[4], line, true);
      printed(placeholder);
      comments.push(placeholder);
    } else if (its && source.length === 5) {
      const comment = new KeptComment(id, source[3], source[4], line);
      printed(comment);
      comments.push(comment);
    } else return null;
  }
  if (comments.length - parted !== lines.length) return null;
  return { snapshot: { ...fields, sources, comments }, split };
}

/** Whether every comment of `snapshot` is parsed (none kept as JSON): what readers can be given. */
function isParsed(snapshot: RebuiltSnapshot): snapshot is ThreadSnapshot {
  return snapshot.comments.every((comment) => !(comment instanceof KeptComment));
}

/**
 * What a reader needs of the snapshot in `text`: all of it but the rebuild's own `sources`, which are left out of
 * the parse when the text is laid out as `snapshotText` writes it.
 */
function readerSnapshot(text: string): ThreadSnapshot {
  const sourcesAt = text.indexOf(SOURCES_START);
  const commentsAt = sourcesAt === -1 ? -1 : text.indexOf(COMMENTS_START, sourcesAt);
  if (commentsAt === -1 || !text.endsWith(END)) return JSON.parse(text) as ThreadSnapshot;
  // The comments' array as it is in the text: V8 parses a slice of a string far faster than one joined from pieces
  // (a 1,000-comment snapshot: about 0.9 ms against 3.5).
  const comments = JSON.parse(text.slice(commentsAt + COMMENTS_START.length - 2, text.length - 1)) as PublicComment[];
  return { ...fieldsOf(text), comments };
}

/**
 * Remembers each part's entry's JSON from the head's text it was parsed from, so a rebuild in an isolate that did not
 * write the head serialises only the entries that changed (a part's paging index and fingerprints are about 48
 * bytes a comment). An entry holds no brace but its own (ids, fingerprints and keys are letters and digits), so each
 * ends at the first `}` after its start; if any is not where it should be, none is remembered.
 */
function rememberParts(parts: readonly PartRef[], text: string): void {
  const start = text.indexOf('"parts":[{');
  if (start === -1) return;
  const found: string[] = [];
  let at = start + '"parts":['.length;
  for (const part of parts) {
    const end = text.indexOf('}', at);
    const json = text.slice(at, end + 1);
    if (end === -1 || !json.startsWith(`{"id":${JSON.stringify(part.id)},`)) return;
    found.push(json);
    at = end + 2;
  }
  if (text[at - 1] !== ']') return;
  parts.forEach((part, i) => remember(part, found[i]!));
}

/**
 * Where a snapshot's fields end (the comma before its `index` or `sources`) and its `index` lines are, in a text laid
 * out as `snapshotText` writes it: the first line break ends INDEX_START or SOURCES_START (the fields' JSON writes
 * none). Null when it ends neither.
 */
function sectionsOf(text: string): { fieldsEnd: number; index: [from: number, to: number] | null } | null {
  const from = text.indexOf('\n') + 1;
  if (from === 0) return null;
  if (text.startsWith(INDEX_START, from - INDEX_START.length)) {
    const to = text.indexOf(INDEX_END, from - 1);
    return to === -1 ? null : { fieldsEnd: from - INDEX_START.length - 1, index: [from, to] };
  }
  return text.startsWith(SOURCES_START, from - SOURCES_START.length)
    ? { fieldsEnd: from - SOURCES_START.length - 1, index: null }
    : null;
}

/** The fields before a snapshot's `index` or `sources` (its first items, then a comma). */
function fieldsOf(text: string): HeadFields {
  const sections = sectionsOf(text);
  return JSON.parse(`${text.slice(0, sections?.fieldsEnd ?? text.indexOf(SOURCES_START) - 1)}}`) as HeadFields;
}

/** The parts a snapshot's text names; undefined when it is whole (or laid out otherwise). */
function partsOf(text: string): PartRef[] | undefined {
  return text.indexOf(SOURCES_START) === -1 ? undefined : fieldsOf(text).parts;
}

/**
 * The text of a split snapshot's head joined with its parts' lines: the snapshot whole, laid out as `snapshotText`
 * lays out one that is not split, for the rebuild when the head is not as this code writes it.
 */
function wholeText(head: string, lines: readonly string[][]): string {
  const sourcesAt = head.indexOf(SOURCES_START);
  const commentsAt = head.indexOf(COMMENTS_START, sourcesAt);
  const fields = withoutHeadOnly(fieldsOf(head));
  const own = head.slice(commentsAt + COMMENTS_START.length, head.length - END.length);
  const all = lines.flat();
  if (own !== '') all.push(own);
  return `${JSON.stringify(fields).slice(0, -1)},${head.slice(sourcesAt, commentsAt + COMMENTS_START.length)}${all.join(',\n')}${END}`;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const SOURCES_START_BYTES = encoder.encode(SOURCES_START);
const INDEX_START_BYTES = encoder.encode(INDEX_START);
const INDEX_END_BYTES = encoder.encode(INDEX_END);
const COMMENTS_START_BYTES = encoder.encode(COMMENTS_START);
const END_BYTES = encoder.encode(END);
const QUOTE_BYTES = encoder.encode('"');
const COMMA = encoder.encode(',');
/** How a pinned comment's JSON ends: `toPublicComment` (domain/stored-comment.ts) adds `pinned` last. */
const PINNED_LINE_END = ',"pinned":true}';
const PINNED_END = encoder.encode(PINNED_LINE_END);

/** Where the parts of a snapshot laid out as `snapshotText` writes it are, in its UTF-8 bytes. */
interface Layout {
  /** Where the fields end: the comma after them (their JSON is the bytes before it, and a closing brace). */
  fieldsEnd: number;
  /** The `index` lines are [indexFrom, indexTo): their array opens two bytes before and closes one after. */
  index: [from: number, to: number] | null;
  /** The sources' items are [sourcesFrom, sourcesTo): their array opens two bytes before and closes one after. */
  sourcesFrom: number;
  sourcesTo: number;
  /** The comments' items are [commentsFrom, commentsTo): their array opens two bytes before and closes one after. */
  commentsFrom: number;
  commentsTo: number;
}

/** The layout of `bytes`, found without decoding them; null when they are laid out otherwise (an older snapshot). */
function layoutOf(bytes: Uint8Array): Layout | null {
  // The first line break ends INDEX_START or SOURCES_START: the fields' JSON writes none.
  const firstLine = bytes.indexOf(0x0a) + 1;
  if (firstLine === 0) return null;
  let index: Layout['index'] = null;
  let sourcesFrom = firstLine;
  if (holdsAt(bytes, firstLine - INDEX_START_BYTES.length, INDEX_START_BYTES)) {
    const to = indexOfBytes(bytes, INDEX_END_BYTES, firstLine - 1);
    if (to === -1) return null;
    index = [firstLine, to];
    sourcesFrom = to + INDEX_END_BYTES.length;
  }
  const sourcesKey = sourcesFrom - SOURCES_START_BYTES.length;
  if (sourcesKey < 1 || !holdsAt(bytes, sourcesKey, SOURCES_START_BYTES)) return null;
  const fieldsEnd = index === null ? sourcesKey - 1 : index[0] - INDEX_START_BYTES.length - 1;
  // Every source's line starts with `[`, so the first line break followed by `]` ends them.
  const sourcesTo = indexOfBytes(bytes, COMMENTS_START_BYTES, sourcesFrom);
  const commentsFrom = sourcesTo + COMMENTS_START_BYTES.length;
  const commentsTo = bytes.length - END_BYTES.length;
  if (sourcesTo === -1 || commentsTo < commentsFrom || !holdsAt(bytes, commentsTo, END_BYTES)) return null;
  return { fieldsEnd, index, sourcesFrom, sourcesTo, commentsFrom, commentsTo };
}

const ID_FIELD = encoder.encode('{"id":"');
const PARENT_FIELD = encoder.encode('","parentId":');
const NULL_PARENT = encoder.encode('null,');
const QUOTE = 0x22;
/** The bytes of an id's characters (Crockford base32, domain/comment-id.ts): 1 for those an id may hold. */
const ID_CHARACTER = new Uint8Array(128);
for (const character of '0123456789ABCDEFGHJKMNPQRSTVWXYZ') ID_CHARACTER[character.charCodeAt(0)] = 1;

const COLON = 0x3a;
const DOT = 0x2e;
const COMMA_BYTE = 0x2c;
const LINE_BREAK = 0x0a;
const TILDE = 0x7e;

/** The value of a base-36 digit's byte (`toString(36)` writes them), or -1. */
function base36(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  return byte >= 0x61 && byte <= 0x7a ? byte - 0x61 + 10 : -1;
}

/**
 * What paging needs of a head's comments (`ThreadPlaces`, domain/thread.ts), read from its bytes without a string
 * per comment: every id copied into one array, `COMMENT_ID_LENGTH` bytes each in place order (the head's: parted
 * comments first, then its own, all in id order), and each reply's parent as a place, by how many places back (the
 * short paging index) or found by its id among the ids before it (a binary search: they are in order), or for a
 * rebuild, which wants ids, kept as where that id is in the text read. Ids are made only for the cursor and for a
 * rebuild's members (`idAt`: slices of one text decoded once). Filled in place order by
 * the `add…` functions below; `add` refuses what is not an id, or not after the id before it (the head is then read
 * whole, as one laid out otherwise).
 */
class HeadPlaces implements ThreadPlaces {
  readonly ids: Uint8Array;
  readonly parents: Int32Array;
  readonly pinned: Uint8Array;
  /** How many comments are in so far. */
  count = 0;
  /** Replies whose parent is not among the comments before them, with its id: looked for once all are in. */
  readonly #later: [place: number, parentId: string][] = [];
  /** Where each reply's parent's id is in `read` when it was named by id, or -1; null when `read` is not given. */
  readonly #parentAt: Int32Array | null;
  #text: string | undefined;

  /**
   * `read`: the text of the bytes the comments are read from, when a parent named by id is wanted as a slice of it
   * (`parentIdAt`, the rebuild), not looked for among the ids before it (a reader's paging).
   */
  constructor(
    readonly capacity: number,
    readonly read?: string,
  ) {
    this.ids = new Uint8Array(capacity * COMMENT_ID_LENGTH);
    this.parents = new Int32Array(capacity).fill(-1);
    this.pinned = new Uint8Array(capacity);
    this.#parentAt = read === undefined ? null : new Int32Array(capacity).fill(-1);
  }

  /**
   * Adds the comment whose id is the one before's first `shared` characters and then `bytes` from `at` (all of it
   * from there when `shared` is 0): false when it is not an id, or not after the one before.
   */
  add(bytes: Uint8Array, at: number, shared = 0): boolean {
    const place = this.count;
    if (place === this.capacity || (shared > 0 && place === 0)) return false;
    const { ids } = this;
    const into = place * COMMENT_ID_LENGTH;
    const before = into - COMMENT_ID_LENGTH;
    for (let k = 0; k < shared; k++) ids[into + k] = ids[before + k]!;
    // Copied and compared with the id before at once (its first `shared` characters are that id's).
    let after = place === 0;
    for (let k = shared, from = at - shared; k < COMMENT_ID_LENGTH; k++) {
      const byte = bytes[from + k]!;
      if (ID_CHARACTER[byte] !== 1) return false; // past the end too: undefined
      ids[into + k] = byte;
      if (after) continue;
      const was = ids[before + k]!;
      if (byte < was) return false;
      after = byte > was;
    }
    if (!after || (shared === 0 && ids[into]! > 0x37)) return false; // an id's first character is 0-7
    this.count += 1;
    return true;
  }

  /** The last comment added is a reply to the one `back` places before it. */
  replyBack(back: number): void {
    this.parents[this.count - 1] = this.count - 1 - back;
  }

  /** The last comment added is a reply to the comment whose id is in `bytes` at `at`: false when that is no id. */
  replyTo(bytes: Uint8Array, at: number): boolean {
    const parentId = SCRATCH_ID;
    if (!copyId(bytes, at, parentId, 0, COMMENT_ID_LENGTH)) return false;
    const place = this.count - 1;
    if (this.#parentAt !== null) {
      this.#parentAt[place] = at;
      return true;
    }
    const found = this.#find(parentId, place);
    if (found >= 0) this.parents[place] = found;
    else this.#later.push([place, String.fromCharCode(...parentId)]);
    return true;
  }

  /** Every comment is in: the replies whose parent came after them (never, as this code writes) find it. */
  done(): this {
    for (const [place, parentId] of this.#later) this.parents[place] = this.placeOf(parentId);
    return this;
  }

  /** The id of the parent of the comment at `place` (a slice of `read` when named by id); null when it is no reply. */
  parentIdAt(place: number): string | null {
    const parent = this.parents[place]!;
    if (parent >= 0) return this.idAt(parent);
    const at = this.#parentAt?.[place] ?? -1;
    return at >= 0 ? this.read!.slice(at, at + COMMENT_ID_LENGTH) : null;
  }

  isPinned(place: number): boolean {
    return this.pinned[place] === 1;
  }

  idAt(place: number): string {
    this.#text ??= decoder.decode(this.ids.subarray(0, this.count * COMMENT_ID_LENGTH));
    return this.#text.slice(place * COMMENT_ID_LENGTH, (place + 1) * COMMENT_ID_LENGTH);
  }

  placeOf(id: string): number {
    if (id.length !== COMMENT_ID_LENGTH) return -1;
    for (let k = 0; k < COMMENT_ID_LENGTH; k++) SCRATCH_ID[k] = id.charCodeAt(k) & 0xff;
    return this.#find(SCRATCH_ID, this.count);
  }

  /** The place before `end` of the id `bytes` hold at their start; -1 when none is there. */
  #find(bytes: Uint8Array, end: number): number {
    let low = 0;
    let high = end;
    while (low < high) {
      const middle = (low + high) >> 1;
      const order = this.#compare(middle, bytes, 0);
      if (order === 0) return middle;
      if (order < 0) low = middle + 1;
      else high = middle;
    }
    return -1;
  }

  /** How the id at `place` compares with the one `bytes` hold at `at`: negative when it is before. */
  #compare(place: number, bytes: Uint8Array, at: number): number {
    const from = place * COMMENT_ID_LENGTH;
    for (let k = 0; k < COMMENT_ID_LENGTH; k++) {
      const order = this.ids[from + k]! - bytes[at + k]!;
      if (order !== 0) return order;
    }
    return 0;
  }
}

/** The id `placeOf` and `replyTo` compare, copied here (one at a time). */
const SCRATCH_ID = new Uint8Array(COMMENT_ID_LENGTH);

/** Copies `length` characters of an id at `bytes[from]` to `into[at]`: false when one is not an id's. */
function copyId(bytes: Uint8Array, from: number, into: Uint8Array, at: number, length: number): boolean {
  for (let i = 0; i < length; i++) {
    const byte = bytes[from + i];
    if (byte === undefined || ID_CHARACTER[byte] !== 1) return false;
    into[at + i] = byte;
  }
  return true;
}

/**
 * Adds to `places` the comments of each part from its line of a head's `index` (`pagingIndex` as JSON: a string of
 * ids, digits, commas, colons and dots, which JSON writes as they are), in `bytes[from, to)`, either form; of the
 * parts `wanted` alone, when given. False when a line is not as `pagingIndex` writes it or does not hold as many
 * comments as its part.
 */
function addIndexed(
  places: HeadPlaces,
  parts: readonly PartRef[],
  bytes: Uint8Array,
  from: number,
  to: number,
  wanted?: (part: number) => boolean,
): boolean {
  let at = from;
  for (const [n, part] of parts.entries()) {
    if (n > 0) {
      if (bytes[at] !== COMMA_BYTE || bytes[at + 1] !== LINE_BREAK) return false;
      at += 2;
    }
    const end = bytes[at] === QUOTE ? bytes.indexOf(QUOTE, at + 1) : -1;
    if (end === -1 || end >= to) return false;
    if (wanted === undefined || wanted(n)) {
      const first = places.count;
      const added =
        bytes[at + 1] === TILDE ? addShort(places, bytes, at + 2, end) : addLong(places, bytes, at + 1, end);
      if (!added || places.count - first !== part.count) return false;
    }
    at = end + 1;
  }
  return at === to;
}

/** `addIndexed` of a line in the form before the short one: ids whole, a reply's parent's id after a colon. */
function addLong(places: HeadPlaces, bytes: Uint8Array, at: number, end: number): boolean {
  if (at === end) return true;
  for (;;) {
    if (!places.add(bytes, at)) return false;
    at += COMMENT_ID_LENGTH;
    if (bytes[at] === COLON) {
      if (!places.replyTo(bytes, at + 1)) return false;
      at += 1 + COMMENT_ID_LENGTH;
    }
    if (at === end) return true;
    if (bytes[at++] !== COMMA_BYTE) return false;
  }
}

/** `addIndexed` of a line in the short form, after its `~`: a reply's parent by places back in the part, or its id. */
function addShort(places: HeadPlaces, bytes: Uint8Array, at: number, end: number): boolean {
  const first = places.count;
  while (at < end) {
    const shared = bytes[at] === COMMA_BYTE ? base36(bytes[at + 1]) : -1;
    if (shared < 0 || shared >= COMMENT_ID_LENGTH || (places.count === first && shared !== 0)) return false;
    if (!places.add(bytes, at + 2, shared)) return false;
    at += 2 + COMMENT_ID_LENGTH - shared;
    if (bytes[at] === DOT) {
      const digitsFrom = ++at;
      let back = 0;
      while (base36(bytes[at]) !== -1) back = back * 36 + base36(bytes[at++]);
      if (at === digitsFrom || back < 1 || back > places.count - 1 - first) return false;
      places.replyBack(back);
    } else if (bytes[at] === COLON) {
      if (!places.replyTo(bytes, at + 1)) return false;
      at += 1 + COMMENT_ID_LENGTH;
    }
  }
  return at === end;
}

/**
 * Hands each comment of one part's paging index (`pagingIndex`, either form, not as JSON) to `visit`, in order, read
 * as `addIndexed` reads it; how many there were, or null when the index is not as `pagingIndex` writes it.
 */
export function eachIndexEntry(index: string, visit: (id: string, parentId: string | null) => void): number | null {
  const bytes = encoder.encode(index);
  if (bytes.length !== index.length) return null;
  let entries = 1;
  for (const byte of bytes) if (byte === COMMA_BYTE) entries += 1;
  const places = new HeadPlaces(entries, index);
  const read = bytes[0] === TILDE ? addShort(places, bytes, 1, bytes.length) : addLong(places, bytes, 0, bytes.length);
  if (!read) return null;
  for (let place = 0; place < places.count; place++) visit(places.idAt(place), places.parentIdAt(place));
  return places.count;
}

/**
 * Adds to `places` what paging needs of each of a head's own comments, read from its line: every public comment and
 * placeholder starts `{"id":"…","parentId":null,` or `…"parentId":"…",` (`toPublicComment` and `toPlaceholder`,
 * domain/stored-comment.ts, write those two first and `pinned` last), and ids are 26 ASCII characters. False when a
 * line does not start so.
 */
function addOwn(places: HeadPlaces, lines: readonly Uint8Array[]): boolean {
  const idEnd = ID_FIELD.length + COMMENT_ID_LENGTH;
  const parentAt = idEnd + PARENT_FIELD.length;
  for (const line of lines) {
    if (!holdsAt(line, 0, ID_FIELD) || !places.add(line, ID_FIELD.length)) return false;
    if (!holdsAt(line, idEnd, PARENT_FIELD)) return false;
    const reply = line[parentAt] === QUOTE && line[parentAt + COMMENT_ID_LENGTH + 1] === QUOTE;
    if (reply ? !places.replyTo(line, parentAt + 1) : !holdsAt(line, parentAt, NULL_PARENT)) return false;
    if (holdsAt(line, line.length - PINNED_END.length, PINNED_END)) places.pinned[places.count - 1] = 1;
  }
  return true;
}

/**
 * Whether a comment of a snapshot is written as one of the snapshot it was rebuilt from: the same object (an
 * unchanged comment is carried over as it is), or both the placeholder of the same comment, which the rebuild makes
 * again each time from what never changes (its id, parent and time: `toPlaceholder`).
 */
function sameEntry(comment: PublicComment | KeptComment, was: PublicComment | KeptComment): boolean {
  return comment === was || (comment.deleted === true && was.deleted === true && comment.id === was.id);
}

/**
 * The fingerprint of each shown comment of a part (`members`, as it was read or written), from its entry's `bodies`
 * when every one of them has one (a text never a duplicate has none, and then the rest cannot be told apart).
 */
function fingerprintsOf(part: PartRef, members: readonly (PublicComment | KeptComment)[]): Map<object, string> {
  const shown = members.filter((comment) => comment.deleted !== true);
  const printed = new Map<object, string>();
  if (part.bodies?.length !== FINGERPRINT_LENGTH * shown.length) return printed;
  shown.forEach((comment, k) =>
    printed.set(comment, part.bodies!.slice(k * FINGERPRINT_LENGTH, (k + 1) * FINGERPRINT_LENGTH)),
  );
  return printed;
}

/**
 * The fingerprint of each comment of a head this isolate wrote (`#planParts`) or read (`keptSnapshot`, from the
 * head's `ownBodies`): made as each comes in, one a change, so the change that seals the head's own comments into a
 * part does not hash the texts of a whole part at once (about 80 at 64 KiB). A comment is the same object from write
 * to write while it is unchanged; one read from a head without `ownBodies` has none, and is hashed at the next write.
 */
const headFingerprints = new WeakMap<PublicComment | KeptComment, string>();

/**
 * Whether `createdAt` is at or before `start` (an ISO time as `toISOString` writes it). Times written so compare as
 * strings (a Date.parse per comment cost about half a millisecond at 3,000); any other form is parsed.
 */
function isBefore(createdAt: string, start: string): boolean {
  if (createdAt.length === start.length && createdAt.endsWith('Z')) return createdAt <= start;
  return Date.parse(createdAt) <= Date.parse(start);
}

/** A part's id: new for every part written (64 random bits), so its key never holds two values. */
function randomPartId(): string {
  return crypto.randomUUID().replaceAll('-', '').slice(0, 16);
}

/** Where this isolate's part ids come from: `randomPartId`, unless the startup warm-up names them (`namePartsBy`). */
const partIds = { next: randomPartId };
onIsolateReset(() => {
  partIds.next = randomPartId;
});

/**
 * Names the parts this isolate writes by `next` until the next `resetIsolateState()`: for the startup warm-up
 * (warm.ts), whose big thread seals parts while workerd refuses random values; each id must be new to its page.
 */
export function namePartsBy(next: () => string): void {
  partIds.next = next;
}

function newPartId(): string {
  return partIds.next();
}

/**
 * Where items of these sizes (one line each) are cut into parts of about `partChars`: each part's end, exclusive;
 * at one of `preferred` already once a part holds half of that. The items after the last end are too few to fill one.
 */
function cutPoints(sizes: readonly number[], preferred: ReadonlySet<number> = new Set()): number[] {
  const ends: number[] = [];
  let chars = 0;
  for (const [i, size] of sizes.entries()) {
    chars += size + 2;
    const enough = chars >= SNAPSHOT_SPLIT.partChars || (chars >= SNAPSHOT_SPLIT.partChars / 2 && preferred.has(i + 1));
    if (!enough) continue;
    ends.push(i + 1);
    chars = 0;
  }
  return ends;
}

/**
 * A joined snapshot past `tailChars` as the stretches its parts are cut from: its runs as they are (a run of an
 * imported post's part holds about 50 comments, and a part cut at its ends is written without a copy), a run of
 * more than two parts' worth cut into its comments. Null for a snapshot written whole.
 */
function stretchesOf(snapshot: JoinedSnapshot): Stretch[] | null {
  const size = snapshot.runs.reduce((sum, run) => sum + run.length + 2, 0);
  if (size <= SNAPSHOT_SPLIT.tailChars) return null;
  return snapshot.runs.flatMap((bytes, i): Stretch[] => {
    const count = snapshot.counts[i]!;
    const facts = snapshot.facts?.[i];
    if (count === 1 || bytes.length <= 2 * SNAPSHOT_SPLIT.partChars)
      return [facts ? { bytes, count, facts } : { bytes, count }];
    const items = itemsOf(bytes);
    if (items.length !== count) throw new Error('a joined snapshot whose runs do not hold its comments');
    return items.map((piece) => ({ bytes: piece, count: 1 }));
  });
}

/** Comments of a joined snapshot a part is cut from: a run as it is (with its facts, when it has them) or one comment. */
interface Stretch {
  bytes: Uint8Array;
  count: number;
  facts?: RunFacts;
}

/**
 * A part of a joined snapshot written before its head, as the head names it: its key's and its sources' key's last
 * segments, how many comments and characters it holds, and of its runs' facts its last id, newest time, pinned ids
 * and paging index (the runs' `index` joined by commas).
 */
export interface WrittenRun extends Pick<RunFacts, 'last' | 'newest' | 'pinned' | 'index'> {
  id: string;
  sources: string;
  count: number;
  chars: number;
}

/** Where a joined snapshot's stretches are cut into parts: at a run's end once a part holds half of `partChars`. */
function stretchCuts(stretches: readonly Stretch[]): number[] {
  const runEnds = new Set<number>();
  stretches.forEach((stretch, i) => {
    if (stretch.count > 1) runEnds.add(i + 1);
  });
  return cutPoints(
    stretches.map((stretch) => stretch.bytes.length),
    runEnds,
  );
}

/**
 * How many values `writeJoined` writes besides the head (each part and its sources): what an import counts against
 * the day's writes.
 */
export function joinedPartCount(snapshot: JoinedSnapshot): number {
  const stretches = stretchesOf(snapshot);
  return stretches === null ? 0 : 2 * stretchCuts(stretches).length;
}

/**
 * What the duplicate check of a new comment reads of a snapshot: the head's own comments by their fingerprints
 * (`ownBodies`, when it has one for each of the comments in `array`, its own comments' array), or else that array
 * parsed at once (one decode and parse costs less than one per comment, and an imported head may be MBs); and the
 * parts' fingerprints (a part written without them is read and parsed).
 */
async function recentOf(
  array: Uint8Array,
  { parts = [], ownBodies }: { parts?: readonly PartRef[]; ownBodies?: string },
  read: PartReader,
): Promise<RecentComments> {
  const printed = ownBodies !== undefined && ownBodies.length === FINGERPRINT_LENGTH * itemCount(array);
  const own = printed ? [] : (JSON.parse(decoder.decode(array)) as PublicComment[]);
  const unprinted = parts.filter((part) => part.bodies === undefined);
  const parted =
    unprinted.length === 0 ? [] : (await read(unprinted)).flat().map((line) => JSON.parse(line) as PublicComment);
  const fingerprints = parts.flatMap((part) => (part.bodies === undefined ? [] : [part.bodies]));
  return {
    comments: parted.length === 0 ? own : [...parted, ...own],
    fingerprints: printed ? [...fingerprints, ownBodies] : fingerprints,
  };
}

/** How many items an array laid out one per line (`[`, a line break, the items each on its own, `]`) holds. */
function itemCount(array: Uint8Array): number {
  let breaks = 0;
  for (let at = array.indexOf(LINE_BREAK); at !== -1; at = array.indexOf(LINE_BREAK, at + 1)) breaks++;
  // `[\n\n]` holds none; else one line break opens the array and each item ends with one.
  return array.length <= 4 ? 0 : breaks - 1;
}

/** A head's own fields, parts and all: the bytes before its `sources`. */
function headFieldsOf(bytes: Uint8Array, layout: Layout): HeadFields {
  return JSON.parse(`${decoder.decode(bytes.subarray(0, layout.fieldsEnd))}}`) as HeadFields;
}

/** The head's own comments' array in its bytes, brackets included. */
function commentsArrayOf(bytes: Uint8Array, layout: Layout): Uint8Array {
  return bytes.subarray(layout.commentsFrom - 2, layout.commentsTo + 2);
}

/** Reads the lines of snapshot parts, in the order asked (storage's cache first, then one bulk KV read). */
type PartReader = (parts: readonly PartRef[]) => Promise<string[][]>;

/**
 * A snapshot as a reader's GET needs it when this isolate has no copy at hand: the bytes KV gave, with only the
 * fields decoded and parsed, and each comment's line found, so a page decodes and parses only the comments it
 * serves (the sources, the rebuild's own, are not read either). A 1,000-comment snapshot is 0.9 MB and its first
 * page about 25 comments: decoding and parsing all of it (`readerSnapshot`) was most of a cold GET's CPU. Of a
 * split snapshot, the head's paging indexes (or, in a head of the layout before, its sources: `walkParts`) say what
 * paging needs of the parted comments, read as places (`HeadPlaces`), and only the parts holding a comment the page
 * serves are read.
 */
class ServedLazily {
  readonly #parsed: (PublicComment | undefined)[] = [];

  private constructor(
    readonly fields: Omit<ThreadSnapshot, 'comments' | 'sources'>,
    /** What paging needs of each comment, parted ones first, then the head's own. */
    readonly places: HeadPlaces,
    readonly lines: readonly Uint8Array[],
    /** The head's own comments' array, brackets included: what the duplicate check parses at once. */
    readonly array: Uint8Array,
    readonly parts: readonly PartRef[],
    /** The place of each part's first comment, and after them the head's own first. */
    readonly partStarts: readonly number[],
    /** The head's own comments' fingerprints (`HeadFields.ownBodies`), when it has them. */
    readonly ownBodies: string | undefined,
  ) {}

  /** Null when `bytes` are not laid out as `snapshotText` writes, or a comment's line does not start as it should. */
  static from(bytes: Uint8Array): ServedLazily | null {
    const layout = layoutOf(bytes);
    if (layout === null) return null;
    const { parts = [], retired: _retired, ownBodies, ...fields } = headFieldsOf(bytes, layout);
    const lines = itemsOf(bytes, layout.commentsFrom, layout.commentsTo);
    const partStarts = [0];
    for (const part of parts) partStarts.push(partStarts.at(-1)! + part.count);
    const parted = partStarts.at(-1)!;
    const places = new HeadPlaces(parted + lines.length);
    if (parts.length > 0) {
      // A head written before the parts' sources left it pages from its own sources.
      let found: boolean;
      if (sourcesApart(parts)) found = layout.index !== null && addIndexed(places, parts, bytes, ...layout.index);
      else {
        const sources = JSON.parse(
          decoder.decode(bytes.subarray(layout.sourcesFrom - 2, layout.sourcesTo + 2)),
        ) as SnapshotSource[];
        const id = new Uint8Array(COMMENT_ID_LENGTH);
        found = true;
        const walked = walkParts(parts, sources, ([childId, , , parentId]) => {
          const copy = (of: string) =>
            of.length === COMMENT_ID_LENGTH && encoder.encodeInto(of, id).written === COMMENT_ID_LENGTH;
          found &&=
            copy(childId) && places.add(id, 0) && (parentId === null || (copy(parentId) && places.replyTo(id, 0)));
        });
        found &&= walked !== null;
      }
      if (!found || places.count !== parted) return null;
      for (const part of parts) {
        for (const id of part.pinned ?? []) {
          const place = places.placeOf(id);
          if (place >= 0) places.pinned[place] = 1;
        }
      }
    }
    if (!addOwn(places, lines)) return null;
    return new ServedLazily(fields, places.done(), lines, commentsArrayOf(bytes, layout), parts, partStarts, ownBodies);
  }

  async page(query: ThreadQuery, read: PartReader): Promise<ThreadResponse> {
    const { served, nextCursor } = pageOfPlaces(this.places, query);
    const needed = [...new Set(served.map((i) => this.#partOf(i)).filter((n) => n < this.parts.length))];
    const partLines = new Map<number, string[]>();
    if (needed.length > 0) {
      const lines = await read(needed.map((n) => this.parts[n]!));
      needed.forEach((n, k) => partLines.set(n, lines[k]!));
    }
    return pageResponse(
      this.fields,
      query,
      served.map((i) => this.#comment(i, partLines)),
      nextCursor,
    );
  }

  /** The index in `parts` of the part holding the comment at `place`: `parts.length` for the head's own. */
  #partOf(place: number): number {
    let n = 0;
    while (n < this.parts.length && place >= this.partStarts[n + 1]!) n++;
    return n;
  }

  /**
   * What the duplicate check of a new comment needs: the head's own comments, parsed, and its parts' fingerprints
   * (a part written without them is read and parsed).
   */
  recent(read: PartReader): Promise<RecentComments> {
    return recentOf(this.array, this, read);
  }

  /** The comment at `i`, parsed once: requests served from this copy share it, so never change it. */
  #comment(i: number, partLines: ReadonlyMap<number, string[]>): PublicComment {
    const known = this.#parsed[i];
    if (known !== undefined) return known;
    const n = this.#partOf(i);
    const parsed = JSON.parse(
      n < this.parts.length
        ? partLines.get(n)![i - this.partStarts[n]!]!
        : decoder.decode(this.lines[i - this.partStarts.at(-1)!]),
    ) as PublicComment;
    this.#parsed[i] = parsed;
    return parsed;
  }
}

/** What an absent snapshot or count costs to remember: its key. */
const ABSENT_SIZE = 64;

export class ThreadStore {
  constructor(private readonly kv: KVNamespace) {}

  /**
   * The page's snapshot, whole, in one KV read (a split one: one more, a bulk read of its parts); null before the
   * page's first comment. Always KV's current copy, parsed only when this isolate has not already got it as an
   * object: shared, so never change what it returns.
   */
  async read(page: PageRef): Promise<ThreadSnapshot | null> {
    const key = threadKey(page);
    const text = await this.kv.get(key, 'text');
    if (text === null) return null;
    const copy = rebuildCopies.get(key, Date.now());
    if (copy !== undefined && copy.text === text && copy.parsed !== null) return copy.parsed;
    const parts = partsOf(text);
    // Not kept for the rebuild: it would not know which of these comments are in which part.
    if (parts !== undefined) return this.#whole(page, text, parts);
    const snapshot = parseSnapshot(text);
    rebuildCopies.written(key, { text, snapshot, parsed: snapshot }, text.length, Date.now());
    return snapshot;
  }

  /** The page's fields (its address, whether it is closed, which import it shows), without its comments. */
  async readFields(page: PageRef): Promise<Omit<ThreadSnapshot, 'comments' | 'sources'> | null> {
    const buffer = await this.kv.get(threadKey(page), 'arrayBuffer');
    if (buffer === null) return null;
    const bytes = new Uint8Array(buffer);
    const layout = layoutOf(bytes);
    if (layout === null) {
      const { comments: _comments, sources: _sources, ...fields } = JSON.parse(decoder.decode(bytes)) as ThreadSnapshot;
      return fields;
    }
    return withoutHeadOnly(headFieldsOf(bytes, layout));
  }

  /**
   * The page's snapshot for its rebuild, in one KV read (none when a new comment's screening here has just read its
   * head: `takeScreenedHead`): this isolate's copy when KV still has the text it wrote or
   * read last; else, when the text is laid out as this code writes it, its fields and sources parsed and each
   * comment kept as its JSON (`keptSnapshot`), so a rebuild in an isolate that did not write the snapshot does not
   * parse every comment of it, nor read a split snapshot's parts; an older layout is parsed whole. Shared: never
   * change what it returns.
   */
  async readForRebuild(page: PageRef): Promise<RebuiltSnapshot | null> {
    const key = threadKey(page);
    const text = takeScreenedHead(key, Date.now()) ?? (await this.kv.get(key, 'text'));
    if (text === null) return null;
    const copy = rebuildCopies.get(key, Date.now());
    if (copy !== undefined && copy.text === text) return copy.snapshot;
    const head = text.indexOf(SOURCES_START) === -1 ? undefined : fieldsOf(text);
    const parts = head?.parts;
    if (parts !== undefined) rememberParts(parts, text);
    // The parts' sources, in values never rewritten: this isolate's copies, or one bulk read; not those of parts with
    // a summary, which the rebuild reads if a change reached them (`readPartSources`).
    const partSources = parts !== undefined && sourcesApart(parts) ? await this.#unsummedSources(page, parts) : null;
    const kept = head === undefined ? null : keptSnapshot(text, head, copy?.snapshot, partSources);
    if (kept !== null) {
      if (kept.split !== null) splits.set(kept.snapshot, kept.split);
      rebuildCopies.written(key, { text, snapshot: kept.snapshot, parsed: null }, text.length, Date.now());
      return kept.snapshot;
    }
    // Not as this code writes it: whole, its comments read again where the head holds no source for them.
    const parsed = parseSnapshot(parts === undefined ? text : wholeText(text, await this.#partLines(page, parts)));
    if (parts !== undefined) {
      // Which comment is in which part, by the parts' ranges of ids.
      let i = 0;
      const members = parts.map((part) => {
        const from = i;
        while (i < parsed.comments.length && parsed.comments[i]!.id <= part.last) i++;
        return parsed.comments.slice(from, i);
      });
      // Two arrays: `readPartSources` fills in `sources`, and an index line is never a part's sources.
      const none = () => parts.map(() => undefined);
      splits.set(parsed, { parts, members, sources: none(), indexes: none(), retired: head?.retired ?? [] });
    }
    rebuildCopies.written(key, { text, snapshot: parsed, parsed }, text.length, Date.now());
    return parsed;
  }

  /**
   * One page of the thread for a reader's GET (domain/thread.ts `pageOf`), from this isolate's copy up to
   * READER_CACHE_MS old, or else from one KV read whose bytes are decoded and parsed only as far as the page needs
   * (`ServedLazily`), and of a split snapshot, one bulk read of the parts holding the page's comments. Shared
   * between requests: never change what it returns.
   */
  async readPage(page: PageRef, pageId: string, query: ThreadQuery, now = Date.now()): Promise<ThreadResponse> {
    const cached = await this.#forReaders(page, now);
    if (cached instanceof ServedLazily) return cached.page(query, this.#reader(page));
    return threadPage(cached instanceof WrittenText ? cached.parsed : (cached ?? emptySnapshot(pageId)), query);
  }

  /**
   * What the duplicate check of a new comment on the page reads (domain/duplicates.ts), as `readPage` reads: of a
   * split snapshot, its head's own comments and its parts' fingerprints, with no part read.
   */
  async readRecent(page: PageRef, now = Date.now()): Promise<RecentComments> {
    const key = threadKey(page);
    const cached = snapshots.get(key, now);
    if (cached instanceof ServedLazily) {
      screenedBig = { key, big: cached.parts.length > 0, at: now };
      return cached.recent(this.#reader(page));
    }
    if (cached !== undefined) {
      const snapshot = cached instanceof WrittenText ? cached.parsed : cached;
      screenedBig = { key, big: (snapshot?.comments.length ?? 0) >= BIG_THREAD.comments, at: now };
      // A split snapshot this isolate wrote: as from KV, its own comments and its parts' fingerprints, not every
      // comment of every part to compare (3,000 texts took about 3 ms).
      const split = snapshot === null ? undefined : splits.get(snapshot);
      if (split !== undefined && split.parts.length > 0 && split.parts.every((part) => part.bodies !== undefined)) {
        const parted = split.members.reduce((sum, members) => sum + members.length, 0);
        return { comments: snapshot!.comments.slice(parted), fingerprints: split.parts.map((part) => part.bodies!) };
      }
      return { comments: snapshot?.comments ?? [], fingerprints: [] };
    }
    // Not kept for readers: what a reader's page needs of a split head (its sources, to page) is not read here.
    const buffer = await this.kv.get(key, 'arrayBuffer');
    screenedBig = { key, big: buffer !== null && splitHead(new Uint8Array(buffer)), at: now };
    if (buffer === null) return { comments: [], fingerprints: [] };
    const bytes = new Uint8Array(buffer);
    screenedHead = { key, bytes, at: now };
    const layout = layoutOf(bytes);
    if (layout === null) return { comments: (await this.#readerSnapshot(page, bytes)).comments, fingerprints: [] };
    return recentOf(commentsArrayOf(bytes, layout), headFieldsOf(bytes, layout), this.#reader(page));
  }

  /**
   * Whether a change's rebuild of `page` fits beside the change, in the change's own invocation (10 ms of CPU time):
   * when this isolate holds a copy of the page's snapshot (it rebuilt the page, or read it for a rebuild), or the
   * page's thread is small: its head, as the screening of a new comment just read it (`readRecent`: from KV, or the
   * readers' copy), not split, or else its count under `BIG_THREAD` (one KV read). A fresh isolate's first rebuild of a big thread (its head
   * read and parsed by code not yet optimised) does not: the change leaves it to a request of its own
   * (routes/comments.ts `POST /rebuild`), or to the cron's repair.
   */
  async rebuildFitsBeside(page: PageRef, now = Date.now()): Promise<boolean> {
    const key = threadKey(page);
    if (rebuildCopies.get(key, now) !== undefined) return true;
    const screened = screenedBig;
    if (screened !== null && screened.key === key && now - screened.at <= SCREENED_HEAD_MS) return !screened.big;
    const count = await this.readCount(page);
    return count === null || count < BIG_THREAD.comments;
  }

  /** This isolate's copy of the page's snapshot up to READER_CACHE_MS old, or else KV's, read as `ServedLazily`. */
  async #forReaders(page: PageRef, now: number): Promise<ThreadSnapshot | WrittenText | ServedLazily | null> {
    const key = threadKey(page);
    const cached = snapshots.get(key, now);
    if (cached !== undefined) return cached;
    const started = snapshots.readStarted();
    const buffer = await this.kv.get(key, 'arrayBuffer');
    const bytes = buffer === null ? null : new Uint8Array(buffer);
    const read = bytes === null ? null : (ServedLazily.from(bytes) ?? (await this.#readerSnapshot(page, bytes)));
    snapshots.fromRead(key, read, bytes?.length ?? ABSENT_SIZE, now, started);
    return read;
  }

  /** The snapshots of up to 100 pages, whole, in one bulk read (and one of the split ones' parts); missing ones left out. */
  async readMany(pages: readonly PageRef[]): Promise<ThreadSnapshot[]> {
    if (pages.length === 0) return [];
    const keys = pages.map(threadKey);
    const values = await this.kv.get(keys, 'text');
    const snapshots: ThreadSnapshot[] = [];
    for (const [i, key] of keys.entries()) {
      const text = values.get(key);
      if (text === null || text === undefined) continue;
      const parts = partsOf(text);
      snapshots.push(parts === undefined ? readerSnapshot(text) : await this.#whole(pages[i]!, text, parts));
    }
    return snapshots;
  }

  /**
   * Only the rebuild calls this: it is the snapshot's one writer. `previous`: the snapshot `readForRebuild` gave it,
   * whose parts are kept where their comments did not change (`#planParts`); `now`: when parts are retired.
   */
  async write(
    page: PageRef,
    snapshot: RebuiltSnapshot,
    previous: RebuiltSnapshot | null = null,
    now = Date.now(),
  ): Promise<void> {
    const key = threadKey(page);
    const cachedAt = Date.now();
    const { comments, sources = [], ...fields } = snapshot;
    const plan = await this.#planParts(
      page,
      comments,
      sources,
      previous === null ? undefined : splits.get(previous),
      now,
    );
    // The parts first: a head is never read before the parts it names are in KV.
    await Promise.all([
      ...plan.writes.map(({ id, lines }) => {
        const text = lines.join(',\n');
        partLines.written(threadPartKey(page, id), lines, text.length, cachedAt);
        return this.kv.put(threadPartKey(page, id), text);
      }),
      ...plan.sourceWrites.map(({ id, sources }) => {
        const text = sources.map(jsonOf).join(',\n');
        partSourceLists.written(threadPartKey(page, id), sources, text.length, cachedAt);
        return this.kv.put(threadPartKey(page, id), text);
      }),
    ]);
    const split = plan.parts.length > 0 || plan.retired.length > 0;
    const head: HeadFields = split ? { ...fields, parts: plan.parts } : fields;
    if (plan.ownBodies !== undefined) head.ownBodies = plan.ownBodies;
    if (plan.retired.length > 0) head.retired = plan.retired;
    const text = snapshotText(head, plan.parts.length > 0 ? plan.indexes : null, plan.tailSources, plan.tail);
    await this.kv.put(key, text);
    if (split) {
      const { parts, members, sources, indexes, retired } = plan;
      splits.set(snapshot, { parts, members, sources, indexes, retired });
    }
    const parsed = isParsed(snapshot) ? snapshot : null;
    const size = text.length + plan.parts.reduce((sum, part) => sum + part.chars, 0);
    if (parsed !== null) snapshots.written(key, parsed, size, cachedAt);
    else if (split) snapshots.forget(key);
    else snapshots.written(key, new WrittenText(text, snapshot), size, cachedAt);
    rebuildCopies.written(key, { text, snapshot, parsed }, text.length, cachedAt);
    // Parts no head has named for `retireMs`: best effort, a part left behind only takes room.
    await Promise.all(plan.due.map((id) => this.kv.delete(threadPartKey(page, id))));
  }

  /**
   * A snapshot joined from prebuilt pieces: an import publishing a page that has nothing but its comments
   * (storage/import-run.ts), what the rebuild would build, laid out as `snapshotText` lays one out, without
   * parsing or serialising its comments again here; past `tailChars`, split as the rebuild splits it (the
   * `joinedPartCount` parts first, then the head), so the rebuilds after it read and write the head alone.
   * `beforeHead` (the page's count) is written once the parts are and the head's bytes are made, just before the head:
   * nothing shows until the head does, so the two puts follow each other with no work between.
   */
  async writeJoined(
    page: PageRef,
    snapshot: JoinedSnapshot,
    now = Date.now(),
    beforeHead: () => Promise<void> = async () => {},
  ): Promise<void> {
    const stretches = stretchesOf(snapshot);
    if (stretches !== null && stretches.every((stretch) => stretch.facts !== undefined)) {
      await this.#writeJoinedByRuns(page, snapshot.fields, stretches as Required<Stretch>[], now, beforeHead);
      return;
    }
    const { fields, runs } = snapshot;
    const { sources: allSources, shown } = snapshot.pieces();
    let head: Record<string, unknown> = fields;
    let own = runs;
    let sources = allSources;
    let index = SOURCES_START;
    if (stretches !== null) {
      const parts: PartRef[] = [];
      let from = 0;
      let shownFrom = 0;
      // Every source's line starts `["` and its id (domain/prebuilt-thread.ts): each part takes those of its range.
      const sourceLines = sources === '' ? [] : sources.split(',\n');
      let s = 0;
      const indexes: string[] = [];
      const windowStart = new Date(now - DUPLICATE_WINDOW_MS).toISOString();
      for (const end of stretchCuts(stretches)) {
        const cut = stretches.slice(from, end);
        const count = cut.reduce((sum, stretch) => sum + stretch.count, 0);
        const chunk = shown.slice(shownFrom, shownFrom + count);
        // One stretch is written as it lies, a view of the bytes it came in.
        const bytes =
          cut.length === 1
            ? cut[0]!.bytes
            : concatBytes(
                joinRuns(
                  cut.map(({ bytes }) => bytes),
                  PIECES,
                ),
              );
        const last = chunk.at(-1)!.id;
        const sourcesFrom = s;
        while (s < sourceLines.length && sourceLines[s]!.slice(2, 2 + last.length) <= last) s++;
        const part: PartRef = {
          id: newPartId(),
          count,
          last,
          chars: bytes.length,
          sources: newPartId(),
        };
        indexes.push(JSON.stringify(pagingIndex(chunk)));
        const placeholders = chunk.filter((piece) => piece.placeholder === true).map(({ id }) => id);
        const pinned = chunk.filter((piece) => piece.pinned === true && piece.placeholder !== true).map(({ id }) => id);
        if (placeholders.length > 0) part.placeholders = placeholders;
        if (pinned.length > 0) part.pinned = pinned;
        // Comments older than the duplicate window never come back into it: no fingerprint is needed.
        if (chunk.every((piece) => isBefore(piece.createdAt, windowStart))) part.bodies = '';
        await this.kv.put(threadPartKey(page, part.id), bytes);
        await this.kv.put(threadPartKey(page, part.sources!), sourceLines.slice(sourcesFrom, s).join(',\n'));
        parts.push(part);
        from = end;
        shownFrom += count;
      }
      head = { ...fields, parts };
      own = stretches.slice(from).map(({ bytes }) => bytes);
      sources = sourceLines.slice(s).join(',\n');
      index = `${INDEX_START}${indexes.join(',\n')}${INDEX_END}`;
    }
    // Bytes, as the comments come: KV stores them as they are, with no string of the whole made or encoded here.
    const value = concatBytes([
      encoder.encode(`${JSON.stringify(head).slice(0, -1)},${index}${sources}${COMMENTS_START}`),
      ...joinRuns(own, PIECES),
      END_BYTES,
    ]);
    await beforeHead();
    await this.kv.put(threadKey(page), value);
    snapshots.forget(threadKey(page));
  }

  /**
   * `writeJoined` when every stretch is a run with its facts (a post whose parts were each staged with theirs): each
   * part's comments, sources and paging index are its runs' bytes as staged, joined, and its other fields come from
   * the runs' facts, so nothing here is done per comment.
   */
  async #writeJoinedByRuns(
    page: PageRef,
    fields: Record<string, unknown>,
    stretches: readonly Required<Stretch>[],
    now: number,
    beforeHead: () => Promise<void>,
  ): Promise<void> {
    const written: WrittenRun[] = [];
    let from = 0;
    for (const end of stretchCuts(stretches)) {
      const cut = stretches.slice(from, end);
      const runsOf = (field: 'bytes' | 'sources') => {
        const chunks = cut.map((stretch) => (field === 'bytes' ? stretch.bytes : stretch.facts[field]));
        return chunks.length === 1 ? chunks[0]! : concatBytes(joinRuns(chunks, PIECES));
      };
      const bytes = runsOf('bytes');
      const run: WrittenRun = {
        id: newPartId(),
        sources: newPartId(),
        count: cut.reduce((sum, stretch) => sum + stretch.count, 0),
        chars: bytes.length,
        last: cut.at(-1)!.facts.last,
        newest: cut.reduce((newest, stretch) => (stretch.facts.newest > newest ? stretch.facts.newest : newest), ''),
        index:
          cut.length === 1
            ? cut[0]!.facts.index
            : concatBytes(
                joinRuns(
                  cut.map((stretch) => stretch.facts.index),
                  COMMA,
                ),
              ),
      };
      const pinned = cut.flatMap((stretch) => stretch.facts.pinned ?? []);
      if (pinned.length > 0) run.pinned = pinned;
      await this.kv.put(threadPartKey(page, run.id), bytes);
      await this.kv.put(threadPartKey(page, run.sources), runsOf('sources'));
      written.push(run);
      from = end;
    }
    await this.writeJoinedHead(page, fields, written, stretches.slice(from), now, beforeHead);
  }

  /**
   * The head of a split snapshot joined from runs with their facts, its parts written already (by `#writeJoinedByRuns`,
   * or a big post's parts each by the request that staged it, storage/import-steps.ts), `own` its own comments: the
   * parts' refs and paging indexes from what `written` says of them, nothing done per comment. `beforeHead` as in
   * `writeJoined`.
   */
  async writeJoinedHead(
    page: PageRef,
    fields: Record<string, unknown>,
    written: readonly WrittenRun[],
    own: readonly Pick<Required<Stretch>, 'bytes' | 'facts'>[],
    now: number,
    beforeHead: () => Promise<void>,
  ): Promise<void> {
    const windowStart = new Date(now - DUPLICATE_WINDOW_MS).toISOString();
    const parts = written.map((run): PartRef => {
      const part: PartRef = { id: run.id, count: run.count, last: run.last, chars: run.chars, sources: run.sources };
      if (run.pinned !== undefined && run.pinned.length > 0) part.pinned = run.pinned;
      // Comments older than the duplicate window never come back into it: no fingerprint is needed.
      if (isBefore(run.newest, windowStart)) part.bodies = '';
      return part;
    });
    // pagingIndex as JSON: a string of ids, colons and commas, which JSON writes as they are.
    const indexes = written.map((run) => concatBytes([QUOTE_BYTES, run.index, QUOTE_BYTES]));
    const value = concatBytes([
      encoder.encode(`${JSON.stringify({ ...fields, parts }).slice(0, -1)},`),
      INDEX_START_BYTES,
      ...joinRuns(indexes, PIECES),
      INDEX_END_BYTES,
      ...joinRuns(
        own.map((stretch) => stretch.facts.sources),
        PIECES,
      ),
      COMMENTS_START_BYTES,
      ...joinRuns(
        own.map((stretch) => stretch.bytes),
        PIECES,
      ),
      END_BYTES,
    ]);
    await beforeHead();
    await this.kv.put(threadKey(page), value);
    snapshots.forget(threadKey(page));
  }

  /**
   * Which parts a snapshot whose comments are `comments` and sources `sources` (both in id order) is written in,
   * given how the one it was rebuilt from was split: a part whose comments are the same, or are written the same, is
   * kept as it is; one whose comments changed is written again under a new key (its range of ids kept, cut again if
   * it grew) and the old key retired; the comments after the last part are the head's own, sealed into new parts
   * once they pass `tailChars`. Each part's sources (every stored comment in its range) are a value of their own,
   * written again only when they changed. So a new comment writes the head alone, a change to an older comment the
   * head, that part and its sources; the head keeps the sources after the last part.
   */
  async #planParts(
    page: PageRef,
    comments: readonly (PublicComment | KeptComment)[],
    sources: readonly SnapshotSource[],
    previous: Split | undefined,
    now: number,
  ): Promise<{
    parts: PartRef[];
    members: (PublicComment | KeptComment)[][];
    sources: (SnapshotSource[] | undefined)[];
    indexes: string[];
    writes: { id: string; lines: string[] }[];
    sourceWrites: { id: string; sources: SnapshotSource[] }[];
    tail: (PublicComment | KeptComment)[];
    ownBodies: string | undefined;
    tailSources: SnapshotSource[];
    retired: RetiredPart[];
    due: string[];
  }> {
    type Item = { comment: PublicComment | KeptComment; line: string };
    const parts: PartRef[] = [];
    const members: (PublicComment | KeptComment)[][] = [];
    const partSources: (SnapshotSource[] | undefined)[] = [];
    const indexes: string[] = [];
    const writes: { id: string; lines: string[] }[] = [];
    const sourceWrites: { id: string; sources: SnapshotSource[] }[] = [];
    const retired = [...(previous?.retired ?? [])];
    const retire = (id: string) => retired.push({ id, at: new Date(now).toISOString() });
    // A comment posted at or before this can never be a repeat's match again (domain/duplicates.ts): a part of such
    // comments alone needs no fingerprints in the head, which every change reads and writes (45 KiB at 3,000).
    const windowStart = new Date(now - DUPLICATE_WINDOW_MS).toISOString();
    let s = 0;
    /** The sources after the previous part's up to `last`: those of the part ending there. */
    const sourcesUpTo = (last: string): SnapshotSource[] => {
      const from = s;
      while (s < sources.length && sources[s]![0] <= last) s++;
      return sources.slice(from, s);
    };
    /**
     * Adds `part` with its comments and sources: its sources value, its summary and the head's line of its paging
     * index are `kept` as they were, or else made and written anew. `own` is undefined only for a part kept whose
     * sources this isolate has not read.
     */
    const add = (
      part: PartRef,
      range: (PublicComment | KeptComment)[],
      own: SnapshotSource[] | undefined,
      kept?: { index: string },
    ) => {
      if (kept === undefined) {
        part.sources = newPartId();
        sourceWrites.push({ id: part.sources, sources: own! });
        // New sources, a new summary (a part copied from one written before keeps none of its old one).
        const { digest: _digest, newest: _newest, days: _days, votes: _votes, ...rest } = part;
        part = Object.assign(rest, partSummary(own!, now));
      } else if (part.digest === undefined && own !== undefined) {
        // A part of a head written before summaries gets one (a new object: its JSON is made again).
        part = Object.assign({ ...part }, partSummary(own, now));
      }
      // Its newest shown comment left the duplicate window since its entry was written: its fingerprints go (a new
      // object, its JSON made again once).
      if (part.bodies !== '' && part.newest !== undefined && isBefore(part.newest, windowStart)) {
        part = { ...part, bodies: '' };
      }
      parts.push(part);
      members.push(range);
      partSources.push(own);
      indexes.push(kept?.index ?? JSON.stringify(pagingIndex(range)));
    };
    const seal = (chunk: readonly Item[], last: string, printed?: ReadonlyMap<object, string>): void => {
      const id = newPartId();
      const lines = chunk.map(({ line }) => line);
      const chars = lines.reduce((sum, line) => sum + line.length, PIECES.length * (lines.length - 1));
      const part: PartRef = { id, count: chunk.length, last, chars };
      const placeholders = chunk.filter(({ comment }) => comment.deleted === true).map(({ comment }) => comment.id);
      const pinned = chunk.filter(({ line }) => line.endsWith(PINNED_LINE_END)).map(({ comment }) => comment.id);
      if (placeholders.length > 0) part.placeholders = placeholders;
      if (pinned.length > 0) part.pinned = pinned;
      const own = sourcesUpTo(last);
      // Shown comments all older than the duplicate window (a hidden one has no fingerprint): none is hashed.
      const outOfWindow = own.every(
        (source) => source.length === 5 && (source[2] === 'hidden' || isBefore(source[4], windowStart)),
      );
      part.bodies = outOfWindow
        ? ''
        : chunk
            .map(({ comment, line }) => {
              if (comment.deleted === true) return '';
              const known = printed?.get(comment) ?? headFingerprints.get(comment);
              if (known !== undefined) return known;
              // A kept comment of a part whose sources were not read knows no time of its own: its line has it.
              const { body, createdAt } =
                comment instanceof KeptComment ? (JSON.parse(line) as PublicComment) : comment;
              return bodyFingerprint(body, createdAt);
            })
            .join('');
      writes.push({ id, lines });
      add(
        part,
        chunk.map(({ comment }) => comment),
        own,
      );
    };
    /**
     * Seals `items` in parts of about `partChars`; the last ends at `last` when given, else what is left is returned.
     * `printed`: fingerprints known for some of the comments.
     */
    const cut = (items: readonly Item[], last?: string, printed?: ReadonlyMap<object, string>): Item[] => {
      let from = 0;
      for (const end of cutPoints(items.map(({ line }) => line.length))) {
        seal(items.slice(from, end), items[end - 1]!.comment.id, printed);
        from = end;
      }
      if (last === undefined || from === items.length) return items.slice(from);
      seal(items.slice(from), last, printed);
      return [];
    };
    /** A part whose comments are written as they were: kept, and its sources too unless they changed. */
    const keepPart = (n: number, part: PartRef, range: (PublicComment | KeptComment)[]) => {
      const own = sourcesUpTo(part.last);
      const was = previous!.sources[n];
      const index = previous!.indexes[n];
      // Carried over unread (`CarriedPart`): the snapshot has none of its sources, its summary says them.
      if (was === undefined && own.length === 0 && part.digest !== undefined && index !== undefined) {
        add(part, range, undefined, { index });
        return;
      }
      const same =
        part.sources !== undefined &&
        index !== undefined &&
        was !== undefined &&
        own.length === was.length &&
        own.every((source, k) => source === was[k] || jsonOf(source) === jsonOf(was[k]!));
      if (same) add(part, range, own, { index });
      else {
        if (part.sources !== undefined) retire(part.sources);
        const { sources: _sources, ...rest } = part;
        add(rest, range, own);
      }
    };

    let i = 0;
    for (const [n, part] of (previous?.parts ?? []).entries()) {
      const from = i;
      while (i < comments.length && comments[i]!.id <= part.last) i++;
      const range = comments.slice(from, i);
      const was = previous!.members[n]!;
      if (range.length === was.length && range.every((comment, k) => sameEntry(comment, was[k]!))) {
        keepPart(n, part, range);
        continue;
      }
      const [lines] = await this.#partLines(page, [part]);
      if (lines!.length !== was.length) throw new MissingPart(`part ${part.id} does not hold what its head says`);
      const lineOf = new Map(was.map((comment, k) => [comment, lines![k]!]));
      const items = range.map((comment) => {
        const line = lineOf.get(comment) ?? (comment instanceof KeptComment ? comment.json : jsonOf(comment));
        if (line === undefined) throw new MissingPart(`comment ${comment.id} is in no part of its range`);
        return { comment, line };
      });
      if (items.length === lines!.length && items.every(({ line }, k) => line === lines![k])) {
        keepPart(n, part, range);
        continue;
      }
      retire(part.id);
      if (part.sources !== undefined) retire(part.sources);
      // Its comments carried over keep their fingerprints: only the changed ones are parsed and hashed again.
      cut(items, part.last, fingerprintsOf(part, was));
    }
    const rest = comments.slice(i).map((comment) => ({ comment, line: jsonOf(comment) }));
    const restChars = rest.reduce((sum, { line }) => sum + line.length + 2, 0);
    // A thread is split once it passes `tailChars`; after that, the head's own comments are sealed as soon as they
    // fill a part, so the head every change rewrites holds half a part of them on average.
    const sealAt = parts.length > 0 ? SNAPSHOT_SPLIT.partChars : SNAPSHOT_SPLIT.tailChars;
    const tail = restChars > sealAt ? cut(rest) : rest;
    // A split head says its own comments' fingerprints (`ownBodies`): those of a head read without them are made once.
    const split = parts.length > 0;
    for (const { comment, line } of tail) {
      if (headFingerprints.has(comment) || (comment instanceof KeptComment && !split)) continue;
      let fingerprint = '';
      if (comment.deleted !== true) {
        const { body, createdAt } = comment instanceof KeptComment ? (JSON.parse(line) as PublicComment) : comment;
        fingerprint = bodyFingerprint(body, createdAt);
      }
      headFingerprints.set(comment, fingerprint);
    }
    const ownBodies = split
      ? tail.map(({ comment }) => headFingerprints.get(comment) || NO_FINGERPRINT).join('')
      : undefined;
    const isDue = ({ at }: RetiredPart) => now - Date.parse(at) >= SNAPSHOT_SPLIT.retireMs;
    return {
      parts,
      members,
      sources: partSources,
      indexes,
      writes,
      sourceWrites,
      tail: tail.map(({ comment }) => comment),
      ownBodies,
      tailSources: sources.slice(s),
      retired: retired.filter((part) => !isDue(part)),
      due: retired.filter(isDue).map(({ id }) => id),
    };
  }

  /**
   * The sources of each part of a head whose parts keep their own: this isolate's copy, else read (one bulk read)
   * where the part has no summary; undefined where it has one and this isolate has no copy.
   */
  async #unsummedSources(page: PageRef, parts: readonly PartRef[]): Promise<(SnapshotSource[] | undefined)[]> {
    const now = Date.now();
    const found = parts.map((part) => partSourceLists.get(threadPartKey(page, part.sources!), now));
    const unsummed = parts.filter((part, n) => found[n] === undefined && part.digest === undefined);
    const read = await this.#partSources(page, unsummed);
    return parts.map((part, n) => found[n] ?? (part.digest === undefined ? read[unsummed.indexOf(part)] : undefined));
  }

  /**
   * The sources of the parts `ns` of `snapshot` (split as `readForRebuild` read it or `write` wrote it), read now
   * because a change reached them; kept with its split, so its write and the rebuilds after it have them.
   */
  async readPartSources(
    page: PageRef,
    snapshot: RebuiltSnapshot,
    ns: readonly number[],
  ): Promise<(readonly SnapshotSource[])[]> {
    const split = splits.get(snapshot)!;
    const read = await this.#partSources(
      page,
      ns.map((n) => split.parts[n]!),
    );
    ns.forEach((n, k) => (split.sources[n] = read[k]));
    return read;
  }

  /** The lines of each of `parts`, from this isolate's copies or else bulk reads of up to 100 parts each. */
  #partLines(page: PageRef, parts: readonly PartRef[]): Promise<string[][]> {
    const keys = parts.map((part) => threadPartKey(page, part.id));
    return this.#partValues(keys, partLines, (text) => text.split(',\n'));
  }

  /** The sources of each of `parts` (`PartRef.sources`, all present), as `#partLines` reads their lines. */
  #partSources(page: PageRef, parts: readonly PartRef[]): Promise<SnapshotSource[][]> {
    const keys = parts.map((part) => threadPartKey(page, part.sources!));
    // Their lines are not remembered: a rebuild carries an unchanged part's sources over by key, and the few of a
    // part it writes again cost less to serialise than remembering every line of every part read.
    return this.#partValues(keys, partSourceLists, (text) => JSON.parse(`[${text}]`) as SnapshotSource[]);
  }

  /** The values at `keys` (never rewritten), from `cache` or else bulk reads, each made by `from` once. */
  async #partValues<T>(keys: readonly string[], cache: IsolateCache<T>, from: (text: string) => T): Promise<T[]> {
    const now = Date.now();
    const found = new Map<string, T>();
    for (const key of keys) {
      const value = cache.get(key, now);
      if (value !== undefined) found.set(key, value);
    }
    const missing = [...new Set(keys.filter((key) => !found.has(key)))];
    (await this.#partTexts(missing)).forEach((text, i) => {
      const value = from(text);
      cache.written(missing[i]!, value, text.length, now);
      found.set(missing[i]!, value);
    });
    return keys.map((key) => found.get(key)!);
  }

  /** The texts of the parts at `keys`, in their order, in bulk reads of up to 100 keys each. */
  async #partTexts(keys: readonly string[]): Promise<string[]> {
    const texts: string[] = [];
    for (let at = 0; at < keys.length; at += 100) {
      const batch = keys.slice(at, at + 100);
      const values = await this.kv.get(batch, 'text');
      for (const key of batch) {
        const text = values.get(key);
        if (text === null || text === undefined) throw new MissingPart(`${key} is not in KV`);
        texts.push(text);
      }
    }
    return texts;
  }

  /**
   * A split snapshot whole, for a reader that needs every comment: its head's fields and own comments, and each
   * part's comments parsed from its text as it comes (no joined copy of the whole is made).
   */
  async #whole(page: PageRef, head: string, parts: readonly PartRef[]): Promise<ThreadSnapshot> {
    const own = withoutHeadOnly(readerSnapshot(head) as ThreadSnapshot & HeadFields);
    const texts = await this.#partTexts(parts.map((part) => threadPartKey(page, part.id)));
    const comments = texts.flatMap((text) => JSON.parse(`[${text}]`) as PublicComment[]);
    return { ...own, comments: comments.concat(own.comments) };
  }

  #reader(page: PageRef): PartReader {
    return (parts) => this.#partLines(page, parts);
  }

  /** A reader's snapshot from KV's bytes laid out otherwise than `ServedLazily` takes: parsed whole. */
  async #readerSnapshot(page: PageRef, bytes: Uint8Array): Promise<ThreadSnapshot> {
    const text = decoder.decode(bytes);
    const parts = partsOf(text);
    return parts === undefined ? readerSnapshot(text) : this.#whole(page, text, parts);
  }

  /** The page's count as KV has it (no isolate's copy): null when it has none. */
  async readCount(page: PageRef): Promise<number | null> {
    const value = await this.kv.get(countKey(page), 'text');
    return value === null ? null : Number(value) || 0;
  }

  /**
   * Drops the page's count: only for a page with no snapshot, whose count an import wrote ahead of it and which is too
   * big to publish in a cron run (storage/repair.ts); the import sent again writes both.
   */
  async deleteCount(page: PageRef): Promise<void> {
    await this.kv.delete(countKey(page));
    counted.written(countKey(page), 0, ABSENT_SIZE, Date.now());
  }

  /**
   * The metadata (per-day activity, newest comment) is what the cron reads, with list(), for every page at once; with
   * `pageId` (the page's, as `page` was hashed from), it names its page when that fits (`storedCountMetadata`).
   */
  async writeCount(page: PageRef, count: number, metadata?: CountKeyMetadata, pageId?: string): Promise<void> {
    // `at`: when, for /counts?newest= (read after the comments counted: the Worker's clock moves only with I/O).
    const stored = metadata && { metadata: storedCountMetadata(metadata, Date.now(), pageId) };
    await this.kv.put(countKey(page), String(count), stored ?? {});
    counted.written(countKey(page), count, ABSENT_SIZE, Date.now());
  }

  /**
   * Visible comment counts of up to 100 pages for a reader, in one bulk read of those this isolate has not read
   * in the last READER_CACHE_MS; 0 for a page never commented on.
   */
  async counts(pages: PageRef[], now = Date.now()): Promise<number[]> {
    const keys = pages.map(countKey);
    const missing = [...new Set(keys.filter((key) => counted.get(key, now) === undefined))];
    const read = new Map<string, number>();
    if (missing.length > 0) {
      const started = counted.readStarted();
      const values = await this.kv.get(missing, 'text');
      for (const key of missing) {
        const count = Number(values.get(key) ?? 0) || 0;
        read.set(key, count);
        counted.fromRead(key, count, ABSENT_SIZE, now, started);
      }
    }
    return keys.map((key) => read.get(key) ?? counted.get(key, now) ?? 0);
  }

  /**
   * The counts of `pages` with the time of the newest comment each holds (its metadata's `last`) and when it was written
   * (`at`), read together from KV and not from this isolate's copy: for a reader with comments of their own there,
   * whose browser tells by those times which of theirs the count holds yet (routes/counts.ts).
   */
  async countsWithNewest(pages: PageRef[]): Promise<{ count: number; newest?: string; at?: number }[]> {
    const keys = pages.map(countKey);
    const values = await this.kv.getWithMetadata<CountKeyMetadata>(keys, 'text');
    return keys.map((key) => {
      const read = values.get(key);
      const count = Number(read?.value ?? 0) || 0;
      const { last: newest, at } = read?.metadata ?? {};
      return { count, ...(typeof newest === 'string' && { newest }), ...(typeof at === 'number' && { at }) };
    });
  }
}
