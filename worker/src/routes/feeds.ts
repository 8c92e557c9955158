/**
 * /api/v1/feeds/:site/comments.atom[?page=]: Atom feeds of the site's latest comments and of one thread. Public
 * like the thread itself, read by feed readers (no Origin, no CORS). A poll costs at most one KV read (the
 * recent-comments document or the page's snapshot): none while this location's cache holds the feed, and no
 * rendering when the reader's ETag still matches (304).
 */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { feedEtag, renderAtom, siteFeed, threadFeed, type Feed, type FeedSource } from '../domain/atom-feed.js';
import { readPageId } from '../domain/comment-input.js';
import { pageRef } from '../storage/keys.js';
import { RecentCommentsStore } from '../storage/recent-comments.js';
import { siteToServe } from '../storage/sites.js';
import { ThreadStore } from '../storage/threads.js';

export const feeds = new Hono<AppEnv>();

/** Feed readers poll every few minutes; the site feed changes at most once per cron run (10 minutes). */
const MAX_AGE_SECONDS = 300;
const CONTENT_TYPE = 'application/atom+xml; charset=utf-8';

/** The validator a reader sent matches: `*`, or one of the listed tags (weak or strong). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

function notModified(etag: string): Response {
  return new Response(null, {
    status: 304,
    headers: { ETag: etag, 'Cache-Control': `public, max-age=${MAX_AGE_SECONDS}` },
  });
}

feeds.get('/:site/comments.atom', async (c) => {
  const site = siteToServe(c.env, c.req.param('site'), true);
  const rawPage = c.req.query('page');
  const pageId = rawPage === undefined ? null : readPageId(rawPage);
  const self = new URL(`/api/v1/feeds/${encodeURIComponent(site.id)}/comments.atom`, c.req.url);
  if (pageId !== null) self.searchParams.set('page', pageId);
  const source: FeedSource = { site, selfUrl: self.href };

  // This location's copy first: a reader polling within five minutes costs no KV read at all.
  const cache = await openCache();
  const cacheKey = new Request(self.href);
  const cached = await cache?.match(cacheKey);
  if (cached) {
    const etag = cached.headers.get('ETag') ?? '';
    return matches(c.req.header('If-None-Match'), etag) ? notModified(etag) : cached;
  }

  let feed: () => Promise<Feed>;
  let stamp: string | undefined;
  if (pageId === null) {
    const document = await new RecentCommentsStore(c.env.SALA).read(site.id);
    stamp = document?.generatedAt;
    feed = () => siteFeed(source, document);
  } else {
    const snapshot = await new ThreadStore(c.env.SALA).read(await pageRef(site.id, pageId));
    stamp = snapshot?.builtAt;
    feed = () => threadFeed(source, pageId, snapshot);
  }
  const etag = await feedEtag(source, stamp);
  if (matches(c.req.header('If-None-Match'), etag)) return notModified(etag);

  const response = new Response(renderAtom(await feed()), {
    headers: {
      'Content-Type': CONTENT_TYPE,
      'Cache-Control': `public, max-age=${MAX_AGE_SECONDS}`,
      ETag: etag,
    },
  });
  if (cache) c.executionCtx.waitUntil(cache.put(cacheKey, response.clone()));
  return response;
});

/** The Cache API where the platform has one (not on workers.dev, not in every test runtime). */
async function openCache(): Promise<Cache | undefined> {
  try {
    return typeof caches === 'undefined' ? undefined : caches.default;
  } catch {
    return undefined;
  }
}
