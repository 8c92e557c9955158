/**
 * /api/v1/admin/sites/:site/posts: views and comments per post for the admin page's table, from what the
 * popular-posts cron keeps (one read of the popularity state, one list() per 1,000 commented pages).
 */
import type { AdminPostListResponse, AdminPostStats, PopularRange } from '@sala/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { toCommentActivity } from '../domain/comment-activity.js';
import { commentsInRange, POPULAR_RANGES, viewsInRange, type CommentActivityByPage } from '../domain/ranking.js';
import { listCommentActivity } from '../storage/comment-activity.js';
import { pageRef } from '../storage/keys.js';
import { PopularityStore } from '../storage/popularity.js';

export const adminPosts = new Hono<AppEnv>();

function perRange(count: (range: PopularRange) => number): Record<PopularRange, number> {
  return Object.fromEntries(POPULAR_RANGES.map((range) => [range, count(range)])) as Record<PopularRange, number>;
}

adminPosts.get('/posts', async (c) => {
  const site = c.get('site').id;
  const [state, activity] = await Promise.all([
    new PopularityStore(c.env.SALA).readState(site),
    listCommentActivity(c.env.SALA, site),
  ]);
  // Count keys are named by page hash; the page ids come from the posts the state knows.
  const byHash = new Map(activity.map(({ page, metadata }) => [page.pageHash, metadata]));
  const comments: Record<string, ReturnType<typeof toCommentActivity>> = {};
  for (const pageId of Object.keys(state.meta)) {
    const metadata = byHash.get((await pageRef(site, pageId)).pageHash);
    if (metadata) comments[pageId] = toCommentActivity(metadata);
  }

  const now = Date.now();
  const views = perRangeCounts((range) => viewsInRange(state, range, now));
  const commentCounts = perRangeCounts((range) => commentsInRange(comments as CommentActivityByPage, range, now));
  const posts: AdminPostStats[] = Object.entries(state.meta).map(([pageId, meta]) => ({
    pageId,
    title: meta.title,
    url: meta.url,
    views: perRange((range) => views[range][pageId] ?? 0),
    comments: perRange((range) => commentCounts[range][pageId] ?? 0),
  }));
  posts.sort((a, b) => b.views.all - a.views.all || b.comments.all - a.comments.all || (a.pageId < b.pageId ? -1 : 1));
  return c.json<AdminPostListResponse>({ posts });
});

function perRangeCounts(
  counts: (range: PopularRange) => Record<string, number>,
): Record<PopularRange, Record<string, number>> {
  return Object.fromEntries(POPULAR_RANGES.map((range) => [range, counts(range)])) as Record<
    PopularRange,
    Record<string, number>
  >;
}
