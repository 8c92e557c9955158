/** The benchmark blog's pages and the requests its readers' browsers send, shaped as the widgets send them. */
import type { CreateCommentRequest, PageMeta, ViewBeacon } from '@sala/protocol';
import type { PageCounts, PopularityStateV1 } from '../src/domain/popularity.js';
import { HOUR_MS, utcDay } from '../src/domain/utc-time.js';
import type { Reader } from './traffic.js';

export const BLOG = 'https://blog.example.com';
const API = 'https://sala.example.workers.dev/api/v1';

export function postUrl(post: number): string {
  return `${BLOG}/2030/02/post-${post + 1}`;
}

/** Metadata as long as a real Blogger post's: a googleusercontent thumbnail, a 250-character first paragraph. */
export function postMeta(post: number): PageMeta {
  return {
    url: postUrl(post),
    title: `Post ${post + 1}: a walk along the Mekong at dusk, with notes on where to eat`,
    image: `https://blogger.googleusercontent.com/img/b/R29vZ2xl/AVvXsEh${'x'.repeat(120)}/s1600/post-${post + 1}.jpg`,
    description: 'A long first paragraph about the river, the market and the people met on the way. '.repeat(3),
    published: new Date(Date.UTC(2029, post % 12, 1 + (post % 28))).toISOString(),
    labels: [`Label ${post % 7}`, 'Travel'],
  };
}

/** Views of a post on one day or hour: a long tail, as on a real blog (zipf-like), never zero for the top pages. */
function views(post: number, salt: number): number {
  return Math.max(1, Math.round(2000 / (post + 1) + ((post * 7 + salt * 13) % 5)));
}

function countsFor(pages: number, salt: number): PageCounts {
  const counts: PageCounts = {};
  for (let post = 0; post < pages; post++) counts[postUrl(post)] = views(post, salt);
  return counts;
}

/**
 * The popularity state of a blog of `pages` posts the cron has counted for 30 days, finalized through `finalized`
 * (ms), as the version 1 JSON document held it (the column store is made from it with `fromV1`): every post in each
 * of the 48 hours and 30 days before, with its beacons' metadata.
 */
export function monthOldPopularity(pages: number, finalized: number): PopularityStateV1 {
  const state: PopularityStateV1 = {
    version: 1,
    hours: {},
    days: {},
    allTime: {},
    finalizedThrough: new Date(finalized).toISOString(),
    meta: {},
  };
  for (let hour = 0; hour < 48; hour++) {
    state.hours[new Date(finalized - hour * HOUR_MS).toISOString()] = countsFor(pages, hour);
  }
  for (let day = 0; day < 30; day++) state.days[utcDay(finalized - day * 24 * HOUR_MS)] = countsFor(pages, day);
  state.allTime = countsFor(pages, 99);
  for (let post = 0; post < pages; post++) {
    state.meta[postUrl(post)] = { ...postMeta(post), updatedAt: '2030-03-01T00:00:00.000Z' };
  }
  return state;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * The post page at `url` as the blog serves it, about 20 KB like a Blogger post (the cron reads it for the lists);
 * null for an address that is not a post.
 */
export function postPage(url: string): string | null {
  const post = Number(/\/post-(\d+)$/.exec(url)?.[1]) - 1;
  if (!Number.isInteger(post) || post < 0) return null;
  const meta = postMeta(post);
  const labels = meta.labels.map((label) => `<a rel="tag" href="${BLOG}/search/label/${label}">${label}</a>`);
  return `<!doctype html><html><head><meta property="og:type" content="article">
<title>${escapeHtml(meta.title)}</title><link rel="canonical" href="${url}">
<meta property="og:title" content="${escapeHtml(meta.title)}"><meta property="og:image" content="${meta.image}">
<meta property="og:description" content="${escapeHtml(meta.description!)}">
<style>${'.widget { margin: 0 auto; padding: 1em; } '.repeat(250)}</style></head>
<body class="item-view"><article class="post-outer-container"><h3 class="post-title entry-title">${escapeHtml(meta.title)}</h3>
<time class="published" datetime="${meta.published}">${meta.published}</time>
<div class="post-body">${`<p>${escapeHtml(meta.description!)}</p>`.repeat(30)}</div>
<div class="post-labels">${labels.join(', ')}</div></article></body></html>`;
}

/** What a current browser sends with a cross-site fetch from the blog. */
function browserHeaders(reader: Reader, extra: Record<string, string> = {}): Headers {
  return new Headers({
    Origin: BLOG,
    'User-Agent': reader.userAgent,
    'CF-Connecting-IP': reader.ip,
    'Sec-Fetch-Site': 'cross-site',
    'Sec-Fetch-Mode': 'cors',
    'Sec-Fetch-Dest': 'empty',
    ...extra,
  });
}

export function threadRequest(site: string, reader: Reader, post: number): Request {
  const page = encodeURIComponent(postUrl(post));
  return new Request(`${API}/comments?site=${site}&page=${page}`, { headers: browserHeaders(reader) });
}

/** `<sala-popular-posts>` with its defaults on a post page: the last 7 days, 5 posts, the current one left out. */
export function popularRequest(site: string, reader: Reader, post: number): Request {
  const page = encodeURIComponent(postUrl(post));
  return new Request(`${API}/popular?site=${site}&range=7d&limit=5&exclude=${page}`, {
    headers: browserHeaders(reader),
  });
}

/** The keepalive text/plain beacon: no preflight. */
export function beaconRequest(site: string, reader: Reader, post: number, weight: number): Request {
  const beacon: ViewBeacon = { page: postUrl(post), meta: postMeta(post), weight };
  const headers = browserHeaders(reader, { 'Content-Type': 'text/plain;charset=UTF-8' });
  return new Request(`${API}/views?site=${site}`, { method: 'POST', headers, body: JSON.stringify(beacon) });
}

/** A JSON POST is not a simple request: the browser sends this preflight first (each commenter posts once). */
export function commentPreflight(site: string, reader: Reader): Request {
  const headers = browserHeaders(reader, {
    'Access-Control-Request-Method': 'POST',
    'Access-Control-Request-Headers': 'content-type',
  });
  return new Request(`${API}/comments?site=${site}`, { method: 'OPTIONS', headers });
}

export function commentRequest(site: string, reader: Reader, post: number, tag: string): Request {
  const comment: CreateCommentRequest = {
    page: postUrl(post),
    name: `Reader ${reader.id}`,
    // Unique per row: the Worker refuses a comment it has just seen posted on the page.
    body: `Thank you for post ${post + 1}, **lovely** photos! Greetings from reader ${reader.id} (${tag}).`,
    elapsedMs: 90_000, // a person typing, as the widget reports it
  };
  const headers = browserHeaders(reader, { 'Content-Type': 'application/json' });
  return new Request(`${API}/comments?site=${site}`, { method: 'POST', headers, body: JSON.stringify(comment) });
}

/** A request to no route: it passes the same middleware as the widget GETs (so it flushes like them), reads nothing. */
export function probeRequest(site: string): Request {
  return new Request(`${API}/bench-probe?site=${site}`, { headers: { Origin: BLOG } });
}

export function listRequest(site: string, range: string): Request {
  return new Request(`${API}/popular?site=${site}&range=${range}&limit=20`, { headers: { Origin: BLOG } });
}
