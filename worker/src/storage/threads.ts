/** Page snapshots and counts: the aggregates readers get, one KV value per page each. */
import type { CountKeyMetadata } from '../domain/comment-activity.js';
import { holdsAt, indexOfBytes, itemsOf } from '../domain/bytes.js';
import { COMMENT_ID_LENGTH } from '../domain/comment-id.js';
import { concatBytes, type JoinedSnapshot } from '../domain/prebuilt-thread.js';
import type { PublicComment, ThreadResponse } from '@sala/protocol';
import {
  emptySnapshot,
  KeptComment,
  pageOf,
  pageResponse,
  threadPage,
  type PagedComment,
  type RebuiltSnapshot,
  type SnapshotSource,
  type ThreadQuery,
  type ThreadSnapshot,
} from '../domain/thread.js';
import { IsolateCache } from './isolate-cache.js';
import { countKey, threadKey, type PageRef } from './keys.js';

/** How long readers of this isolate are served a snapshot or count read from KV before it is read again. */
export const READER_CACHE_MS = 5_000;

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
        if (kept instanceof KeptComment && kept.id === comment.id) {
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
const snapshots = new IsolateCache<ThreadSnapshot | WrittenText | ServedLazily | null>(
  READER_CACHE_MS,
  8 * 1024 * 1024,
);
const counted = new IsolateCache<number>(READER_CACHE_MS, 100_000);
/**
 * The snapshots this isolate last wrote or read for the rebuild, with their text: a read that finds the same text
 * in KV takes the object instead of parsing it again (about 1.5 ms for a 1,000-comment thread). The text is the
 * check, so these never go stale; they are only forgotten, oldest use first.
 */
const rebuildCopies = new IsolateCache<{ text: string; snapshot: RebuiltSnapshot; parsed: ThreadSnapshot | null }>(
  Number.POSITIVE_INFINITY,
  8 * 1024 * 1024,
);
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
  const json = JSON.stringify(value);
  remember(value, json);
  return json;
}

/**
 * A snapshot's sources and comments are its last two members, one item per line. JSON puts no raw line break
 * inside a value, so a snapshot read from KV splits into its items' JSON without a parser of its own.
 */
const SOURCES_START = '"sources":[\n';
const COMMENTS_START = '\n],"comments":[\n';
const END = '\n]}';

/** `JSON.stringify(snapshot)`, laid out one source and one comment per line, each item's JSON made once. */
function snapshotText(snapshot: RebuiltSnapshot): string {
  const { comments, sources = [], ...rest } = snapshot;
  let text = `${JSON.stringify(rest).slice(0, -1)},${SOURCES_START}`;
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
 * The snapshot in `text` as the rebuild needs it, parsing only its fields and sources: each comment is kept as its
 * line of JSON (`KeptComment`), with its parent and time from its source. Null when `text` is not in the layout
 * `snapshotText` writes or its lines are not as its sources say (an older snapshot): parse it whole.
 *
 * A comment whose line is the very JSON of a comment of `earlier` (this isolate's last copy of the page, when
 * another isolate wrote since) is that comment instead: the same public comment, and once a reader parsed it here,
 * parsed. So the snapshot rebuilt from it is parsed too, and readers of this isolate get it without parsing it
 * (about 1.5 ms and a 0.9 MB copy for a 1,000-comment thread, each time another isolate wrote the page).
 */
function keptSnapshot(text: string, earlier: RebuiltSnapshot | undefined): RebuiltSnapshot | null {
  const sourcesAt = text.indexOf(SOURCES_START);
  const commentsAt = sourcesAt === -1 ? -1 : text.indexOf(COMMENTS_START, sourcesAt);
  if (commentsAt === -1 || !text.endsWith(END)) return null;
  const fields = fieldsOf(text, sourcesAt);
  // The array as it is in the text: V8 parses a slice of a string far faster than one joined from pieces.
  const sources = JSON.parse(text.slice(sourcesAt + SOURCES_START.length - 2, commentsAt + 2)) as SnapshotSource[];
  if (!Array.isArray(sources)) return null;
  rememberLines(sources, text.slice(sourcesAt + SOURCES_START.length, commentsAt));
  const commentLines = text.slice(commentsAt + COMMENTS_START.length, text.length - END.length);
  const lines = commentLines === '' ? [] : commentLines.split(',\n');
  const known = new Map<string, PublicComment | KeptComment>();
  for (const comment of earlier?.comments ?? []) known.set(comment.id, comment);
  const comments: (PublicComment | KeptComment)[] = [];
  for (const source of sources) {
    const [id] = source;
    const line = lines[comments.length];
    const same = known.get(id);
    if (same !== undefined && line !== undefined && knownJsonOf(same) === line) {
      comments.push(sameComment(same, line));
      continue;
    }
    // Every public comment and placeholder starts with its id (domain/stored-comment.ts).
    const its = line !== undefined && line.startsWith(`{"id":${JSON.stringify(id)},`);
    if (source[2] === 'hidden') {
      // Not shown as itself: a placeholder only while a reply below it is shown.
      if (its) comments.push(new KeptComment(id, source[3], source[4], line, true));
    } else if (its && source.length === 5) comments.push(new KeptComment(id, source[3], source[4], line));
    else return null;
  }
  return comments.length === lines.length ? { ...fields, sources, comments } : null;
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
  return { ...fieldsOf(text, sourcesAt), comments };
}

/** The fields before a snapshot's `sources` (its first items, then a comma). */
function fieldsOf(text: string, sourcesAt: number): Omit<ThreadSnapshot, 'comments' | 'sources'> {
  return JSON.parse(`${text.slice(0, sourcesAt - 1)}}`) as Omit<ThreadSnapshot, 'comments' | 'sources'>;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const SOURCES_START_BYTES = encoder.encode(SOURCES_START);
const COMMENTS_START_BYTES = encoder.encode(COMMENTS_START);
const END_BYTES = encoder.encode(END);
/** How a pinned comment's JSON ends: `toPublicComment` (domain/stored-comment.ts) adds `pinned` last. */
const PINNED_END = encoder.encode(',"pinned":true}');

/** Where the parts of a snapshot laid out as `snapshotText` writes it are, in its UTF-8 bytes. */
interface Layout {
  /** The index of `"sources"`: the fields are the bytes before it, less their comma. */
  sourcesKey: number;
  /** The sources' items are [sourcesFrom, sourcesTo): their array opens two bytes before and closes one after. */
  sourcesFrom: number;
  sourcesTo: number;
  /** The comments' items are [commentsFrom, commentsTo): their array opens two bytes before and closes one after. */
  commentsFrom: number;
  commentsTo: number;
}

/** The layout of `bytes`, found without decoding them; null when they are laid out otherwise (an older snapshot). */
function layoutOf(bytes: Uint8Array): Layout | null {
  // The first line break is the one ending SOURCES_START: the fields' JSON writes none.
  const sourcesFrom = bytes.indexOf(0x0a) + 1;
  const sourcesKey = sourcesFrom - SOURCES_START_BYTES.length;
  if (sourcesFrom === 0 || sourcesKey < 1 || !holdsAt(bytes, sourcesKey, SOURCES_START_BYTES)) return null;
  // Every source's line starts with `[`, so the first line break followed by `]` ends them.
  const sourcesTo = indexOfBytes(bytes, COMMENTS_START_BYTES, sourcesFrom);
  const commentsFrom = sourcesTo + COMMENTS_START_BYTES.length;
  const commentsTo = bytes.length - END_BYTES.length;
  if (sourcesTo === -1 || commentsTo < commentsFrom || !holdsAt(bytes, commentsTo, END_BYTES)) return null;
  return { sourcesKey, sourcesFrom, sourcesTo, commentsFrom, commentsTo };
}

const ID_FIELD = encoder.encode('{"id":"');
const PARENT_FIELD = encoder.encode('","parentId":');
const NULL_PARENT = encoder.encode('null,');
const QUOTE = 0x22;
/** The bytes of an id's characters (Crockford base32, domain/comment-id.ts): 1 for those an id may hold. */
const ID_CHARACTER = new Uint8Array(128);
for (const character of '0123456789ABCDEFGHJKMNPQRSTVWXYZ') ID_CHARACTER[character.charCodeAt(0)] = 1;

/** Copies the id at `bytes[from]` to `into[at]`, and whether it is one (`isCommentId`, checked on the bytes). */
function copyId(bytes: Uint8Array, from: number, into: Uint8Array, at: number): boolean {
  if (from + COMMENT_ID_LENGTH > bytes.length || bytes[from]! > 0x37) return false; // its first character is 0-7
  for (let i = 0; i < COMMENT_ID_LENGTH; i++) {
    const byte = bytes[from + i]!;
    if (ID_CHARACTER[byte] !== 1) return false;
    into[at + i] = byte;
  }
  return true;
}

/**
 * What paging needs of each comment, read from its line without decoding or parsing it: every public comment and
 * placeholder starts `{"id":"…","parentId":null,` or `…"parentId":"…",` (`toPublicComment` and `toPlaceholder`,
 * domain/stored-comment.ts, write those two first and `pinned` last), and ids are 26 ASCII characters. The ids are
 * gathered into one array and decoded at once (a decode per id costs more than all the rest). Null when a line
 * does not start so.
 */
function pagedOf(lines: readonly Uint8Array[]): PagedComment[] | null {
  const idEnd = ID_FIELD.length + COMMENT_ID_LENGTH;
  const parentAt = idEnd + PARENT_FIELD.length;
  const ids = new Uint8Array(lines.length * 2 * COMMENT_ID_LENGTH);
  const replies: boolean[] = [];
  for (const [i, line] of lines.entries()) {
    const at = i * 2 * COMMENT_ID_LENGTH;
    if (!holdsAt(line, 0, ID_FIELD) || !copyId(line, ID_FIELD.length, ids, at)) return null;
    if (!holdsAt(line, idEnd, PARENT_FIELD)) return null;
    const reply = line[parentAt] === QUOTE && line[parentAt + COMMENT_ID_LENGTH + 1] === QUOTE;
    if (reply ? !copyId(line, parentAt + 1, ids, at + COMMENT_ID_LENGTH) : !holdsAt(line, parentAt, NULL_PARENT)) {
      return null;
    }
    replies.push(reply);
  }
  const text = decoder.decode(ids);
  return lines.map((line, i) => {
    const at = i * 2 * COMMENT_ID_LENGTH;
    const id = text.slice(at, at + COMMENT_ID_LENGTH);
    const parentId = replies[i] ? text.slice(at + COMMENT_ID_LENGTH, at + 2 * COMMENT_ID_LENGTH) : null;
    return holdsAt(line, line.length - PINNED_END.length, PINNED_END)
      ? { id, parentId, pinned: true }
      : { id, parentId };
  });
}

/**
 * A snapshot as a reader's GET needs it when this isolate has no copy at hand: the bytes KV gave, with only the
 * fields decoded and parsed, and each comment's line found, so a page decodes and parses only the comments it
 * serves (the sources, the rebuild's own, are not read either). A 1,000-comment snapshot is 0.9 MB and its first
 * page about 25 comments: decoding and parsing all of it (`readerSnapshot`) was most of a cold GET's CPU.
 */
class ServedLazily {
  readonly #parsed: (PublicComment | undefined)[] = [];
  #snapshot: ThreadSnapshot | undefined;

  private constructor(
    readonly fields: Omit<ThreadSnapshot, 'comments' | 'sources'>,
    /** What paging needs of each comment, read from the start and the end of its line (`pagedOf`). */
    readonly index: readonly PagedComment[],
    readonly lines: readonly Uint8Array[],
    /** The comments' array, brackets included: what a reader that needs every comment parses at once. */
    readonly array: Uint8Array,
  ) {}

  /** Null when `bytes` are not laid out as `snapshotText` writes, or a comment's line does not start as it should. */
  static from(bytes: Uint8Array): ServedLazily | null {
    const layout = layoutOf(bytes);
    if (layout === null) return null;
    const fields = JSON.parse(`${decoder.decode(bytes.subarray(0, layout.sourcesKey - 1))}}`) as ServedLazily['fields'];
    const lines = itemsOf(bytes, layout.commentsFrom, layout.commentsTo);
    const index = pagedOf(lines);
    if (index === null) return null;
    return new ServedLazily(fields, index, lines, bytes.subarray(layout.commentsFrom - 2, layout.commentsTo + 2));
  }

  page(query: ThreadQuery): ThreadResponse {
    const { served, nextCursor } = pageOf(this.index, query);
    return pageResponse(
      this.fields,
      query,
      served.map((i) => this.#comment(i)),
      nextCursor,
    );
  }

  /** Every comment parsed, for a reader that needs them all (the duplicate check of a new comment). */
  get snapshot(): ThreadSnapshot {
    this.#snapshot ??= { ...this.fields, comments: JSON.parse(decoder.decode(this.array)) as PublicComment[] };
    return this.#snapshot;
  }

  /** The comment at `i`, parsed once: requests served from this copy share it, so never change it. */
  #comment(i: number): PublicComment {
    const known = this.#snapshot?.comments[i] ?? this.#parsed[i];
    if (known !== undefined) return known;
    const parsed = JSON.parse(decoder.decode(this.lines[i])) as PublicComment;
    this.#parsed[i] = parsed;
    return parsed;
  }
}

/** What an absent snapshot or count costs to remember: its key. */
const ABSENT_SIZE = 64;

export class ThreadStore {
  constructor(private readonly kv: KVNamespace) {}

  /**
   * The page's snapshot in one KV read; null before the page's first comment. Always KV's current copy, parsed
   * only when this isolate has not already got it as an object: shared, so never change what it returns.
   */
  async read(page: PageRef): Promise<ThreadSnapshot | null> {
    const key = threadKey(page);
    const text = await this.kv.get(key, 'text');
    if (text === null) return null;
    const copy = rebuildCopies.get(key, Date.now());
    if (copy !== undefined && copy.text === text && copy.parsed !== null) return copy.parsed;
    const snapshot = parseSnapshot(text);
    rebuildCopies.written(key, { text, snapshot, parsed: snapshot }, text.length, Date.now());
    return snapshot;
  }

  /**
   * The page's snapshot for its rebuild, in one KV read: this isolate's copy when KV still has the text it wrote or
   * read last; else, when the text is laid out as this code writes it, its fields and sources parsed and each
   * comment kept as its JSON (`keptSnapshot`), so a rebuild in an isolate that did not write the snapshot does not
   * parse every comment of it; an older layout is parsed whole. Shared: never change what it returns.
   */
  async readForRebuild(page: PageRef): Promise<RebuiltSnapshot | null> {
    const key = threadKey(page);
    const text = await this.kv.get(key, 'text');
    if (text === null) return null;
    const copy = rebuildCopies.get(key, Date.now());
    if (copy !== undefined && copy.text === text) return copy.snapshot;
    const kept = keptSnapshot(text, copy?.snapshot);
    const parsed = kept === null ? parseSnapshot(text) : null;
    rebuildCopies.written(key, { text, snapshot: kept ?? parsed!, parsed }, text.length, Date.now());
    return kept ?? parsed!;
  }

  /**
   * The snapshot for a reader's GET: as `read`, or this isolate's copy up to READER_CACHE_MS old
   * (storage/isolate-cache.ts). Shared between requests: never change what it returns. Writers use `read`, the rebuild `readForRebuild`.
   */
  async readForReader(page: PageRef, now = Date.now()): Promise<ThreadSnapshot | null> {
    const key = threadKey(page);
    const cached = snapshots.get(key, now);
    if (cached instanceof WrittenText) return cached.parsed;
    if (cached instanceof ServedLazily) return cached.snapshot;
    if (cached !== undefined) return cached;
    const started = snapshots.readStarted();
    const text = await this.kv.get(key, 'text');
    const snapshot = text === null ? null : readerSnapshot(text);
    snapshots.fromRead(key, snapshot, text?.length ?? ABSENT_SIZE, now, started);
    return snapshot;
  }

  /**
   * One page of the thread for a reader's GET (domain/thread.ts `pageOf`), from this isolate's copy up to
   * READER_CACHE_MS old, or else from one KV read whose bytes are decoded and parsed only as far as the page needs
   * (`ServedLazily`). Shared between requests: never change what it returns.
   */
  async readPage(page: PageRef, pageId: string, query: ThreadQuery, now = Date.now()): Promise<ThreadResponse> {
    const key = threadKey(page);
    let cached = snapshots.get(key, now);
    if (cached === undefined) {
      const started = snapshots.readStarted();
      const buffer = await this.kv.get(key, 'arrayBuffer');
      const bytes = buffer === null ? null : new Uint8Array(buffer);
      cached = bytes === null ? null : (ServedLazily.from(bytes) ?? readerSnapshot(decoder.decode(bytes)));
      snapshots.fromRead(key, cached, bytes?.length ?? ABSENT_SIZE, now, started);
    }
    if (cached instanceof ServedLazily) return cached.page(query);
    return threadPage(cached instanceof WrittenText ? cached.parsed : (cached ?? emptySnapshot(pageId)), query);
  }

  /** Only the rebuild calls this: it is the snapshot's one writer. */
  async write(page: PageRef, snapshot: RebuiltSnapshot): Promise<void> {
    const text = snapshotText(snapshot);
    await this.kv.put(threadKey(page), text);
    const parsed = isParsed(snapshot) ? snapshot : null;
    snapshots.written(threadKey(page), parsed ?? new WrittenText(text, snapshot), text.length, Date.now());
    rebuildCopies.written(threadKey(page), { text, snapshot, parsed }, text.length, Date.now());
  }

  /**
   * A snapshot joined from prebuilt pieces: an import publishing a page that has nothing but its comments
   * (storage/import-run.ts), what the rebuild would build, laid out as `snapshotText` lays one out, without
   * parsing or serialising its comments again here.
   */
  async writeJoined(page: PageRef, snapshot: JoinedSnapshot): Promise<void> {
    const { fields, sources, comments } = snapshot;
    const encoder = new TextEncoder();
    const head = `${JSON.stringify(fields).slice(0, -1)},${SOURCES_START}${sources}${COMMENTS_START}`;
    // Bytes, as the comments come: KV stores them as they are, with no string of the whole made or encoded here.
    const value = concatBytes([encoder.encode(head), ...comments, encoder.encode(END)]);
    await this.kv.put(threadKey(page), value);
    snapshots.forget(threadKey(page));
  }

  /** The metadata (per-day activity, newest comment) is what the cron reads, with list(), for every page at once. */
  async writeCount(page: PageRef, count: number, metadata?: CountKeyMetadata): Promise<void> {
    await this.kv.put(countKey(page), String(count), metadata ? { metadata } : {});
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
}
