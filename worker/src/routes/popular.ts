/** /api/v1/popular: a popular-posts list, answered from the site's ranking document in one KV read. */
import type { PopularPostsResponse } from '@sala/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { readPopularQuery } from '../domain/list-queries.js';
import { popularPosts } from '../domain/ranking.js';
import { PopularityStore } from '../storage/popularity.js';

export const popular = new Hono<AppEnv>();

popular.get('/', async (c) => {
  const query = readPopularQuery({
    range: c.req.query('range'),
    by: c.req.query('by'),
    limit: c.req.query('limit'),
    label: c.req.query('label'),
    exclude: c.req.queries('exclude') ?? [],
  });
  const site = c.get('site');
  const response = popularPosts(await new PopularityStore(c.env.SALA).readRanking(site.id), query);
  // The widget on this page also sends the view beacon: it samples at the site's rate.
  if (site.viewSampleRate > 1) response.viewSample = site.viewSampleRate;
  return c.json<PopularPostsResponse>(response);
});
