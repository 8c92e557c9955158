/**
 * The cron's recent-comments work for one site, the single writer of its document: recomputed from the threads
 * holding the newest comments (found through count-key metadata), so a rerun writes the same or a fresher one.
 */
import type { StoredPageMeta } from '../domain/popularity.js';
import { buildRecentComments, pagesWithNewestComments, sameRecentComments } from '../domain/recent-comments.js';
import type { PageActivity } from './comment-activity.js';
import { RecentCommentsStore } from './recent-comments.js';

/** Rebuilds the document; true when it changed and was written. Page titles and links come from `shown`. */
export async function refreshRecentComments(
  kv: KVNamespace,
  site: string,
  now: number,
  shown: Readonly<Record<string, StoredPageMeta>>,
  commentActivity: readonly PageActivity[],
): Promise<boolean> {
  const store = new RecentCommentsStore(kv);
  const pages = pagesWithNewestComments(commentActivity.map(({ page, metadata }) => ({ page, last: metadata.last })));
  const [snapshots, previous] = await Promise.all([store.snapshots(pages.map(({ page }) => page)), store.read(site)]);
  const document = buildRecentComments(snapshots, (pageId) => shown[pageId], now);
  if (previous !== null && sameRecentComments(previous, document)) return false;
  await store.write(site, document);
  return true;
}
