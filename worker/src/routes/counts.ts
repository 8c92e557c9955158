/**
 * /api/v1/counts: visible comment counts of many pages (a blog's index page) in one bulk KV read of those this
 * isolate has not read in the last few seconds (storage/threads.ts READER_CACHE_MS).
 */
import { LIMITS, type CountsResponse } from '@sala/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { readPageId } from '../domain/comment-input.js';
import { invalidField } from '../errors.js';
import { pageRef } from '../storage/keys.js';
import { ThreadStore } from '../storage/threads.js';

export const counts = new Hono<AppEnv>();

counts.get('/', async (c) => {
  const requested = c.req.queries('page') ?? [];
  if (requested.length === 0) throw invalidField('page', 'Name at least one page with ?page=.');
  if (requested.length > LIMITS.countsPages) {
    throw invalidField('page', `At most ${LIMITS.countsPages} pages per request.`);
  }
  const siteId = c.get('site').id;
  const pages = await Promise.all(requested.map((raw) => pageRef(siteId, readPageId(raw))));
  const values = await new ThreadStore(c.env.SALA).counts(pages);
  // Keyed by the page ids exactly as sent, so the widget finds each without normalising them itself.
  return c.json<CountsResponse>({ counts: Object.fromEntries(requested.map((raw, i) => [raw, values[i] ?? 0])) });
});
