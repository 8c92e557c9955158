/** Page snapshots and counts: the aggregates readers get, one KV value per page each. */
import type { CountKeyMetadata } from '../domain/comment-activity.js';
import type { JoinedSnapshot } from '../domain/prebuilt-thread.js';
import type { PublicComment } from '@sala/protocol';
import type { ThreadSnapshot } from '../domain/thread.js';
import { IsolateCache } from './isolate-cache.js';
import { countKey, threadKey, type PageRef } from './keys.js';

/** How long readers of this isolate are served a snapshot or count read from KV before it is read again. */
export const READER_CACHE_MS = 5_000;

/** Snapshots by KV key, sized in characters of JSON: a 1,000-comment thread is about 0.5 MB of 128 MB. */
const snapshots = new IsolateCache<ThreadSnapshot | null>(READER_CACHE_MS, 8 * 1024 * 1024);
const counted = new IsolateCache<number>(READER_CACHE_MS, 100_000);
/**
 * The snapshots this isolate last wrote or read for the rebuild, with their text: a read that finds the same text
 * in KV takes the object instead of parsing it again (about 1.5 ms for a 1,000-comment thread). The text is the
 * check, so these never go stale; they are only forgotten, oldest use first.
 */
const rebuildCopies = new IsolateCache<{ text: string; snapshot: ThreadSnapshot }>(
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
  Object.defineProperty(value, JSON_TEXT, { value: json });
}

function jsonOf(value: object): string {
  const known = (value as { [JSON_TEXT]?: string })[JSON_TEXT];
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
function snapshotText(snapshot: ThreadSnapshot): string {
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
    if (copy !== undefined && copy.text === text) return copy.snapshot;
    const snapshot = parseSnapshot(text);
    rebuildCopies.written(key, { text, snapshot }, text.length, Date.now());
    return snapshot;
  }

  /**
   * The snapshot for a reader's GET: as `read`, or this isolate's copy up to READER_CACHE_MS old
   * (storage/isolate-cache.ts). Shared between requests: never change what it returns. Writers use `read`.
   */
  async readForReader(page: PageRef, now = Date.now()): Promise<ThreadSnapshot | null> {
    const key = threadKey(page);
    const cached = snapshots.get(key, now);
    if (cached !== undefined) return cached;
    const started = snapshots.readStarted();
    const text = await this.kv.get(key, 'text');
    const snapshot = text === null ? null : (JSON.parse(text) as ThreadSnapshot);
    snapshots.fromRead(key, snapshot, text?.length ?? ABSENT_SIZE, now, started);
    return snapshot;
  }

  /** Only the rebuild calls this: it is the snapshot's one writer. */
  async write(page: PageRef, snapshot: ThreadSnapshot): Promise<void> {
    const text = snapshotText(snapshot);
    await this.kv.put(threadKey(page), text);
    snapshots.written(threadKey(page), snapshot, text.length, Date.now());
    rebuildCopies.written(threadKey(page), { text, snapshot }, text.length, Date.now());
  }

  /**
   * A snapshot joined from prebuilt pieces: an import publishing a page that has nothing but its comments
   * (storage/import-run.ts), what the rebuild would build, laid out as `snapshotText` lays one out, without
   * parsing or serialising its comments again here.
   */
  async writeJoined(page: PageRef, snapshot: JoinedSnapshot): Promise<void> {
    const { fields, sources, comments } = snapshot;
    const text = `${JSON.stringify(fields).slice(0, -1)},${SOURCES_START}${sources}${COMMENTS_START}${comments}${END}`;
    await this.kv.put(threadKey(page), text);
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
