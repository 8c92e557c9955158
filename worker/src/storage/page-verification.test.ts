/**
 * Forged view beacons against popular posts: what a list shows comes from the post's own page, fetched by the cron
 * (outbound fetch stubbed as the blog), never from a beacon's title, snippet or image.
 */
import type { PopularPost, PopularPostsResponse } from '@sala/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hintHash } from '../domain/page-hints.js';
import { devPageReads, PAGE_VERIFICATION, type VerifiedPages } from '../domain/page-verification.js';
import { emptyPopularityState } from '../domain/popularity.js';
import { verifiedPagesKey } from './keys.js';
import { decodeVerifiedPages, encodeVerifiedPages, FetchBudget, PageVerification } from './page-verification.js';
import { ALLOWED_ORIGIN, send } from '../testing.js';
import {
  at,
  freshSite,
  isolate,
  pageMeta,
  poke,
  postHtml,
  runCron,
  sendView,
  serveBlog,
  type Isolate,
  type TestPost,
} from '../testing-views.js';

const BLOG = 'https://blog.example.com';
const ANGKOR = `${BLOG}/2030/01/angkor`;
const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

/** What the blogger published at ANGKOR: the list must show exactly this. */
const REAL: TestPost = {
  title: 'Angkor Wat at dawn',
  description: 'Get there by five to see the towers against the sky.',
  image: 'https://blogger.googleusercontent.com/img/angkor.jpg',
  labels: ['Temples'],
};

/** A script's beacon for ANGKOR: another title, snippet and image, claiming an allowed origin. */
const FORGED = {
  ...pageMeta(ANGKOR),
  title: 'CHEAP PILLS — click here',
  description: 'Visit pills.example for the best prices.',
  image: 'https://pills.example/banner.png',
  labels: ['Spam'],
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** The 7-day list once the isolate has written its views and the cron's ranking run at `when` is done. */
async function listAt(target: Isolate, when: number): Promise<PopularPost[]> {
  vi.setSystemTime(when);
  await poke(target);
  await runCron(target, when);
  const sent = await send<PopularPostsResponse>('GET', `/api/v1/popular?site=${target.site.id}&range=7d&limit=20`, {
    worker: target.worker,
    bindings: target.site.bindings,
  });
  expect(sent.status).toBe(200);
  return sent.body.posts;
}

/** Views from four addresses, each beacon carrying `meta`. */
async function beacons(target: Isolate, url: string, meta: object, when: number, from = 1): Promise<void> {
  vi.setSystemTime(when);
  for (let i = from; i < from + 4; i++) {
    const sent = await sendView(target, url, {
      beacon: { meta: { ...pageMeta(url), ...meta } },
      headers: { 'CF-Connecting-IP': `198.51.100.${i}` },
    });
    expect(sent.status).toBe(204);
  }
}

describe('what popular posts show of a page', () => {
  it('is what the page’s own HTML says, whatever the beacons said', async () => {
    const fetched = serveBlog({ [ANGKOR]: REAL });
    const target = isolate(freshSite());
    await beacons(target, ANGKOR, { title: 'What the browser read', description: 'Old snippet' }, at(10, 0));
    const [post] = await listAt(target, at(10, 50));
    expect(post).toMatchObject({ pageId: ANGKOR, url: ANGKOR, ...REAL, views: 6 }); // 4 beacons, and 2 views in flight counted ahead
    expect(fetched).toEqual([ANGKOR]);
  });

  it('does not change when forged beacons rename a post, replace its snippet and image', async () => {
    const fetched = serveBlog({ [ANGKOR]: REAL });
    const target = isolate(freshSite());
    await beacons(target, ANGKOR, {}, at(10, 0));
    const before = await listAt(target, at(10, 50));
    expect(before[0]).toMatchObject(REAL);

    // Four forged beacons, then cron runs the same day and the next (when the page is due to be read again).
    await beacons(target, ANGKOR, FORGED, at(11, 0), 10);
    for (const when of [at(11, 50), at(12, 20), at(11, 50) + DAY]) {
      const [post] = await listAt(target, when);
      expect(post).toMatchObject({ pageId: ANGKOR, ...REAL });
      expect(JSON.stringify(post)).not.toMatch(/pills|CHEAP|Spam/);
    }
    // Read again on the beacons' say-so at most every 6 hours (their metadata differs from the page's).
    expect(fetched.length).toBeLessThanOrEqual(3);
  });

  it('never shows an image from a host the page does not name, nor one from a page that names none', async () => {
    const noImage = `${BLOG}/2030/01/kep`;
    serveBlog({ [ANGKOR]: REAL, [noImage]: { title: 'Crab market in Kep' } });
    const target = isolate(freshSite());
    await beacons(target, ANGKOR, { image: 'https://pills.example/a.png' }, at(10, 0));
    await beacons(target, noImage, { image: 'https://pills.example/b.png' }, at(10, 0), 20);
    const posts = await listAt(target, at(10, 50));
    expect(posts.map((post) => [post.title, post.image])).toEqual([
      ['Angkor Wat at dawn', REAL.image],
      ['Crab market in Kep', undefined],
    ]);
  });

  it('leaves out a page that cannot be read, and keeps the last metadata read of one that fails later', async () => {
    const gone = `${BLOG}/2030/01/gone`;
    const target = isolate(freshSite());
    serveBlog({ [ANGKOR]: REAL, [gone]: { status: 404 } });
    await beacons(target, ANGKOR, {}, at(10, 0));
    await beacons(target, gone, { title: 'Forged title of a page that does not exist' }, at(10, 0), 20);
    expect((await listAt(target, at(10, 50))).map((post) => post.pageId)).toEqual([ANGKOR]);

    vi.restoreAllMocks();
    serveBlog({ [ANGKOR]: { status: 500 } });
    await beacons(target, ANGKOR, FORGED, at(10, 0) + DAY, 40);
    const [post] = await listAt(target, at(10, 50) + DAY);
    expect(post).toMatchObject({ pageId: ANGKOR, ...REAL });
  });

  it('refuses a page that is not the one counted, a redirect off the site, and hosts only a wildcard allows', async () => {
    const other = `${BLOG}/2030/01/other`;
    const moved = `${BLOG}/2030/01/moved`;
    const fetched = serveBlog({
      [other]: { html: postHtml(ANGKOR, REAL) }, // says it is ANGKOR
    });
    vi.mocked(fetch).mockImplementationOnce(async (input) => {
      fetched.push(String(input));
      return new Response(null, { status: 301, headers: { Location: 'https://pills.example/landing' } });
    });
    const target = isolate(freshSite());
    await beacons(target, moved, {}, at(10, 0));
    await beacons(target, other, {}, at(10, 0), 20);
    expect(await listAt(target, at(10, 50))).toEqual([]);
    expect(fetched).not.toContain('https://pills.example/landing');

    // `https://*.example.com` lets any host under it use the API; a page there is never fetched nor shown.
    const wildcard = isolate(freshSite({ origins: [ALLOWED_ORIGIN, 'https://*.example.com'] }));
    const stranger = 'https://stranger.example.com/2030/01/post';
    const before = fetched.length;
    await beacons(wildcard, stranger, {}, at(10, 0));
    expect(await listAt(wildcard, at(10, 50))).toEqual([]);
    expect(fetched.length).toBe(before);
  });

  it('reads at most a run’s budget of pages, most viewed first, and the rest on later runs', async () => {
    const fetched = serveBlog();
    const target = isolate(freshSite());
    const budget = PAGE_VERIFICATION.fetchesPerRun;
    const pages = Array.from(
      { length: 2 * budget + 1 },
      (_, i) => `${BLOG}/2030/01/post-${String(i).padStart(2, '0')}`,
    );
    vi.setSystemTime(at(10, 0));
    for (const [i, page] of pages.entries()) {
      // post-00 has the most readers, the last post one.
      for (let reader = 0; reader < pages.length - i; reader++) {
        await sendView(target, page, { headers: { 'CF-Connecting-IP': `203.0.113.${reader}` } });
      }
    }
    const first = await listAt(target, at(10, 50));
    expect(fetched).toHaveLength(budget);
    expect(first.map((post) => post.pageId)).toEqual(pages.slice(0, budget));

    expect((await listAt(target, at(11, 20))).map((post) => post.pageId)).toEqual(pages.slice(0, 2 * budget));
    expect(fetched).toHaveLength(2 * budget);
    expect((await listAt(target, at(11, 50))).map((post) => post.pageId)).toEqual(pages);
    expect(fetched).toHaveLength(pages.length);
    // Nothing is due on the next run: no page is read twice in a day.
    await listAt(target, at(12, 20));
    expect(fetched).toHaveLength(pages.length);
  });

  it('reads and keeps only the pages the lists can show, however many the blog has', async () => {
    const fetched = serveBlog();
    const site = freshSite();
    const kv = site.bindings.SALA;
    const now = at(10, 40);
    const [listed, edge, gone, unlisted] = [
      `${BLOG}/2030/01/listed`,
      `${BLOG}/2030/01/edge`,
      `${BLOG}/2030/01/gone`,
      `${BLOG}/2030/01/unlisted`,
    ] as const;
    const hintOf = (url: string) => ({ ...pageMeta(url), updatedAt: new Date(now).toISOString() });
    const hints = Object.fromEntries([listed, edge, gone, unlisted].map((url) => [url, hintOf(url)]));
    // Read yesterday: `edge` has fallen from the lists' first 60 but not below 150, `gone` below every list.
    const checkedAt = new Date(now - DAY).toISOString();
    const record = (url: string) => ({
      url,
      checkedAt,
      verifiedAt: checkedAt,
      meta: { url, title: `Title of ${url.split('/').pop()}`, labels: [] },
    });
    await kv.put(
      verifiedPagesKey(site.id),
      JSON.stringify({ version: 1, pages: { [edge]: record(edge), [gone]: record(gone) } }),
    );

    const pages = new PageVerification(kv, { id: site.id, origins: [BLOG] }, new FetchBudget());
    const state = { ...emptyPopularityState(), meta: hints };
    const shown = await pages.verify(
      state,
      now,
      { read: new Set([listed]), kept: new Set([listed, edge]) },
      { hashOf: (pageId) => (hints[pageId] ? hintHash(hints[pageId]) : undefined), read: async () => hints },
    );
    // Only the listed page never read is fetched; `unlisted` has beacons too, but no list can show it.
    expect(fetched).toEqual([listed]);
    expect(Object.keys(shown).sort()).toEqual([edge, listed].sort());
    const { verified: stored } = decodeVerifiedPages(await kv.get(verifiedPagesKey(site.id), 'arrayBuffer'));
    expect(Object.keys(stored.pages).sort()).toEqual([edge, listed].sort());
  });
});

describe('under npm start (SALA_DEV_PAGE_READS)', () => {
  it('reads the var as page reads a run, a failed page read again on the next run; a mistake is named', () => {
    expect(devPageReads('20')).toEqual({ fetchesPerRun: 20, retryMs: 0 });
    expect(devPageReads(' 1 ')).toEqual({ fetchesPerRun: 1, retryMs: 0 });
    expect(devPageReads('50')).toEqual({ fetchesPerRun: 50, retryMs: 0 });
    // Unset, as on a deployed Worker: the deployed pace.
    expect(devPageReads(undefined)).toBeNull();
    expect(devPageReads('')).toBeNull();
    for (const unusable of ['0', '51', '2.5', '-3', '1e1', 'lots']) {
      expect(devPageReads(unusable)).toEqual({ problem: expect.stringContaining('SALA_DEV_PAGE_READS') });
      expect(devPageReads(unusable)).toEqual({ problem: expect.stringContaining(`"${unusable}"`) });
    }
  });

  it('lists every post visited after one run, and a post whose read failed on the next', async () => {
    const late = `${BLOG}/2030/01/late`;
    const fetched = serveBlog({ [late]: { status: 503 } }); // its server not up yet
    const site = freshSite();
    const target = isolate({ ...site, bindings: { ...site.bindings, SALA_DEV_PAGE_READS: '20' } });
    const posts = Array.from(
      { length: 2 * PAGE_VERIFICATION.fetchesPerRun + 1 },
      (_, i) => `${BLOG}/2030/01/post-${i}`,
    );
    vi.setSystemTime(at(10, 0));
    for (const page of [...posts, late]) expect((await sendView(target, page)).status).toBe(204);
    const first = await listAt(target, at(10, 50));
    expect(first.map((post) => post.pageId).sort()).toEqual(posts.sort());
    expect(fetched).toHaveLength(posts.length + 1);

    // The dev cron's next minute is the same :50 run of the hour again: the late page is read then, not 6 hours later.
    vi.restoreAllMocks();
    serveBlog();
    const next = await listAt(target, at(10, 50));
    expect(next.map((post) => post.pageId).sort()).toEqual([...posts, late].sort());
  });
});

describe('the stored records', () => {
  /** Records as many and as long as the cron keeps for the CPU bench's 5,000-page blog with a tenth commented. */
  const KEPT = 306;
  const now = at(10, 20);
  const checkedAt = new Date(now - HOUR).toISOString();
  const url = (post: number) => `${BLOG}/2030/02/post-${post}`;
  const meta = (post: number) => ({
    url: url(post),
    title: `Post ${post}: a walk along the Mekong at dusk, with notes on where to eat`,
    image: `https://blogger.googleusercontent.com/img/b/R29vZ2xl/AVvXsEh${'x'.repeat(120)}/s1600/post-${post}.jpg`,
    // Every third post in Khmer: a line holding it is a string of two bytes a character.
    description:
      post % 3 === 0
        ? 'ដើរលេងតាមមាត់ទន្លេមេគង្គនៅពេលល្ងាច ផ្សារ និងមនុស្សដែលបានជួបតាមផ្លូវ។ '.repeat(3)
        : 'A long first paragraph about the river, the market and the people met on the way. '.repeat(3),
    published: '2029-05-01T00:00:00.000Z',
    labels: [`Label ${post % 7}`, 'Travel'],
  });
  const posts = Array.from({ length: KEPT }, (_, post) => post);
  const hints = Object.fromEntries(posts.map((post) => [url(post), { ...meta(post), updatedAt: checkedAt }]));
  const pageHints = {
    hashOf: (pageId: string) => (hints[pageId] ? hintHash(hints[pageId]) : undefined),
    read: async () => hints,
  };
  const listed = { read: new Set(posts.slice(0, 60).map(url)), kept: new Set(posts.map(url)) };
  const expected = Object.fromEntries(posts.map((post) => [url(post), { ...meta(post), updatedAt: checkedAt }]));
  /** Bytes V8 gives a string: one a character while every character is Latin-1, else two. */
  const heapBytes = (text: string) => text.length * (/[^\u0000-\u00ff]/.test(text) ? 2 : 1);

  it('written before format 2 are still read, and written again in lines under V8’s large-object size', async () => {
    const fetched = serveBlog();
    const site = freshSite();
    const kv = site.bindings.SALA;
    const record = (post: number) => ({ url: url(post), checkedAt, meta: meta(post), verifiedAt: checkedAt });
    const legacy = JSON.stringify({
      version: 1,
      pages: Object.fromEntries(posts.map((post) => [url(post), record(post)])),
    });
    expect(heapBytes(legacy)).toBeGreaterThan(2 * 128 * 1024);
    await kv.put(verifiedPagesKey(site.id), legacy);

    const pages = new PageVerification(kv, { id: site.id, origins: [BLOG] }, new FetchBudget());
    expect(await pages.verify(emptyPopularityState(), now, listed, pageHints)).toEqual(expected);
    expect(fetched).toEqual([]); // every page was read an hour ago

    // Stored again in the format read a line at a time, each line a string V8 keeps out of its large-object space
    // (128 KB, where every run's decoding of it faulted in fresh pages).
    const stored = new TextDecoder().decode((await kv.get(verifiedPagesKey(site.id), 'arrayBuffer'))!);
    const lines = stored.split('\n');
    expect(lines.length).toBeGreaterThan(3);
    expect(Math.max(...lines.map(heapBytes))).toBeLessThan(128 * 1024);
    // One JSON document still, for whoever reads it with `wrangler kv key get`.
    expect(Object.keys(Object.assign({}, ...JSON.parse(stored).pages))).toHaveLength(KEPT);

    const again = new PageVerification(kv, { id: site.id, origins: [BLOG] }, new FetchBudget());
    expect(await again.shown()).toEqual(expected);
  });

  it('are written only when something changed, once in format 2', async () => {
    serveBlog();
    const site = freshSite();
    const kv = site.bindings.SALA;
    const put = vi.spyOn(kv, 'put');
    const record = (post: number) => ({ url: url(post), checkedAt, meta: meta(post), verifiedAt: checkedAt });
    const legacy = { version: 1, pages: Object.fromEntries(posts.map((post) => [url(post), record(post)])) };
    await kv.put(verifiedPagesKey(site.id), JSON.stringify(legacy));
    for (const when of [now, now + 30 * 60_000]) {
      const pages = new PageVerification(kv, { id: site.id, origins: [BLOG] }, new FetchBudget());
      expect(await pages.verify(emptyPopularityState(), when, listed, pageHints)).toEqual(expected);
    }
    expect(put).toHaveBeenCalledTimes(2); // the legacy document, then its one rewrite
  });
});

describe('the stored document of verified pages', () => {
  it('keeps a page whose id is __proto__ as a record on any line, the prototype untouched', () => {
    const record = (title: string) => ({
      url: `https://blog.example/${title}`,
      checkedAt: '2030-03-01T00:00:00.000Z',
      meta: { title, url: `https://blog.example/${title}` },
      verifiedAt: '2030-03-01T00:00:00.000Z',
    });
    // Enough pages before it that `__proto__` lands on a later line than the first.
    const entries = [...Array.from({ length: 400 }, (_, i) => [`post-${i}`, `title ${i}`]), ['__proto__', 'proto']];
    const pages = JSON.parse(
      `{${entries.map(([id, title]) => `${JSON.stringify(id)}:${JSON.stringify(record(title!))}`).join(',')}}`,
    ) as VerifiedPages['pages'];
    const bytes = encodeVerifiedPages({ version: 1, pages });
    const lines = JSON.parse(new TextDecoder().decode(bytes).split('\n')[0]! + ']}') as { lines: number[] };
    expect(lines.lines.length).toBeGreaterThan(1);
    const { verified } = decodeVerifiedPages(bytes.slice().buffer);
    expect(Object.getPrototypeOf(verified.pages)).toBe(Object.prototype);
    expect(Object.hasOwn(verified.pages, '__proto__')).toBe(true);
    expect(verified.pages['__proto__' as string]).toEqual(record('proto'));
    expect(Object.keys(verified.pages)).toHaveLength(401);
  });
});
