/**
 * The cron's recent-comments work for one site, the single writer of its document: recomputed from the threads
 * holding the newest comments (found through count-key metadata), so a rerun writes the same or a fresher one.
 */
import type { StoredPageMeta } from '../domain/popularity.js';
import {
  buildRecentComments,
  holdsNewest,
  pagesWithNewestComments,
  sameRecentComments,
} from '../domain/recent-comments.js';
import type { ThreadSnapshot } from '../domain/thread.js';
import type { PageActivity } from './comment-activity.js';
import type { SiteOrigins } from './page-verification.js';
import { RecentCommentsStore } from './recent-comments.js';

/** Snapshots read per round trip: the newest comments usually lie on the first few pages. */
const SNAPSHOTS_PER_READ = 4;

/**
 * Rebuilds the document; true when it changed and was written. Page titles and links come from `shown`; a page
 * without is linked only on the site's own `origins`.
 */
export async function refreshRecentComments(
  kv: KVNamespace,
  site: SiteOrigins,
  now: number,
  shown: Readonly<Record<string, StoredPageMeta>>,
  commentActivity: readonly PageActivity[],
): Promise<boolean> {
  const store = new RecentCommentsStore(kv);
  const pages = pagesWithNewestComments(commentActivity.map(({ page, metadata }) => ({ page, last: metadata.last })));
  // Newest pages first, a few at a time, until the next page can hold none of the newest comments: parsing the
  // snapshots was most of this run's CPU (20 imported threads, over 10 ms; worker/README.md "Comment activity and
  // recent comments").
  const snapshots: ThreadSnapshot[] = [];
  for (let start = 0; start < pages.length; start += SNAPSHOTS_PER_READ) {
    const read = pages.slice(start, start + SNAPSHOTS_PER_READ).map(({ page }) => page);
    snapshots.push(...(await store.snapshots(read)));
    const next = pages[start + SNAPSHOTS_PER_READ];
    if (next === undefined || holdsNewest(snapshots, next.last!)) break;
  }
  const metaOf = (pageId: string) => (Object.hasOwn(shown, pageId) ? shown[pageId] : undefined);
  const document = buildRecentComments(snapshots, metaOf, site.origins, now);
  const previous = await store.read(site.id);
  if (previous !== null && sameRecentComments(previous, document)) return false;
  await store.write(site.id, document);
  return true;
}
