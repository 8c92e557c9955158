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
 */
import { countMetadata, sameCountMetadata, type CountKeyMetadata } from '../domain/comment-activity.js';
import { entriesOf, snapshotOf, threadEntry, type RebuiltSnapshot, type ThreadEntry } from '../domain/thread.js';
import { ClosedThreads } from './closed-threads.js';
import { CommentStore } from './comments.js';
import type { PageRef } from './keys.js';
import { RebuildQueue } from './rebuild-queue.js';
import { MissingPart, sameJson, ThreadStore } from './threads.js';

export type RebuildOutcome = 'written' | 'unchanged' | 'no-comments';

/** The entries of the snapshots this isolate built, for its next rebuild when it reads one of them back. */
const builtFrom = new WeakMap<RebuiltSnapshot, Map<string, ThreadEntry>>();
/** The count metadata of snapshots this isolate built, by the UTC day it was computed on (its window's end). */
const activities = new WeakMap<RebuiltSnapshot, { day: string; activity: CountKeyMetadata }>();

function activityOf(snapshot: RebuiltSnapshot, now: Date): CountKeyMetadata {
  const day = now.toISOString().slice(0, 10);
  const known = activities.get(snapshot);
  if (known?.day === day) return known.activity;
  const activity = countMetadata(snapshot, now.getTime());
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
export async function rebuildThread(kv: KVNamespace, page: PageRef, now = new Date()): Promise<RebuildOutcome> {
  try {
    return await rebuildFrom(kv, page, now, true);
  } catch (error) {
    // A part of the snapshot is not in KV: nothing of it can be trusted, so every comment is read again.
    if (!(error instanceof MissingPart)) throw error;
    console.warn(`Rebuilding ${page.site}:${page.pageHash} from every comment: ${error.message}`);
    return rebuildFrom(kv, page, now, false);
  }
}

async function rebuildFrom(kv: KVNamespace, page: PageRef, now: Date, fromSnapshot: boolean): Promise<RebuildOutcome> {
  const threads = new ThreadStore(kv);
  const [previous, closed] = await Promise.all([
    fromSnapshot ? threads.readForRebuild(page) : null,
    new ClosedThreads(kv).get(page),
  ]);
  const reusable =
    previous === null ? new Map<string, ThreadEntry>() : (builtFrom.get(previous) ?? entriesOf(previous));
  const { comments, importedAt } = await new CommentStore(kv).readChanged(
    page,
    reusable.size === 0 ? null : (id, version) => reusable.get(id)?.version === version,
    previous?.importedAt ?? null,
  );
  const firstRead = comments.find((versioned) => versioned.comment !== undefined)?.comment;
  // A thread closed (or reopened) before its first comment still needs a snapshot that says so.
  const pageId =
    comments.length > 0
      ? (firstRead?.pageId ?? previous?.pageId)
      : (closed?.pageId ?? (previous?.closed ? previous.pageId : undefined));
  if (pageId === undefined) return 'no-comments';

  const entries = comments.map(({ id, version, comment }) =>
    comment === undefined ? reusable.get(id)! : threadEntry(comment, version),
  );
  const snapshot = snapshotOf(pageId, entries, now, { closed: closed !== null, importedAt });
  builtFrom.set(snapshot, new Map(entries.map((entry) => [entry.id, entry])));
  if (previous !== null && sameThread(previous, snapshot)) return 'unchanged';
  // Count first: if the snapshot write then fails, the next run still sees a change and retries both. Its
  // metadata carries the per-day activity the popular-posts cron lists (domain/comment-activity.ts).
  const activity = activityOf(snapshot, now);
  if (previous === null || !sameCountMetadata(activityOf(previous, now), activity)) {
    await threads.writeCount(page, snapshot.total, activity);
  }
  await threads.write(page, snapshot, previous, now.getTime());
  return 'written';
}

/** This isolate's rebuilds, coalesced per page and spaced a second apart. */
const threadRebuilds = new RebuildQueue(1000);

/** Rebuilds `page` soon; resolves true once a rebuild that saw every change made before this call succeeded. */
export function scheduleRebuild(kv: KVNamespace, page: PageRef): Promise<boolean> {
  return threadRebuilds.schedule(`${page.site}:${page.pageHash}`, () => rebuildThread(kv, page));
}
