/**
 * The one writer of a page's snapshot and count: recomputes both from the page's comment keys and its imported
 * comments (storage/comments.ts readChanged), so running it again writes the same answer or a fresher one. Should
 * two isolates race and the staler write land last, the page's dirty marker is still there, and the cron's run
 * puts it right.
 *
 * It reads only what changed: the snapshot keeps, for every stored comment, the version (which write of its comment
 * key and decision key) its entry was made from, and list() shows each key's current version in its metadata. A
 * comment whose versions still match keeps its entry as it is; the others (new, edited, deleted, decided on, or
 * missed by an earlier rebuild that read a stale list) are read and mapped again. Reusing an entry never depends
 * on which snapshot was read: an older one only means more comments read again.
 *
 * Of a big thread's snapshot, split in parts (storage/threads.ts), it makes entries only for the parts a change
 * reached and the comments after the last part: a part is carried over whole (`byParts`) when the listing shows each
 * of its comments at the version its sources hold and none of them has a changed comment below it. What a whole
 * rebuild makes of a comment depends on nothing but its own stored value and whether a reply below it is shown, so
 * such a part is what a whole rebuild would make of it, whichever head it was read from.
 *
 * A request's own rebuild of such a snapshot knows which comments it changed, and the page's dirty markers name the
 * other changes of the last minutes with the versions they wrote: it reads those comments alone and lists no key
 * (`byNamed`). The cron's repair, an import and any doubt still list every key.
 */
import {
  countMetadata,
  countMetadataOf,
  sameCounted,
  sameCountMetadata,
  type CountKeyMetadata,
  type PartActivity,
} from '../domain/comment-activity.js';
import type { PublicComment } from '@sala/protocol';
import type { ImportedThread } from '../domain/imported-thread.js';
import {
  entriesFrom,
  entriesOf,
  snapshotOfBlocks,
  threadEntry,
  VersionDigest,
  type CarriedPart,
  type RebuiltSnapshot,
  type SnapshotSource,
  type ThreadEntry,
} from '../domain/thread.js';
import { ClosedThreads } from './closed-threads.js';
import { CommentStore, type VersionedComment } from './comments.js';
import { DirtyPages, MARKER_SETTLE_MS, type MarkedChange } from './dirty-pages.js';
import { ImportedThreads } from './imported-threads.js';
import type { PageRef } from './keys.js';
import { RebuildQueue } from './rebuild-queue.js';
import { MissingPart, partsOfSnapshot, sameJson, ThreadStore } from './threads.js';
import { isolateState } from '../domain/isolate-state.js';

export type RebuildOutcome = 'written' | 'unchanged' | 'no-comments';

/** The entries of the snapshots this isolate built, for its next rebuild when it reads one of them back. */
const builtFrom = new WeakMap<RebuiltSnapshot, Map<string, ThreadEntry>>();
/** The count metadata of snapshots this isolate built, by the UTC day it was computed on (its window's end). */
const activities = new WeakMap<RebuiltSnapshot, { day: string; activity: CountKeyMetadata }>();

/**
 * The count metadata of `snapshot` at `now`; `blocks`: what it was built from (`snapshotOfBlocks`), or of a split
 * snapshot read, its parts and own comments (`partsOfSnapshot`). A carried part with a summary is counted from it,
 * so a rebuild over another isolate's head looks at the times of the comments it made entries for alone.
 */
function activityOf(
  snapshot: RebuiltSnapshot,
  now: Date,
  blocks: readonly (readonly ThreadEntry[] | CarriedPart)[] | null = null,
): CountKeyMetadata {
  const day = now.toISOString().slice(0, 10);
  const known = activities.get(snapshot);
  if (known?.day === day) return known.activity;
  let activity: CountKeyMetadata;
  if (blocks === null) activity = countMetadata(snapshot, now.getTime());
  else {
    const counted: Pick<PublicComment, 'createdAt' | 'deleted'>[] = [];
    const summed: PartActivity[] = [];
    for (const block of blocks) {
      if (!Array.isArray(block)) {
        const { summary, members } = block as CarriedPart;
        if (summary !== undefined) summed.push(summary);
        else counted.push(...members);
      } else {
        for (const entry of block as readonly ThreadEntry[]) if (entry.view !== null) counted.push(entry);
      }
    }
    activity = countMetadataOf(snapshot.total, counted, summed, now.getTime());
  }
  activities.set(snapshot, { day, activity });
  return activity;
}

/**
 * Whether readers would see the same thread. Entries carried over are the same objects, so only the ones made
 * again are compared as JSON (a comment kept as JSON, as its snapshot has it). A snapshot without sources, or with
 * sources of an older layout, is not the same: writing it once makes the rebuilds after it read only what changed.
 */
function sameThread(a: RebuiltSnapshot, b: RebuiltSnapshot): boolean {
  return (
    a.sources !== undefined &&
    a.sources.every((source) => source.length === 5) &&
    a.pageId === b.pageId &&
    a.pageUrl === b.pageUrl &&
    a.total === b.total &&
    a.closed === b.closed &&
    a.importedAt === b.importedAt &&
    a.comments.length === b.comments.length &&
    a.comments.every((comment, i) => sameJson(comment, b.comments[i]!))
  );
}

/**
 * Rebuilds one page now. Skips the writes when readers would see nothing new: the cron re-runs pages whose markers
 * are young, and those runs should cost reads, not writes. (The previous snapshot it compares with may be up to
 * 60 s stale in KV's cache; the cron waits two minutes before clearing a marker, so its last run reads a fresh
 * one.) A comment whose version changed without changing what readers see (a held comment edited) is read again
 * by each rebuild until a write carries its new version.
 */
export async function rebuildThread(
  kv: KVNamespace,
  page: PageRef,
  now = new Date(),
  changed?: ReadonlySet<string>,
): Promise<RebuildOutcome> {
  try {
    return await rebuildFrom(kv, page, now, true, changed);
  } catch (error) {
    // A part of the snapshot is not in KV: nothing of it can be trusted, so every comment is read again.
    if (!(error instanceof MissingPart)) throw error;
    console.warn(`Rebuilding ${page.site}:${page.pageHash} from every comment: ${error.message}`);
    return rebuildFrom(kv, page, now, false);
  }
}

async function rebuildFrom(
  kv: KVNamespace,
  page: PageRef,
  now: Date,
  fromSnapshot: boolean,
  changed?: ReadonlySet<string>,
): Promise<RebuildOutcome> {
  const threads = new ThreadStore(kv);
  const store = new CommentStore(kv);
  const [previous, closed] = await Promise.all([
    fromSnapshot ? threads.readForRebuild(page) : null,
    new ClosedThreads(kv).get(page),
  ]);
  const parts = previous === null ? null : partsOfSnapshot(previous);
  // Read once whichever way the rebuild goes: a named rebuild that falls back to listing has read it already.
  let imported: Promise<ImportedThread | null> | undefined;
  const readImported = () => (imported ??= new ImportedThreads(kv).read(page));
  const read =
    (parts !== null &&
      changed !== undefined &&
      (await byNamed(kv, threads, store, page, previous!, parts, changed, readImported))) ||
    (parts !== null && (await byParts(threads, store, page, previous!, parts, readImported))) ||
    (await byEntries(store, page, previous, readImported));
  const { comments, importedAt } = read;
  const firstRead = comments.find((versioned) => versioned.comment !== undefined)?.comment;
  // A thread closed (or reopened) before its first comment still needs a snapshot that says so.
  const pageId =
    comments.length > 0
      ? (firstRead?.pageId ?? previous?.pageId)
      : (closed?.pageId ?? (previous?.closed ? previous.pageId : undefined));
  if (pageId === undefined) return 'no-comments';

  const snapshot = snapshotOfBlocks(pageId, read.blocks, read.links, now, { closed: closed !== null, importedAt });
  if (read.entries !== undefined) builtFrom.set(snapshot, new Map(read.entries.map((entry) => [entry.id, entry])));
  if (previous !== null && sameThread(previous, snapshot)) return 'unchanged';
  // Count first: if the snapshot write then fails, the next run still sees a change and retries both. Its
  // metadata carries the per-day activity the popular-posts cron lists (domain/comment-activity.ts), and when it was
  // written: so it is written again when other comments are counted, even as many with the same activity.
  const activity = activityOf(snapshot, now, read.blocks);
  const previousBlocks = parts === null ? null : [...parts.parts, parts.tail];
  if (
    previous === null ||
    !sameCountMetadata(activityOf(previous, now, previousBlocks), activity) ||
    !sameCounted(previous.comments, snapshot.comments)
  ) {
    await threads.writeCount(page, snapshot.total, activity, snapshot.pageId);
  }
  await threads.write(page, snapshot, previous, now.getTime());
  return 'written';
}

/**
 * Writes the page's count again from its snapshot as it stands (its total, and the activity a rebuild works out for
 * it: a split one's parts from their summaries), reading no comment: for a count written ahead of a snapshot whose
 * rebuild never landed, on a page too big to rebuild in a cron run (storage/repair.ts). False when it has no snapshot
 * (or one whose parts are not all there).
 */
export async function recountFromSnapshot(kv: KVNamespace, page: PageRef, now = new Date()): Promise<boolean> {
  const threads = new ThreadStore(kv);
  const snapshot = await threads.readForRebuild(page).catch((error: unknown) => {
    // A part's sources not in KV: the snapshot cannot say its activity; the page's next rebuild reads every comment.
    if (error instanceof MissingPart) return null;
    throw error;
  });
  if (snapshot === null) return false;
  const parts = partsOfSnapshot(snapshot);
  const blocks = parts === null ? null : [...parts.parts, parts.tail];
  await threads.writeCount(page, snapshot.total, activityOf(snapshot, now, blocks), snapshot.pageId);
  return true;
}

/**
 * What a rebuild read of the page's comments, and the blocks it builds the snapshot from (`snapshotOfBlocks`), with
 * the `links` the carried ones index; `entries` when it made an entry for every comment.
 */
/** Reads the page's imported document, once per rebuild (`rebuildFrom`). */
type ReadImported = () => Promise<ImportedThread | null>;

interface ReadComments {
  comments: VersionedComment[];
  importedAt: string | null;
  blocks: (ThreadEntry[] | CarriedPart)[];
  links: readonly string[];
  entries?: ThreadEntry[];
}

/** The page's comments read as changed since `previous` by comparing an entry of it for each, and their entries. */
async function byEntries(
  store: CommentStore,
  page: PageRef,
  previous: RebuiltSnapshot | null,
  readImported: ReadImported,
): Promise<ReadComments> {
  const reusable =
    previous === null ? new Map<string, ThreadEntry>() : (builtFrom.get(previous) ?? entriesOf(previous));
  const { comments, importedAt } = await store.readChanged(
    page,
    reusable.size === 0 ? null : (id, version) => reusable.get(id)?.version === version,
    previous?.importedAt ?? null,
    undefined,
    readImported,
  );
  const entries = comments.map(({ id, version, comment }) =>
    comment === undefined ? reusable.get(id)! : threadEntry(comment, version),
  );
  return { comments, importedAt, blocks: [entries], links: [], entries };
}

/**
 * The page's comments read as changed since `previous`, a split snapshot (`parts`), by comparing each listed
 * version with its source there: each part none of whose comments changed (nor any comment below one of them,
 * whose change may show or hide a placeholder in it) is carried over whole, with no entry made for its comments;
 * the others and the comments after the last part are made into entries, those unchanged taken from `previous`.
 * A part whose sources this isolate has not read is compared by its summary's digest with the listing of its
 * range, and its sources are read only when they differ or an ancestor of a changed comment is in it.
 * Null when an unchanged comment has no entry there (a snapshot not as this code writes it): every entry is made.
 */
async function byParts(
  threads: ThreadStore,
  store: CommentStore,
  page: PageRef,
  previous: RebuiltSnapshot,
  split: PartsOfSnapshot,
  readImported: ReadImported,
): Promise<ReadComments | null> {
  const { parts } = split;
  const blockOf = blockIn(split);
  const read = sourceReader(threads, page, previous, split);
  // The comments after the last part are always made into entries.
  const touched = new Set([parts.length]);
  /** For each part whose sources were read before the listing was checked: which of its sources it matched. */
  const checked: (ReturnType<typeof versionsIn> | undefined)[] = [];
  const listedFirst = async (listed: readonly { id: string; version: string }[]) => {
    // The listing of the range of each part not read, against its summary's digest.
    let n = 0;
    let digest = parts[0]!.sources === undefined ? new VersionDigest() : null;
    const compare = () => {
      if (digest !== null && digest.value !== parts[n]!.summary!.digest) touched.add(n);
      n += 1;
      digest = n < parts.length && parts[n]!.sources === undefined ? new VersionDigest() : null;
    };
    for (const { id, version } of listed) {
      while (n < parts.length && parts[n]!.last < id) compare();
      if (n === parts.length) break;
      digest?.add(id, version);
    }
    while (n < parts.length) compare();
    await read(touched);
    for (let n = 0; n <= parts.length; n++) {
      const sources = blockOf(n).sources;
      if (sources !== undefined) checked[n] = versionsIn(sources);
    }
  };
  // The listing gives ids in order: most often a comment is in the part of the one before.
  let at = 0;
  const partOf = (id: string): number => {
    if (id > (at === 0 ? '' : parts[at - 1]!.last) && (at === parts.length || id <= parts[at]!.last)) return at;
    return (at = partIndexOf(parts, id));
  };
  // A part not read by then matches the listing: each of its comments is known.
  const check = (id: string, version: string) => checked[partOf(id)]?.check(id, version) ?? true;
  const { comments, importedAt } = await store.readChanged(
    page,
    check,
    previous.importedAt ?? null,
    listedFirst,
    readImported,
  );
  const parents: string[] = [];
  // A comment read (new, or not at the version its source holds): its part changed.
  for (const { id, comment } of comments) {
    if (comment === undefined) continue;
    touched.add(partIndexOf(parts, id));
    if (comment.parentId !== null) parents.push(comment.parentId);
  }
  // A source no comment was listed at (read above, or gone): its part changed.
  for (const [n, known] of checked.entries()) {
    if (known === undefined) continue;
    const sources = blockOf(n).sources!;
    for (let i = 0; i < sources.length; i++) {
      if (known.matched[i] === 1) continue;
      const source = sources[i]!;
      if (source.length !== 5) return null;
      touched.add(n);
      const parent = parentOf(source);
      if (parent !== null) parents.push(parent);
    }
  }
  // A comment of the imported document read again is in a part whose listing matched: its sources are read too.
  await read(touched);
  await reachAncestors(split, read, touched, parents);
  const blocks = blocksOf(split, previous, touched, comments);
  return blocks === null ? null : { comments, importedAt, blocks, links: previous.links ?? [] };
}

/** Markers a rebuild that knows its changes lists (one list() call); past this many it lists every key instead. */
const MAX_MARKERS = 200;

/** Whether a source's version (`{comment key's}/{decision key's}`) includes the write a marker names. */
function includes(version: string, change: MarkedChange): boolean {
  const slash = version.indexOf('/');
  return (
    (change.writeId !== undefined || change.decidedAt !== undefined) &&
    (change.writeId === undefined || version.slice(0, slash) === change.writeId) &&
    (change.decidedAt === undefined || version.slice(slash + 1) === change.decidedAt)
  );
}

/**
 * `byParts` without listing the page's keys, for a rebuild that knows which comments changed: `changed`, those
 * this isolate wrote since its last rebuild of the page, and those the page's dirty markers name at a version the
 * snapshot does not have (every change of the last two minutes or more, whichever isolate made it:
 * `DirtyPages.changes`). Only those comments are read (their keys and decision keys, in bulk gets); the parts
 * holding one at a version its source does not have, and the ancestors' parts, are made into entries from their
 * sources, and every other part is carried over. What it may miss (a change whose marker the cron already cleared
 * and that `previous`, read up to 60 s stale, lacks) the cron's next run puts right: it rebuilds every dirty page
 * by listing, and clears a marker only after such a rebuild. Null when it cannot tell (a marker naming no change,
 * too many markers, a named comment without a key of its own, the imported document written since `previous`, an
 * unchanged comment without an entry): the rebuild lists.
 */
async function byNamed(
  kv: KVNamespace,
  threads: ThreadStore,
  store: CommentStore,
  page: PageRef,
  previous: RebuiltSnapshot,
  split: PartsOfSnapshot,
  changed: ReadonlySet<string>,
  readImported: ReadImported,
): Promise<ReadComments | null> {
  const { parts } = split;
  const blockOf = blockIn(split);
  const [marked, imported] = await Promise.all([new DirtyPages(kv).changes(page, MAX_MARKERS), readImported()]);
  const importedAt = imported?.updatedAt ?? null;
  if (marked === null || importedAt !== (previous.importedAt ?? null)) return null;
  const read = sourceReader(threads, page, previous, split);
  // A head without a readable build time takes every marker as newer.
  const settled = Date.parse(previous.builtAt) - MARKER_SETTLE_MS || Number.NEGATIVE_INFINITY;
  const others = marked.filter((change) => change.markedAt >= settled && !changed.has(change.comment));
  await read(others.map((change) => partIndexOf(parts, change.comment)));
  const ids = new Set(changed);
  // Another isolate's change is read unless the snapshot has the version it wrote.
  for (const change of others) {
    const sources = blockOf(partIndexOf(parts, change.comment)).sources!;
    const at = indexIn(sources, change.comment);
    if (at === -1 || !includes(sources[at]![1], change)) ids.add(change.comment);
  }
  const sorted = [...ids].sort();
  const named = await store.readNamed(page, sorted);
  await read(sorted.map((id) => partIndexOf(parts, id)));
  // The comments after the last part are always made into entries; a part only when a comment of it changed.
  const touched = new Set([parts.length]);
  const parents: string[] = [];
  const changes: VersionedComment[] = [];
  for (const [i, id] of sorted.entries()) {
    const n = partIndexOf(parts, id);
    const sources = blockOf(n).sources!;
    const at = indexIn(sources, id);
    const entry = named[i] ?? null;
    if (entry === null) {
      // Not readable here yet, as a listing that does not show it yet; gone, or imported: the rebuild lists.
      if (at === -1) continue;
      return null;
    }
    if (at !== -1 && sources[at]![1] === entry.version) continue;
    touched.add(n);
    changes.push(entry);
    if (entry.comment!.parentId !== null) parents.push(entry.comment!.parentId);
  }
  await reachAncestors(split, read, touched, parents);
  // Each touched block's comments as the listing would show them: its sources, with the changed ones' versions.
  const comments: VersionedComment[] = [];
  let c = 0;
  for (const n of [...touched].sort((a, b) => a - b)) {
    const last = n < parts.length ? parts[n]!.last : null;
    for (const [id, version] of blockOf(n).sources!) {
      for (; c < changes.length && changes[c]!.id < id; c++) comments.push(changes[c]!);
      if (changes[c]?.id === id) comments.push(changes[c++]!);
      else comments.push({ id, version });
    }
    for (; c < changes.length && (last === null || changes[c]!.id <= last); c++) comments.push(changes[c]!);
  }
  if (comments.length === 0) return null;
  const blocks = blocksOf(split, previous, touched, comments);
  return blocks === null ? null : { comments, importedAt, blocks, links: previous.links ?? [] };
}

/** The blocks of a split snapshot's rebuild: the parts (and the comments after them, the last) by their index. */
function blockIn(split: PartsOfSnapshot): (n: number) => CarriedPart {
  return (n) => (n < split.parts.length ? split.parts[n]! : split.tail);
}

/** Reads the sources of the parts `ns` of `split` not read yet (kept on them); true when it read any. */
function sourceReader(
  threads: ThreadStore,
  page: PageRef,
  previous: RebuiltSnapshot,
  { parts }: PartsOfSnapshot,
): (ns: Iterable<number>) => Promise<boolean> {
  return async (ns) => {
    const unread = [...ns].filter((n) => n < parts.length && parts[n]!.sources === undefined);
    if (unread.length === 0) return false;
    const sources = await threads.readPartSources(page, previous, unread);
    unread.forEach((n, k) => (parts[n]!.sources = sources[k]));
    return true;
  };
}

/**
 * Adds to `touched` the parts holding `parents` (the parents of changed comments), their parents, and so on: a
 * change may show or hide the placeholders above it. Reads their sources where they were not read.
 */
async function reachAncestors(
  split: PartsOfSnapshot,
  read: (ns: Iterable<number>) => Promise<boolean>,
  touched: Set<number>,
  parents: string[],
): Promise<void> {
  const { parts } = split;
  const blockOf = blockIn(split);
  const seen = new Set<string>();
  while (parents.length > 0) {
    const waiting: string[] = [];
    const unread = new Set<number>();
    for (let id = parents.pop(); id !== undefined; id = parents.pop()) {
      if (seen.has(id)) continue;
      const n = partIndexOf(parts, id);
      touched.add(n);
      const sources = blockOf(n).sources;
      if (sources === undefined) {
        unread.add(n);
        waiting.push(id);
        continue;
      }
      seen.add(id);
      const at = indexIn(sources, id);
      const parent = at === -1 ? null : parentOf(sources[at]!);
      if (parent !== null) parents.push(parent);
    }
    if (await read(unread)) parents.push(...waiting);
  }
}

/**
 * The blocks a split snapshot is rebuilt from: each part not `touched` carried over as it is, and entries for the
 * touched ones and the comments after the last part, from `comments` (in id order, each touched block's every
 * comment with its version, and the value of those read), those unchanged taken from `previous`. Null when an
 * unchanged comment has no entry there.
 */
function blocksOf(
  split: PartsOfSnapshot,
  previous: RebuiltSnapshot,
  touched: ReadonlySet<number>,
  comments: readonly VersionedComment[],
): (ThreadEntry[] | CarriedPart)[] | null {
  const { parts } = split;
  const blockOf = blockIn(split);
  const reusable = entriesFrom(
    [...touched].flatMap((n) => blockOf(n).sources!),
    [...touched].flatMap((n) => blockOf(n).members),
    previous.links,
  );
  const blocks: (ThreadEntry[] | CarriedPart)[] = [];
  let from = 0;
  for (let n = 0; n <= parts.length; n++) {
    const to = n < parts.length ? after(comments, parts[n]!.last) : comments.length;
    if (!touched.has(n)) blocks.push(parts[n]!);
    else {
      const entries: ThreadEntry[] = [];
      for (const { id, version, comment } of comments.slice(from, to)) {
        const entry = comment === undefined ? reusable.get(id) : threadEntry(comment, version);
        if (entry === undefined) return null;
        entries.push(entry);
      }
      blocks.push(entries);
    }
    from = to;
  }
  return blocks;
}

/** Where the first of `comments` (in id order) after `last` is. */
function after(comments: readonly VersionedComment[], last: string): number {
  let low = 0;
  let high = comments.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (comments[middle]!.id <= last) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The parent of a source's comment; null for a top-level comment, or a source without it (of three items). */
function parentOf(source: SnapshotSource): string | null {
  return source.length === 5 ? source[3] : null;
}

/** The index of the part whose range holds `id`; `parts.length` when it is after the last part. */
function partIndexOf(parts: readonly { last: string }[], id: string): number {
  let low = 0;
  let high = parts.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (parts[middle]!.last < id) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Where `sources` (in id order) has the comment `id`: -1 when it has none. */
function indexIn(sources: readonly SnapshotSource[], id: string): number {
  let low = 0;
  let high = sources.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sources[middle]![0] < id) low = middle + 1;
    else high = middle;
  }
  return sources[low]?.[0] === id ? low : -1;
}

/**
 * `check`: whether `sources` (in id order) has the comment `id` at `version`, found by its place with no map of them
 * made (the listing gives ids in order, so most often it is the source after the last one found); `matched` marks
 * each source a comment was found at.
 */
function versionsIn(sources: readonly SnapshotSource[]): {
  check: (id: string, version: string) => boolean;
  matched: Uint8Array;
} {
  const matched = new Uint8Array(sources.length);
  let next = 0;
  const check = (id: string, version: string) => {
    const at = sources[next]?.[0] === id ? next : indexIn(sources, id);
    if (at === -1) return false;
    next = at + 1;
    if (sources[at]![1] !== version) return false;
    matched[at] = 1;
    return true;
  };
  return { check, matched };
}

/** A split snapshot's parts as its rebuild reads them (`partsOfSnapshot`). */
type PartsOfSnapshot = NonNullable<ReturnType<typeof partsOfSnapshot>>;

/**
 * How far apart this isolate starts two rebuilds of one page: KV takes one write per second to a key (the page's
 * snapshot). Mutable for the tests: local KV takes writes at any rate, and their setup (testing-setup.ts) spares each
 * test the second's wait; the tests of the spacing itself set it back.
 */
export const SNAPSHOT_SPACING = { ms: 1000 };

/** This isolate's rebuilds, coalesced per page and spaced `SNAPSHOT_SPACING` apart. */
const threadRebuilds = isolateState(new RebuildQueue(() => SNAPSHOT_SPACING.ms));

/**
 * Per page, the comments changed here since its next rebuild was scheduled; 'all' when a change named none (the
 * cron's repair, an import, closing the thread): that rebuild lists every key.
 */
const pendingChanges = isolateState(new Map<string, Set<string> | 'all'>());

/**
 * Rebuilds `page` soon; resolves true once a rebuild that saw every change made before this call succeeded.
 * `changed`: the comments whose key or decision key the caller wrote (each after its dirty marker), so a split
 * snapshot's rebuild reads those instead of listing the page (`byNamed`); without it, the rebuild lists.
 */
export function scheduleRebuild(kv: KVNamespace, page: PageRef, changed?: readonly string[]): Promise<boolean> {
  const pageKey = `${page.site}:${page.pageHash}`;
  const pending = pendingChanges.get(pageKey);
  if (changed === undefined || pending === 'all') pendingChanges.set(pageKey, 'all');
  else pendingChanges.set(pageKey, new Set([...(pending ?? []), ...changed]));
  return threadRebuilds.schedule(pageKey, () => {
    // A run takes every change scheduled before it starts; one scheduled later queues the next run.
    const names = pendingChanges.get(pageKey);
    pendingChanges.delete(pageKey);
    return rebuildThread(kv, page, new Date(), names === 'all' ? undefined : names);
  });
}
