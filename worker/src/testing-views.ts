/**
 * Test helpers for view counting and the list routes: a site of its own per test (sites share one KV namespace
 * in a test file), a Worker instance per isolate, browser-like beacons, and cron runs at chosen times.
 */
import type { ApiErrorBody, PageMeta, PopularPostsResponse, ViewBeacon } from '@sala/protocol';
import { createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { vi } from 'vitest';
import type { ViewBatch } from './domain/view-buffer.js';
import { createWorker, type WorkerOptions } from './index.js';
import { ViewBatchStore } from './storage/views.js';
import { ALLOWED_ORIGIN, send, type Sent } from './testing.js';

/** A current Chrome on Windows: what `isbot` lets through. */
export const BROWSER_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** The headers a page's keepalive fetch of the beacon carries from a cross-site blog; null leaves one out. */
export function beaconHeaders(overrides: Record<string, string | null> = {}): Record<string, string> {
  const headers: Record<string, string | null> = {
    'Content-Type': 'text/plain;charset=UTF-8',
    'User-Agent': BROWSER_UA,
    'Sec-Fetch-Site': 'cross-site',
    'Sec-Fetch-Mode': 'cors',
    'Sec-Fetch-Dest': 'empty',
    'CF-Connecting-IP': '203.0.113.7',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== null));
}

export interface TestSite {
  id: string;
  /** Bindings whose SITES holds only this site, so the cron works on it alone. */
  bindings: Env;
}

/** A site of its own, allowing ALLOWED_ORIGIN and blog.example.com, with optional settings. */
export function freshSite(
  settings: { viewSampleRate?: number; respectDoNotTrack?: boolean; origins?: string[] } = {},
): TestSite {
  const id = `t${crypto.randomUUID().slice(0, 8)}`;
  const sites = { [id]: { name: 'Test blog', origins: [ALLOWED_ORIGIN, 'https://blog.example.com'], ...settings } };
  return { id, bindings: { ...env, SITES: JSON.stringify(sites) } };
}

export function pageMeta(url: string, fields: Partial<PageMeta> = {}): PageMeta {
  return { url, title: `Title of ${url.split('/').pop()}`, labels: [], ...fields };
}

export interface Isolate {
  worker: ReturnType<typeof createWorker>;
  site: TestSite;
}

export function isolate(site: TestSite, options: WorkerOptions = {}): Isolate {
  return { worker: createWorker(options), site };
}

export interface BeaconOptions {
  headers?: Record<string, string | null>;
  /** Origin header; ALLOWED_ORIGIN unless given, none when null. */
  origin?: string | null;
}

/** POSTs `body` as a view beacon from a browser on ALLOWED_ORIGIN. */
export function postBeacon(target: Isolate, body: string, options: BeaconOptions = {}): Promise<Sent<ApiErrorBody>> {
  return send<ApiErrorBody>('POST', `/api/v1/views?site=${target.site.id}`, {
    worker: target.worker,
    bindings: target.site.bindings,
    headers: beaconHeaders(options.headers),
    body,
    ...(options.origin !== undefined ? { origin: options.origin } : {}),
  });
}

/** Sends one view beacon of `url` (its page id, with metadata naming it), with `beacon` fields replacing those. */
export function sendView(
  target: Isolate,
  url: string,
  options: BeaconOptions & { beacon?: Partial<ViewBeacon> } = {},
): Promise<Sent<ApiErrorBody>> {
  const beacon: ViewBeacon = { page: url, meta: pageMeta(url), ...options.beacon };
  return postBeacon(target, JSON.stringify(beacon), options);
}

/** Any request to the isolate at the current (fake) time: it writes the due view batches; resolves once written. */
export async function poke(target: Isolate): Promise<void> {
  const sent = await send('GET', `/api/v1/recent-comments?site=${target.site.id}`, {
    worker: target.worker,
    bindings: target.site.bindings,
  });
  await sent.settled;
}

/** Fires the isolate's cron handler as the trigger would at `at` (ms). */
export async function runCron(target: Isolate, at: number, bindings: Env = target.site.bindings): Promise<void> {
  await target.worker.scheduled(createScheduledController({ scheduledTime: at, cron: '*/10 * * * *' }), bindings);
}

/** What a test blog's post page says of itself; unset fields are made from its URL. */
export interface TestPost {
  title?: string;
  description?: string;
  image?: string;
  labels?: string[];
  /** The whole page instead of the made-up one. */
  html?: string;
  /** An answer other than 200, e.g. 404 or 500. */
  status?: number;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** A post page as a blog would serve it, with Open Graph metas, its canonical link, date and label links. */
export function postHtml(url: string, post: TestPost = {}): string {
  const title = post.title ?? `Title of ${url.split('/').pop()}`;
  const metas = [
    `<meta property="og:type" content="article">`,
    `<meta property="og:title" content="${escapeHtml(title)}">`,
    post.description ? `<meta property="og:description" content="${escapeHtml(post.description)}">` : '',
    post.image ? `<meta property="og:image" content="${escapeHtml(post.image)}">` : '',
  ].join('\n');
  const labels = (post.labels ?? []).map((label) => `<a rel="tag" href="/label/${label}">${escapeHtml(label)}</a>`);
  return `<!doctype html><html><head><title>${escapeHtml(title)} – Test blog</title>${metas}
<link rel="canonical" href="${escapeHtml(url)}"></head>
<body><article><h1>${escapeHtml(title)}</h1><p>First paragraph of ${escapeHtml(url)}.</p>
<footer>${labels.join(' ')}</footer></article></body></html>`;
}

/**
 * Stubs the Worker's outbound fetch as the site's blog: every page on ALLOWED_ORIGIN or blog.example.com is a post
 * (`postHtml`, with `pages[url]` replacing its parts), anything else a 404. Returns the URLs fetched, in order.
 */
export function serveBlog(pages: Record<string, TestPost> = {}): string[] {
  const fetched: string[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input as RequestInfo, init as RequestInit);
    fetched.push(request.url);
    const url = new URL(request.url);
    const post = pages[request.url];
    const ours = url.origin === ALLOWED_ORIGIN || url.origin === 'https://blog.example.com';
    if (!ours || (post?.status ?? 200) !== 200) return new Response('Not found', { status: post?.status ?? 404 });
    return new Response(post?.html ?? postHtml(request.url, post), {
      headers: { 'Content-Type': 'text/html; charset=UTF-8' },
    });
  });
  return fetched;
}

/** Date.UTC of a time on 2030-01-15 (a day no test's real clock is on, so day buckets are the test's own). */
export function at(hour: number, minute = 0, second = 0): number {
  return Date.UTC(2030, 0, 15, hour, minute, second);
}

/** Views per page id that GET /popular reports for `range` once the isolate flushed and the cron ran at `when` (a ranking run: :20 or :50). */
export async function reportedViews(target: Isolate, when: number, range = '24h'): Promise<Record<string, number>> {
  vi.setSystemTime(when);
  await poke(target);
  await runCron(target, when);
  const sent = await send<PopularPostsResponse>(
    'GET',
    `/api/v1/popular?site=${target.site.id}&range=${range}&limit=20`,
    {
      worker: target.worker,
      bindings: target.site.bindings,
    },
  );
  return Object.fromEntries(sent.body.posts.map((post) => [post.pageId, post.views]));
}

/** Stores a view batch as an isolate's flush at `flushedAt` would, with metadata naming each page. */
export async function storeBatch(
  site: TestSite,
  flushedAt: number,
  views: Record<string, number>,
  meta: Record<string, Partial<PageMeta>> = {},
): Promise<void> {
  const iso = new Date(flushedAt).toISOString();
  const batch: ViewBatch = {
    id: `${iso.replace(/[-:.]/g, '')}-${crypto.randomUUID().slice(0, 8)}`,
    flushedAt: iso,
    views,
    meta: Object.fromEntries(Object.keys(views).map((url) => [url, pageMeta(url, meta[url])])),
  };
  await new ViewBatchStore(site.bindings.SALA).put(site.id, batch);
}

/**
 * Counts the SHA-256 digests taken of any of `texts` until `stop()` (page ids: storage/keys.ts `pageRef`), each still
 * taken. With `forgetPageHashes()` before, what a fresh isolate would hash.
 */
export function countDigests(texts: readonly string[]): { readonly count: number; stop(): number } {
  const wanted = new Set(texts);
  const digest = crypto.subtle.digest.bind(crypto.subtle);
  let count = 0;
  const spy = vi.spyOn(crypto.subtle, 'digest').mockImplementation((algorithm, data) => {
    if (wanted.has(new TextDecoder().decode(data))) count += 1;
    return digest(algorithm, data);
  });
  return {
    get count() {
      return count;
    },
    stop() {
      spy.mockRestore();
      return count;
    },
  };
}

/**
 * A counts value of format 6 (storage/popularity.ts) as the code before the page hashes were kept wrote it: format 5,
 * the same without the 16 bytes a slot after the hint hashes.
 */
export function withoutPageHashes(counts: ArrayBuffer): ArrayBuffer {
  const [format, slots, final, idBytes] = new Uint32Array(counts, 0, 4) as unknown as [number, number, number, number];
  if (format !== 6) throw new Error(`counts of format ${format}, not 6`);
  const pageHashesAt = 16 + slots * (8 + 25 * 4 + 4);
  const old = new Uint8Array(counts.byteLength - slots * 16);
  old.set(new Uint8Array(counts, 0, pageHashesAt));
  old.set(new Uint8Array(counts, pageHashesAt + slots * 16), pageHashesAt);
  new Uint32Array(old.buffer, 0, 4).set([5, slots, final, idBytes]);
  return old.buffer;
}
