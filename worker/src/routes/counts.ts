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
  // Pages the reader has comments of their own on: their count comes with its newest comment's time.
  const own = [...new Set(c.req.queries('newest') ?? [])];
  if (own.some((raw) => !requested.includes(raw)))
    throw invalidField('newest', 'Name only pages also named with ?page=.');
  const siteId = c.get('site').id;
  const pages = await Promise.all(requested.map((raw) => pageRef(siteId, readPageId(raw))));
  const store = new ThreadStore(c.env.SALA);
  // Those the reader has comments on are read once, with the time, so that count and time agree; the rest as always.
  const mine = new Set(own);
  const shared = requested.flatMap((raw, i) => (mine.has(raw) ? [] : [i]));
  const [values, read] = await Promise.all([
    store.counts(shared.map((i) => pages[i]!)),
    own.length > 0 ? store.countsWithNewest(own.map((raw) => pages[requested.indexOf(raw)]!)) : [],
  ]);
  const counted = new Map<string, { count: number; newest?: string }>(own.map((raw, i) => [raw, read[i]!]));
  shared.forEach((i, n) => counted.set(requested[i]!, { count: values[n] ?? 0 }));
  // Keyed by the page ids exactly as sent, so the widget finds each without normalising them itself.
  const body: CountsResponse = {
    counts: Object.fromEntries(requested.map((raw) => [raw, counted.get(raw)?.count ?? 0])),
  };
  if (own.length > 0) {
    body.newest = Object.fromEntries(
      own.flatMap((raw, i) => (read[i]?.newest === undefined ? [] : [[raw, read[i]!.newest]])),
    );
    // And how long ago each count was written: the browser compares it with when the reader deleted a comment there,
    // by its own clock (the Worker's is read after the KV read).
    const now = Date.now();
    body.age = Object.fromEntries(
      own.flatMap((raw, i) => (read[i]?.at === undefined ? [] : [[raw, now - read[i]!.at]])),
    );
  }
  return c.json(body);
});
