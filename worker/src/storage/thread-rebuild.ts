/**
 * The one writer of a page's snapshot and count: recomputes both from the page's comment keys and its imported
 * comments (storage/comments.ts readPage), so running it again writes the same answer or a fresher one. Should two
 * isolates race and the staler write land last, the page's dirty marker is still there, and the cron's run puts it
 * right.
 */
import { countMetadata, sameCountMetadata } from '../domain/comment-activity.js';
import { buildSnapshot, type ThreadSnapshot } from '../domain/thread.js';
import { ClosedThreads } from './closed-threads.js';
import { CommentStore } from './comments.js';
import type { PageRef } from './keys.js';
import { RebuildQueue } from './rebuild-queue.js';
import { ThreadStore } from './threads.js';

export type RebuildOutcome = 'written' | 'unchanged' | 'no-comments';

function sameThread(a: ThreadSnapshot, b: ThreadSnapshot): boolean {
  return (
    a.pageId === b.pageId &&
    a.pageUrl === b.pageUrl &&
    a.total === b.total &&
    a.closed === b.closed &&
    a.importedAt === b.importedAt &&
    JSON.stringify(a.comments) === JSON.stringify(b.comments)
  );
}

/**
 * Rebuilds one page now. Skips the writes when nothing changed: the cron re-runs pages whose markers are young,
 * and those runs should cost reads, not writes. (The previous snapshot it compares with may be up to 60 s
 * stale in KV's cache; the cron waits two minutes before clearing a marker, so its last run reads a fresh one.)
 */
export async function rebuildThread(kv: KVNamespace, page: PageRef, now = new Date()): Promise<RebuildOutcome> {
  const threads = new ThreadStore(kv);
  const [{ comments, importedAt }, previous, closed] = await Promise.all([
    new CommentStore(kv).readPage(page),
    threads.read(page),
    new ClosedThreads(kv).get(page),
  ]);
  // A thread closed (or reopened) before its first comment still needs a snapshot that says so.
  const pageId = comments[0]?.pageId ?? closed?.pageId ?? (previous?.closed ? previous.pageId : undefined);
  if (pageId === undefined) return 'no-comments';

  const snapshot = buildSnapshot(pageId, comments, now, { closed: closed !== null, importedAt, previous });
  if (previous !== null && sameThread(previous, snapshot)) return 'unchanged';
  // Count first: if the snapshot write then fails, the next run still sees a change and retries both. Its
  // metadata carries the per-day activity the popular-posts cron lists (domain/comment-activity.ts).
  const activity = countMetadata(snapshot, now.getTime());
  if (previous === null || !sameCountMetadata(countMetadata(previous, now.getTime()), activity)) {
    await threads.writeCount(page, snapshot.total, activity);
  }
  await threads.write(page, snapshot);
  return 'written';
}

/** This isolate's rebuilds, coalesced per page and spaced a second apart. */
const threadRebuilds = new RebuildQueue(1000);

/** Rebuilds `page` soon; resolves true once a rebuild that saw every change made before this call succeeded. */
export function scheduleRebuild(kv: KVNamespace, page: PageRef): Promise<boolean> {
  return threadRebuilds.schedule(`${page.site}:${page.pageHash}`, () => rebuildThread(kv, page));
}
