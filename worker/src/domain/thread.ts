/**
 * Threads: the snapshot a page's comments are rebuilt into, and the pages of it GET /comments serves.
 * Pure, so the one-read thread request is a KV get plus this.
 */
import { LIMITS, type PublicComment, type ThreadResponse, type ThreadSort } from '@sala/protocol';
import { invalidField } from '../errors.js';
import { ACTIVITY_DAYS, type PartActivity } from './comment-activity.js';
import { isCommentId } from './comment-id.js';
import { isVisible, toPlaceholder, toPublicComment, type StoredComment } from './stored-comment.js';
import { DAY_MS, utcDay } from './utc-time.js';

/** Everything a thread request needs, in one KV value. */
export interface ThreadSnapshot {
  pageId: string;
  /** The page's address as a link (`pageLinkOf`); never served by GET /comments. */
  pageUrl?: string;
  /** Visible comments, placeholders not counted. */
  total: number;
  /** Visible comments and placeholders, oldest first. */
  comments: PublicComment[];
  builtAt: string;
  /** The owner closed the thread to new comments. */
  closed?: true;
  /** `updatedAt` of the page's imported document this snapshot includes: an import is visible once they match. */
  importedAt?: string;
  /**
   * Every stored comment of the page (shown or not), in id order, as the rebuild last read it; never served. Lets
   * the next rebuild reuse the entries of comments that have not changed instead of reading and mapping them
   * again. Tuples, not objects keyed by id: a reader's JSON.parse makes no object or key for them. Absent in
   * snapshots written before it existed: their next rebuild reads every comment.
   */
  sources?: SnapshotSource[];
  /** The page addresses the shown comments were sent with, which a source's `link` indexes. */
  links?: string[];
}

/**
 * The first half of the version (storage/comments.ts) of a comment kept only in its page's imported document (it
 * has no key of its own); the second half is its decision key's, empty when the owner never decided on it.
 */
export const IMPORTED_VERSION = 'imported';

/**
 * What the rebuild keeps of one stored comment beside its public entry: its id; which write of its comment key
 * and of its decision key the entry was made from (`version`, storage/comments.ts); for a comment shown as itself,
 * the index in `links` of the address it came with (or null); and its parent and time, which is all a rebuild
 * needs of a comment it does not read again. With them, a rebuild in an isolate that did not write the snapshot
 * parses only the sources and keeps each unchanged comment's line of JSON as it is (`KeptComment`). Snapshots
 * written before that have shown comments' sources of three items; they are read whole, once.
 */
export type SnapshotSource =
  | [id: string, version: string, link: number | null, parentId: string | null, createdAt: string]
  | [id: string, version: string, hidden: 'hidden', parentId: string | null, createdAt: string]
  | [id: string, version: string, link: number | null];

/**
 * A comment of a snapshot the rebuild read without parsing its comments: the line of JSON the snapshot has for it,
 * written back as it is, and what the rebuild needs of it (from its source). Only the rebuild's snapshots hold
 * these; readers always get parsed comments.
 */
export class KeptComment {
  constructor(
    readonly id: string,
    readonly parentId: string | null,
    readonly createdAt: string,
    /**
     * Its JSON, exactly as the snapshot it came from has it; undefined while it sits unread in one of the snapshot's
     * parts (`part`: a big thread's snapshot is split, storage/threads.ts), which is written again as it is.
     */
    readonly json: string | undefined,
    /** A placeholder (`toPlaceholder`), not the comment shown as itself. */
    readonly deleted?: true,
    /** The part of a split snapshot its JSON is in, when `json` was not read. */
    readonly part?: string,
  ) {}

  /**
   * The comment parsed from `json`, once a reader of this isolate parsed the snapshot (storage/threads.ts): the
   * next snapshot built carries it instead, so readers get that one parsed at no cost.
   */
  parsed: PublicComment | undefined;
}

/** A snapshot as the rebuild builds and reads it: some comments may be kept as their JSON. */
export type RebuiltSnapshot = Omit<ThreadSnapshot, 'comments'> & { comments: (PublicComment | KeptComment)[] };

/**
 * One stored comment as the snapshot needs it: its public entry when it is shown as itself (null when not),
 * made once by toPublicComment and then carried from snapshot to snapshot while the comment is unchanged.
 */
export interface ThreadEntry {
  id: string;
  parentId: string | null;
  createdAt: string;
  /** The version it was read at (storage/comments.ts); '' when unknown. */
  version: string;
  view: PublicComment | KeptComment | null;
  /** The address it was sent with: counted only while it is shown. */
  pageUrl?: string;
  /**
   * The source last written for it: an unchanged entry keeps the same tuple, so whoever serialises the snapshot
   * can keep its JSON (storage/threads.ts).
   */
  source?: SnapshotSource;
}

export interface ThreadQuery {
  sort: ThreadSort;
  /** Id of the last top-level comment already served, from `nextCursor`. */
  after: string | null;
  limit: number;
}

function append<T>(groups: Map<string, T[]>, key: string, item: T): void {
  const group = groups.get(key);
  if (group) group.push(item);
  else groups.set(key, [item]);
}

/**
 * The address most of the page's shown comments were sent with (the oldest of them on a tie): a link the blog
 * serves, where the page id may have lost its `.html`. Held and spam comments have no say, so one forger with an
 * odd form of the address does not change it.
 */
export function pageLinkOf(stored: readonly StoredComment[]): string | undefined {
  return mostSentLink(stored.filter(isVisible));
}

function mostSentLink(shown: Iterable<{ id: string; pageUrl?: string }>): string | undefined {
  const votes = new LinkVotes();
  for (const record of shown) if (record.pageUrl !== undefined) votes.add(record.pageUrl, record.id);
  return votes.best();
}

/** How many shown comments were sent with each address, and the oldest of them: what `mostSentLink` picks from. */
class LinkVotes {
  readonly #votes = new Map<string, { count: number; first: string }>();

  add(link: string, id: string): void {
    const vote = this.#votes.get(link);
    if (vote === undefined) this.#votes.set(link, { count: 1, first: id });
    else {
      vote.count += 1;
      if (id < vote.first) vote.first = id;
    }
  }

  /** `count` comments sent with `link`, the oldest of them `first`. */
  addVotes(link: string, count: number, first: string): void {
    const vote = this.#votes.get(link);
    if (vote === undefined) this.#votes.set(link, { count, first });
    else {
      vote.count += count;
      if (first < vote.first) vote.first = first;
    }
  }

  /** The address most comments were sent with, the oldest comment's on a tie. */
  best(): string | undefined {
    let best: { link: string; count: number; first: string } | undefined;
    for (const [link, { count, first }] of this.#votes) {
      if (best === undefined || count > best.count || (count === best.count && first < best.first)) {
        best = { link, count, first };
      }
    }
    return best?.link;
  }
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The entry of one stored comment read at `version`: the one place a comment is mapped to what readers see. */
export function threadEntry(record: StoredComment, version = ''): ThreadEntry {
  const visible = isVisible(record);
  const entry: ThreadEntry = {
    id: record.id,
    parentId: record.parentId,
    createdAt: record.createdAt,
    version,
    view: visible ? toPublicComment(record) : null,
  };
  if (visible && record.pageUrl !== undefined) entry.pageUrl = record.pageUrl;
  return entry;
}

/**
 * The entries a snapshot was built from, by id, from its `sources` and its comments: what the next rebuild
 * reuses for the comments whose version has not changed. Empty for a snapshot without sources.
 */
export function entriesOf(snapshot: RebuiltSnapshot): Map<string, ThreadEntry> {
  if (!Array.isArray(snapshot.sources)) return new Map();
  return entriesFrom(snapshot.sources, snapshot.comments, snapshot.links);
}

/**
 * The entries of the stored comments whose sources are `sources`, given the snapshot's comments among which those
 * shown are (placeholders and others may be there too) and its `links`.
 */
export function entriesFrom(
  sources: readonly SnapshotSource[],
  comments: readonly (PublicComment | KeptComment)[],
  links: readonly string[] | undefined,
): Map<string, ThreadEntry> {
  const entries = new Map<string, ThreadEntry>();
  const shownAsItself = new Map<string, PublicComment | KeptComment>();
  for (const comment of comments) if (comment.deleted !== true) shownAsItself.set(comment.id, comment);
  for (const source of sources) {
    const [id, version] = source;
    if (source[2] === 'hidden') {
      entries.set(id, { id, parentId: source[3], createdAt: source[4], version, view: null, source });
      continue;
    }
    const view = shownAsItself.get(id);
    // Not as the snapshot says, or shown before comments were sent parsed: read it again.
    if (view === undefined || (!(view instanceof KeptComment) && view.parsed === undefined)) continue;
    // Its parent and time from its source: a comment of a part whose sources were not read has no time of its own.
    const [parentId, createdAt] = source.length === 5 ? [source[3], source[4]] : [view.parentId, view.createdAt];
    const entry: ThreadEntry = { id, parentId, createdAt, version, view, source };
    const link = source[2] === null ? undefined : links?.[source[2]];
    if (link !== undefined) entry.pageUrl = link;
    entries.set(id, entry);
  }
  return entries;
}

function sourceFor(entry: ThreadEntry, link: number | null): SnapshotSource {
  const last = entry.source;
  const source: SnapshotSource =
    entry.view !== null
      ? last !== undefined && last.length === 5 && last[2] === link && last[1] === entry.version
        ? last
        : [entry.id, entry.version, link, entry.parentId, entry.createdAt]
      : last !== undefined && last[2] === 'hidden' && last[1] === entry.version
        ? last
        : [entry.id, entry.version, 'hidden', entry.parentId, entry.createdAt];
  entry.source = source;
  return source;
}

/**
 * The snapshot of one page from all its stored comments, in any order. A comment that is not shown keeps a
 * blank placeholder while any reply below it is shown, so the replies keep their place.
 */
export function buildSnapshot(
  pageId: string,
  stored: StoredComment[],
  now: Date,
  options: { closed?: boolean; importedAt?: string | null } = {},
): ThreadSnapshot {
  const entries = stored.map((record) => threadEntry(record)).sort(byId);
  // Every entry is mapped here, none kept as JSON: every comment is a PublicComment.
  return snapshotOf(pageId, entries, now, options) as ThreadSnapshot;
}

/** The snapshot of one page from the entries of all its stored comments, in id order (as KV lists them). */
export function snapshotOf(
  pageId: string,
  entries: readonly ThreadEntry[],
  now: Date,
  options: { closed?: boolean; importedAt?: string | null } = {},
): RebuiltSnapshot {
  return snapshotOfBlocks(pageId, [entries], [], now, options);
}

/**
 * What the head of a big thread's snapshot (storage/threads.ts) keeps of each part, made from the part's sources
 * when they are written: enough for a rebuild in an isolate that has not read those sources to tell whether a
 * change reached the part (`digest`, against the listing) and, when none did, to carry it over and count its
 * activity and its address's votes without reading them. No object inside (the head's entries hold no brace but
 * their own: storage/threads.ts `rememberParts`).
 */
export interface PartSummary extends PartActivity {
  /** `VersionDigest` of its sources' ids and versions, in id order. */
  digest: string;
  /** Each address its shown comments were sent with: its index in the snapshot's `links`, how many, the oldest. */
  votes?: [link: number, count: number, first: string][];
}

/** The UTF-8 bytes `VersionDigest` hashes, kept between digests (grown when a part needs more). */
let digestBytes = new Uint8Array(64 * 1024);
const digestEncoder = new TextEncoder();

/**
 * A digest of comments' ids and versions, in id order: what the listing shows of a part's range is what its sources
 * hold exactly when the digests match. Their lines are joined, encoded and hashed four bytes at a time by two 32-bit
 * multiply-xor hashes (64 bits): the ids and versions are the server's, so only chance could make two lists alike.
 * (A rebuild over another isolate's head digests nearly every comment's, 3,000 at a time: hashing the encoded bytes
 * costs about half of hashing the strings a character at a time.)
 */
export class VersionDigest {
  readonly #lines: string[] = [];

  add(id: string, version: string): void {
    this.#lines.push(id, version);
  }

  get value(): string {
    const text = this.#lines.join('\n');
    if (digestBytes.length < 3 * text.length + 4) digestBytes = new Uint8Array(3 * text.length + 4);
    const { written } = digestEncoder.encodeInto(text, digestBytes);
    const end = (written + 3) & ~3;
    digestBytes.fill(0, written, end);
    const words = new Int32Array(digestBytes.buffer, 0, end >> 2);
    let a = 0x811c9dc5 ^ written;
    let b = 0x2f0b3c4d;
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      a = Math.imul(a ^ word, 0x01000193);
      b = Math.imul((b ^ word) + (b >>> 15), 0x5bd1e995);
    }
    // A last mix, so that the last words reach every bit.
    a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
    b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
    return `${((a ^ (a >>> 13)) >>> 0).toString(36)}.${((b ^ (b >>> 16)) >>> 0).toString(36)}`;
  }
}

/**
 * The summary of a part whose sources (every stored comment in its range, in id order) are `sources`, written at
 * `now`; undefined when a source has no time (of three items: a snapshot from before sources had one).
 */
export function partSummary(sources: readonly SnapshotSource[], now: number): PartSummary | undefined {
  const digest = new VersionDigest();
  const oldestDay = utcDay(now - (ACTIVITY_DAYS - 1) * DAY_MS);
  const days = new Map<string, number>();
  const votes = new Map<number, { count: number; first: string }>();
  let newest: string | undefined;
  for (const source of sources) {
    if (source.length !== 5) return undefined;
    const [id, version, link, , createdAt] = source;
    digest.add(id, version);
    if (link === 'hidden') continue;
    if (newest === undefined || createdAt > newest) newest = createdAt;
    const day = createdAt.slice(0, 10);
    if (day >= oldestDay) days.set(day, (days.get(day) ?? 0) + 1);
    if (link === null) continue;
    const vote = votes.get(link);
    if (vote === undefined) votes.set(link, { count: 1, first: id });
    else {
      vote.count += 1;
      if (id < vote.first) vote.first = id;
    }
  }
  const summary: PartSummary = { digest: digest.value };
  if (newest !== undefined) summary.newest = newest;
  if (days.size > 0) summary.days = [...days].sort(([a], [b]) => (a < b ? -1 : 1));
  if (votes.size > 0) summary.votes = [...votes].map(([link, { count, first }]) => [link, count, first]);
  return summary;
}

/**
 * A part of the previous snapshot of a big thread (storage/threads.ts) that the rebuild carries into the next as
 * it is, making no entry for its comments: none of them changed, nor any comment below one of them.
 */
export interface CarriedPart {
  /**
   * Its comments as the previous snapshot has them, shown as themselves or as placeholders, in id order. Those of a
   * part whose sources were not read know no time (`createdAt` empty): its summary counts them.
   */
  members: readonly (PublicComment | KeptComment)[];
  /**
   * The sources of every stored comment in its range, in id order; their links index the previous `links`.
   * Undefined when this isolate did not read them: the part has a `summary`, and the snapshot's `sources` leave
   * its range out (its sources value is kept by key).
   */
  sources: readonly SnapshotSource[] | undefined;
  summary?: PartSummary;
}

function isCarried(block: readonly ThreadEntry[] | CarriedPart): block is CarriedPart {
  return !Array.isArray(block);
}

/**
 * The snapshot of one page from blocks of its stored comments, in id order: runs of entries, and parts carried over
 * from the previous snapshot, whose `links` are `previousLinks` (kept in their places, so the carried parts' sources
 * still index them; new addresses are added after them). A carried part's comments are shown as they were: shown
 * as themselves, or as placeholders kept for a reply still shown below them.
 */
export function snapshotOfBlocks(
  pageId: string,
  blocks: readonly (readonly ThreadEntry[] | CarriedPart)[],
  previousLinks: readonly string[],
  now: Date,
  options: { closed?: boolean; importedAt?: string | null } = {},
): RebuiltSnapshot {
  const children = new Map<string, ThreadEntry[]>();
  /** The comments with a reply of a carried part shown below them (as itself or as a placeholder). */
  const shownBelow = new Set<string>();
  for (const block of blocks) {
    if (isCarried(block)) {
      for (const member of block.members) if (member.parentId !== null) shownBelow.add(member.parentId);
    } else {
      for (const entry of block) if (entry.parentId !== null) append(children, entry.parentId, entry);
    }
  }

  const shown = new Map<string, boolean>();
  const isShown = (entry: ThreadEntry): boolean => {
    const known = shown.get(entry.id);
    if (known !== undefined) return known;
    shown.set(entry.id, false); // guards against a (corrupt) cycle
    const result = entry.view !== null || shownBelow.has(entry.id) || (children.get(entry.id) ?? []).some(isShown);
    shown.set(entry.id, result);
    return result;
  };

  const comments: (PublicComment | KeptComment)[] = [];
  const sources: SnapshotSource[] = [];
  const links = [...previousLinks];
  const votes = new LinkVotes();
  let total = 0;
  for (const block of blocks) {
    if (isCarried(block)) {
      for (const member of block.members) {
        comments.push(member);
        if (member.deleted !== true) total += 1;
      }
      if (block.sources === undefined) {
        for (const [link, count, first] of block.summary?.votes ?? [])
          votes.addVotes(previousLinks[link]!, count, first);
        continue;
      }
      for (const source of block.sources) {
        sources.push(source);
        if (typeof source[2] === 'number') votes.add(previousLinks[source[2]]!, source[0]);
      }
      continue;
    }
    for (const entry of block) {
      let link: number | null = null;
      if (entry.view instanceof KeptComment && entry.view.parsed !== undefined) entry.view = entry.view.parsed;
      if (entry.view !== null) {
        total += 1;
        comments.push(entry.view);
        if (entry.pageUrl !== undefined) {
          votes.add(entry.pageUrl, entry.id);
          const at = links.indexOf(entry.pageUrl);
          link = at >= 0 ? at : links.push(entry.pageUrl) - 1;
        }
      } else if (isShown(entry)) comments.push(toPlaceholder(entry));
      sources.push(sourceFor(entry, link));
    }
  }
  const snapshot: RebuiltSnapshot = { pageId, total, comments, builtAt: now.toISOString() };
  const pageUrl = votes.best();
  if (pageUrl !== undefined) snapshot.pageUrl = pageUrl;
  if (options.closed === true) snapshot.closed = true;
  if (options.importedAt !== undefined && options.importedAt !== null) snapshot.importedAt = options.importedAt;
  snapshot.sources = sources;
  if (links.length > 0) snapshot.links = links;
  return snapshot;
}

/** Validated `sort`, `cursor` and `limit` query parameters. */
export function readThreadQuery(params: { sort?: string; cursor?: string; limit?: string }): ThreadQuery {
  const sort = params.sort ?? 'oldest';
  if (sort !== 'oldest' && sort !== 'newest') throw invalidField('sort', 'sort must be "oldest" or "newest".');

  const after = params.cursor === undefined || params.cursor === '' ? null : params.cursor;
  if (after !== null && !isCommentId(after)) throw invalidField('cursor', 'cursor is not one this API returned.');

  const limit =
    params.limit === undefined ? LIMITS.pageSizeDefault : /^\d{1,3}$/.test(params.limit) ? Number(params.limit) : NaN;
  if (!(limit >= 1 && limit <= LIMITS.pageSizeMax)) {
    throw invalidField('limit', `limit must be a whole number from 1 to ${LIMITS.pageSizeMax}.`);
  }
  return { sort, after, limit };
}

/** What paging needs of each comment of a thread. */
export type PagedComment = Pick<PublicComment, 'id' | 'parentId' | 'pinned'>;

/**
 * What paging needs of a thread's comments, by their places in it (its snapshot's order): each one's parent as a
 * place, so a page is found with no string per comment, and ids only for the cursor (storage/threads.ts reads a big
 * thread's head so).
 */
export interface ThreadPlaces {
  /** Each comment's parent's place; -1 for a top-level comment, and for a reply whose parent is not in the thread. */
  readonly parents: Int32Array;
  isPinned(place: number): boolean;
  idAt(place: number): string;
  /** The place of the comment whose id is `id`; -1 when none is. */
  placeOf(id: string): number;
}

/**
 * One page of a thread, as indexes into `comments` (a snapshot's, in its order): `limit` top-level comments in
 * `sort` order after the cursor, each followed by all its replies, parents before children and replies oldest
 * first; and the cursor of the next page. The cursor is the last top-level id served, so new comments arriving
 * between requests neither repeat nor skip any.
 */
export function pageOf(
  comments: readonly PagedComment[],
  query: ThreadQuery,
): { served: number[]; nextCursor: string | null } {
  const places = new Map<string, number>();
  comments.forEach(({ id }, i) => places.set(id, i));
  const parents = new Int32Array(comments.length);
  comments.forEach(({ parentId }, i) => (parents[i] = parentId === null ? -1 : (places.get(parentId) ?? -1)));
  return pageOfPlaces(
    {
      parents,
      isPinned: (i) => comments[i]!.pinned === true,
      idAt: (i) => comments[i]!.id,
      placeOf: (id) => places.get(id) ?? -1,
    },
    query,
  );
}

/** `pageOf` over a thread's places. */
export function pageOfPlaces(
  thread: ThreadPlaces,
  query: ThreadQuery,
): { served: number[]; nextCursor: string | null } {
  const { parents } = thread;
  // Each comment's replies as a list in place order (oldest first): its first reply, and each reply's next sibling.
  const firstReply = new Int32Array(parents.length).fill(-1);
  const nextReply = new Int32Array(parents.length).fill(-1);
  const roots: number[] = [];
  for (let i = parents.length - 1; i >= 0; i--) {
    const parent = parents[i]!;
    // A reply whose parent is missing from the snapshot would be unreachable: show it at the top level.
    if (parent === -1) roots.push(i);
    else {
      nextReply[i] = firstReply[parent]!;
      firstReply[parent] = i;
    }
  }

  // Pinned comments come first, in the requested order among themselves; the cursor runs through both groups.
  const sorted = query.sort === 'newest' ? roots : roots.reverse();
  const pinned = (i: number) => thread.isPinned(i);
  const unpinned = sorted.filter((i) => !pinned(i));
  const ordered = [...sorted.filter(pinned), ...unpinned];
  const after = query.after;
  const cursor = after === null ? -1 : thread.placeOf(after);
  const cursorAt = cursor === -1 ? -1 : ordered.indexOf(cursor);
  const remaining =
    after === null
      ? ordered
      : cursorAt >= 0
        ? ordered.slice(cursorAt + 1)
        : // The cursor's comment is gone (deleted since): carry on by id among the unpinned ones.
          unpinned.filter((i) => (query.sort === 'newest' ? thread.idAt(i) < after : thread.idAt(i) > after));
  const page = remaining.slice(0, query.limit);

  const served: number[] = [];
  const addWithReplies = (i: number): void => {
    served.push(i);
    for (let reply = firstReply[i]!; reply !== -1; reply = nextReply[reply]!) addWithReplies(reply);
  };
  page.forEach(addWithReplies);
  return { served, nextCursor: remaining.length > page.length ? thread.idAt(page[page.length - 1]!) : null };
}

/** The response for one page of a thread (`pageOf`), its comments given. */
export function pageResponse(
  snapshot: Pick<ThreadSnapshot, 'pageId' | 'total' | 'closed'>,
  query: ThreadQuery,
  comments: PublicComment[],
  nextCursor: string | null,
): ThreadResponse {
  const page: ThreadResponse = {
    pageId: snapshot.pageId,
    sort: query.sort,
    total: snapshot.total,
    comments,
    nextCursor,
  };
  if (snapshot.closed === true) page.closed = true;
  return page;
}

/** One page of a thread (`pageOf`) from its parsed snapshot. */
export function threadPage(snapshot: ThreadSnapshot, query: ThreadQuery): ThreadResponse {
  const { served, nextCursor } = pageOf(snapshot.comments, query);
  return pageResponse(
    snapshot,
    query,
    served.map((i) => snapshot.comments[i]!),
    nextCursor,
  );
}

/** The thread of a page nobody has commented on yet. */
export function emptySnapshot(pageId: string): ThreadSnapshot {
  return { pageId, total: 0, comments: [], builtAt: new Date(0).toISOString() };
}
