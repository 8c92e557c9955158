/**
 * /api/v1/recent-comments: the site's latest approved comments, from the document the cron rebuilds (one KV
 * read). A new comment appears here after the next cron run, up to 10 minutes later (worker/README.md).
 */
import type { RecentCommentsResponse } from '@sala/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { readRecentCommentsLimit } from '../domain/list-queries.js';
import { recentComments as recentCommentsOf } from '../domain/recent-comments.js';
import { RecentCommentsStore } from '../storage/recent-comments.js';

export const recentComments = new Hono<AppEnv>();

recentComments.get('/', async (c) => {
  const limit = readRecentCommentsLimit(c.req.query('limit'));
  const document = await new RecentCommentsStore(c.env.SALA).read(c.get('site').id);
  return c.json<RecentCommentsResponse>(recentCommentsOf(document, limit));
});
