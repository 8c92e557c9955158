import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PopularPostsResponse, ThreadResponse } from '@sala/protocol';
import { countingKv, send } from '../testing.js';
import {
  BROWSER_UA,
  at,
  freshSite,
  isolate,
  pageMeta,
  poke,
  postBeacon,
  reportedViews,
  runCron,
  serveBlog,
  sendView,
  type Isolate,
} from '../testing-views.js';
import { VIEW_BUFFER_DEFAULTS } from '../domain/view-buffer.js';
import { VIEW_BEACON_MAX_BYTES } from './views.js';

const POST = 'https://blog.example.com/2030/01/angkor';

/** An isolate that writes only the views it saw, none counted ahead: for the rules of what counts as a view. */
const exactIsolate = (site: ReturnType<typeof freshSite>) => isolate(site, { views: { inFlightShare: 0 } });
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  serveBlog(); // the blog's own pages, which the cron reads for what the lists show
  vi.setSystemTime(at(10, 12));
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('POST /api/v1/views', () => {
  it('counts a view once per reader per page per day, answering 204 with no body', async () => {
    const target = exactIsolate(freshSite());
    const first = await sendView(target, POST);
    expect([first.status, first.text]).toEqual([204, '']);
    await sendView(target, POST); // the same reader's beacon replayed
    await sendView(target, `${POST}/?utm_source=feed#comments`); // the same page under another address
    await sendView(target, POST, { headers: { 'CF-Connecting-IP': '198.51.100.9' } }); // another reader
    await sendView(target, POST, { headers: { 'User-Agent': FIREFOX } }); // another browser
    await sendView(target, `${POST}-2`);
    expect(await reportedViews(target, at(10, 50))).toEqual({ [POST]: 3, [`${POST}-2`]: 1 });
  });

  it('counts the same reader again on the next UTC day', async () => {
    const target = isolate(freshSite());
    vi.setSystemTime(at(0, 0) - 10 * 60_000); // 23:50 the day before
    await sendView(target, POST);
    await sendView(target, POST);
    vi.setSystemTime(at(0, 10));
    await sendView(target, POST);
    await sendView(target, POST);
    expect(await reportedViews(target, at(0, 50))).toEqual({ [POST]: 2 });
  });

  it('answers a beacon without touching KV', async () => {
    const target = isolate(freshSite());
    const counted = countingKv(target.site.bindings.SALA);
    target.site.bindings = { ...target.site.bindings, SALA: counted.kv };
    for (let i = 0; i < 5; i++) await sendView(target, `${POST}-${i}`);
    expect(counted.calls).toEqual([]);
  });

  it('drops crawlers, link previews, prefetches and requests without browser fetch metadata, still answering 204', async () => {
    const target = isolate(freshSite());
    const dropped: Record<string, string | null>[] = [
      { 'User-Agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' },
      { 'User-Agent': 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)' },
      { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/131.0.0.0 Safari/537.36' },
      { 'User-Agent': 'curl/8.5.0' },
      { 'User-Agent': null },
      { 'Sec-Purpose': 'prefetch;prerender' },
      { Purpose: 'prefetch' },
      { 'Sec-Fetch-Site': null, 'Sec-Fetch-Mode': null },
      { 'Sec-Fetch-Mode': 'navigate' },
    ];
    for (const headers of dropped) {
      const sent = await sendView(target, POST, { headers });
      expect([sent.status, sent.text], JSON.stringify(headers)).toEqual([204, '']);
    }
    expect(await reportedViews(target, at(10, 50))).toEqual({});
  });

  it('refuses a beacon without Origin or from an origin the site does not list, and a page on another origin', async () => {
    const target = isolate(freshSite());
    expect((await sendView(target, POST, { origin: null })).status).toBe(403);
    const foreign = await sendView(target, POST, { origin: 'https://copycat.example.net' });
    expect([foreign.status, foreign.body.error.code]).toEqual([403, 'origin_not_allowed']);
    // The refusal itself is readable (so the embed can say why); nothing else is allowed or stored.
    expect(foreign.headers.get('Access-Control-Allow-Methods')).toBeNull();

    const elsewhere = await sendView(target, 'https://copycat.example.net/angkor');
    expect([elsewhere.status, elsewhere.body.error.field]).toEqual([400, 'meta.url']);
    expect(await reportedViews(target, at(10, 50))).toEqual({});
  });

  it('names the field at fault in a malformed beacon', async () => {
    const target = isolate(freshSite());
    const cases: [unknown, string][] = [
      [{ meta: pageMeta(POST) }, 'page'],
      [{ page: ' ', meta: pageMeta(POST) }, 'page'],
      [{ page: POST }, 'meta'],
      [{ page: POST, meta: pageMeta(POST), weight: 0 }, 'weight'],
      [{ page: POST, meta: pageMeta(POST), weight: '3' }, 'weight'],
      [{ page: POST, meta: pageMeta(POST, { title: ' ' }) }, 'meta.title'],
      [{ page: POST, meta: pageMeta(POST, { image: 'javascript:alert(1)' }) }, 'meta.image'],
      [{ page: POST, meta: pageMeta(POST, { published: 'yesterday' }) }, 'meta.published'],
      [{ page: POST, meta: { ...pageMeta(POST), labels: 'travel' } }, 'meta.labels'],
      [{ page: POST, meta: pageMeta('ftp://blog.example.com/x') }, 'meta.url'],
      [[POST], 'body'],
    ];
    for (const [beacon, field] of cases) {
      const sent = await postBeacon(target, JSON.stringify(beacon));
      expect([sent.status, sent.body.error.code, sent.body.error.field], field).toEqual([400, 'invalid_field', field]);
    }

    expect((await postBeacon(target, '{"page":')).body.error.code).toBe('invalid_json');
    const formPost = await postBeacon(target, 'page=x', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect([formPost.status, formPost.body.error.code]).toEqual([415, 'unsupported_media_type']);
    const oversized = await postBeacon(
      target,
      JSON.stringify({ page: POST, meta: pageMeta(POST), padding: 'x'.repeat(VIEW_BEACON_MAX_BYTES) }),
    );
    expect([oversized.status, oversized.body.error.code]).toEqual([413, 'payload_too_large']);
    expect(await reportedViews(target, at(10, 50))).toEqual({});
  });

  it('caps a beacon’s weight at the site’s sample rate and shortens, never rejects, long text', async () => {
    const sampled = exactIsolate(freshSite({ viewSampleRate: 10 }));
    await sendView(sampled, POST, { beacon: { weight: 10 } });
    await sendView(sampled, `${POST}-forged`, { beacon: { weight: 1_000_000 } });
    expect(await reportedViews(sampled, at(10, 50))).toEqual({ [POST]: 10, [`${POST}-forged`]: 10 });

    vi.setSystemTime(at(10, 12));
    const unsampled = isolate(freshSite());
    const longTitle = `${'Angkor at dawn '.repeat(30)}`;
    const sent = await sendView(unsampled, POST, {
      beacon: { weight: 50, meta: pageMeta(POST, { title: longTitle, description: '<b>bold</b> '.repeat(100) }) },
    });
    expect(sent.status).toBe(204);
    expect(await reportedViews(unsampled, at(10, 50))).toEqual({ [POST]: 1 });
  });

  it('bounds what one address adds to a page a day, whatever User-Agent each beacon claims', async () => {
    const sampled = exactIsolate(freshSite({ viewSampleRate: 10 }));
    // A script on one address, a new browser version in every beacon: each is a new "reader" by the reader hash.
    for (let i = 0; i < 30; i++) {
      const userAgent = BROWSER_UA.replace('131.0.0.0', `131.0.${i}.0`);
      await sendView(sampled, POST, { beacon: { weight: 1_000 }, headers: { 'User-Agent': userAgent } });
    }
    await sendView(sampled, POST, { headers: { 'CF-Connecting-IP': '198.51.100.77' } }); // another address still counts
    // At most VIEW_BUFFER_DEFAULTS.maxViewsPerAddress beacons, each capped at the sample rate: 10 × 10, plus 1.
    expect(await reportedViews(sampled, at(10, 50))).toEqual({
      [POST]: VIEW_BUFFER_DEFAULTS.maxViewsPerAddress * 10 + 1,
    });
  });

  it('counts an IPv6 /64 as one address: rotating through its addresses adds no more', async () => {
    const target = exactIsolate(freshSite());
    // One machine's /64 holds 2^64 addresses, each free to send from; with a new browser version each time too.
    for (let i = 0; i < 30; i++) {
      const userAgent = BROWSER_UA.replace('131.0.0.0', `131.0.${i}.0`);
      const address = `2001:db8:7:1:${(i + 1).toString(16)}::${i}`;
      await sendView(target, POST, { headers: { 'User-Agent': userAgent, 'CF-Connecting-IP': address } });
    }
    await sendView(target, POST, { headers: { 'CF-Connecting-IP': '2001:db8:7:2::1' } }); // another /64 still counts
    expect(await reportedViews(target, at(10, 50))).toEqual({ [POST]: VIEW_BUFFER_DEFAULTS.maxViewsPerAddress + 1 });
  });

  it('does not count readers asking not to be tracked when the site respects it', async () => {
    for (const [respectDoNotTrack, expected] of [
      [true, {}],
      [false, { [POST]: 2 }],
    ] as const) {
      vi.setSystemTime(at(10, 12));
      const target = exactIsolate(freshSite({ respectDoNotTrack }));
      await sendView(target, POST, { headers: { DNT: '1' } });
      await sendView(target, POST, { headers: { 'Sec-GPC': '1', 'CF-Connecting-IP': '198.51.100.2' } });
      expect(await reportedViews(target, at(10, 50))).toEqual(expected);
    }
  });
});

describe('view buffers and isolates', () => {
  it('keeps each Worker instance’s views in its own buffer, lost if the instance goes before it flushes', async () => {
    const site = freshSite();
    const survivor = isolate(site);
    const evicted = isolate(site);
    await sendView(survivor, POST);
    await sendView(evicted, POST, { headers: { 'CF-Connecting-IP': '198.51.100.9' } });
    await sendView(evicted, `${POST}-2`);
    // `evicted` receives no further request: its buffer dies with it.
    expect(await reportedViews(survivor, at(10, 50))).toEqual({ [POST]: 1 });
  });

  it('counts half of each batch again ahead, for the views an isolate holds unwritten; later views pay it off', async () => {
    const target = isolate(freshSite());
    const readers = (from: number, count: number) => Array.from({ length: count }, (_, i) => `198.51.100.${from + i}`);
    for (const ip of readers(1, 4)) await sendView(target, POST, { headers: { 'CF-Connecting-IP': ip } });
    // 4 seen and 2 ahead: at any moment an isolate holds about half a flush cycle's views it has not written.
    expect(await reportedViews(target, at(10, 50))).toEqual({ [POST]: 6 });

    vi.setSystemTime(at(10, 45));
    for (const ip of readers(5, 2)) await sendView(target, POST, { headers: { 'CF-Connecting-IP': ip } });
    // The 2 new views pay off the 2 counted ahead; 1 more goes ahead for this cycle: 6 seen, 7 shown.
    expect(await reportedViews(target, at(11, 20))).toEqual({ [POST]: 7 });

    vi.setSystemTime(at(11, 15));
    await sendView(target, POST, { headers: { 'CF-Connecting-IP': '198.51.100.50' } });
    // Fewer views than were counted ahead: nothing new to count, and no batch written for it.
    const counted = countingKv(target.site.bindings.SALA);
    target.site.bindings = { ...target.site.bindings, SALA: counted.kv };
    vi.setSystemTime(at(11, 40));
    await poke(target);
    const batchWrites = counted.calls.filter(
      ({ method, args }) => method === 'put' && String(args[0]).startsWith('v1:views:'),
    );
    expect(batchWrites).toEqual([]);
    expect(await reportedViews(target, at(11, 50))).toEqual({ [POST]: 7 });
  });

  it('tells the thread widget the site’s sample rate', async () => {
    const site = freshSite({ viewSampleRate: 4 });
    const sent = await send<ThreadResponse>('GET', `/api/v1/comments?site=${site.id}&page=${POST}`, {
      bindings: site.bindings,
    });
    expect(sent.body.viewSample).toBe(4);
  });
});

describe('hostile input to the view and list routes', () => {
  it('never produces a 5xx', async () => {
    const target = isolate(freshSite());
    const bodies = [
      '{"page":{"toString":1},"meta":{}}',
      '{"__proto__":{"page":"x"},"constructor":1}',
      '"\\ud800"',
      '['.repeat(5000),
      JSON.stringify({
        page: POST,
        meta: { ...pageMeta(POST), labels: Array.from({ length: 2000 }, (_, i) => `l${i}`) },
      }),
      JSON.stringify({ page: POST, meta: { ...pageMeta(POST), title: '\u202e'.repeat(3000) } }),
      JSON.stringify({ page: POST, meta: pageMeta(POST), weight: 1e308 }),
    ];
    for (const body of bodies) {
      const sent = await postBeacon(target, body);
      expect(sent.status, body.slice(0, 40)).toBeLessThan(500);
    }
    for (const query of ['range=%', 'exclude=%E0%A4%A', 'label=%00&limit=99999999999999999999', 'by=__proto__']) {
      for (const path of ['popular', 'recent-comments']) {
        const sent = await send('GET', `/api/v1/${path}?site=${target.site.id}&${query}`, {
          worker: target.worker,
          bindings: target.site.bindings,
        });
        expect(sent.status, `${path}?${query}`).toBeLessThan(500);
      }
    }
  });
});

describe('a cron run under npm run dev', () => {
  const DEV_POST = 'https://blog.example.com/2030/01/dev';

  /** The 24-hour popular list `target` serves. */
  async function listed(target: Isolate): Promise<string[]> {
    const sent = await send<PopularPostsResponse>('GET', `/api/v1/popular?site=${target.site.id}&range=24h`, {
      worker: target.worker,
      bindings: target.site.bindings,
    });
    return sent.body.posts.map((post) => post.pageId);
  }

  it('writes the buffered views before a cron run only under npm run dev (SALA_DEV_FLUSH_VIEWS)', async () => {
    const site = freshSite();
    const target = isolate(site);
    expect((await sendView(target, DEV_POST)).status).toBe(204);

    // In production the view waits in the isolate until the flush age: this run does not see it.
    await runCron(target, at(10, 22)); // a ranking run
    expect(await listed(target)).toEqual([]);

    await runCron(target, at(10, 22), { ...site.bindings, SALA_DEV_FLUSH_VIEWS: 'true' });
    expect(await listed(target)).toEqual([DEV_POST]);
  });
});
