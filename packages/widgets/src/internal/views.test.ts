import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { normalizePageId, type ViewBeacon } from '@sala/protocol';
import bloggerItem from '@sala-fixtures/platforms/blogger-item.html?raw';
import wordpressSingle from '@sala-fixtures/platforms/wordpress-single.html?raw';
import { API, FakeApi } from '../test/fake-api.js';
import { recordView, type ViewRequest } from './views.js';

let api: FakeApi;
let pageNumber = 0;

beforeEach(() => {
  api = new FakeApi().install();
  // A test page the browser runs in the background (other test files in parallel) may get no idle moment before the
  // view's 5 s fallback: the next task stands for it, still after the call returns, as a quiet page's would.
  vi.stubGlobal('requestIdleCallback', (callback: IdleRequestCallback) =>
    setTimeout(() => callback({ didTimeout: false, timeRemaining: () => 50 })),
  );
});

afterEach(() => {
  localStorage.clear();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** A request for a page no other test used: each page is counted once per page load. */
function view(fields: Partial<ViewRequest> = {}): ViewRequest {
  pageNumber += 1;
  return {
    api: API,
    site: 'blog',
    pageId: `https://blog.example/post-${pageNumber}`,
    labels: 'Food, Walks',
    sample: undefined,
    optedOut: () => false,
    ...fields,
  };
}

const beacons = () => api.requestsMatching('POST', '/api/v1/views');
const today = () => new Date().toISOString().slice(0, 10);

describe('recordView', () => {
  it('sends one keepalive text/plain beacon with the page and its metadata, whoever else asks in this page load', async () => {
    const request = view();
    const outcomes = await Promise.all([recordView(request), recordView({ ...request }), recordView({ ...request })]);

    expect(outcomes.sort()).toEqual(['sent', 'this-page-load', 'this-page-load']);
    expect(beacons()).toHaveLength(1);
    const [beacon] = beacons();
    expect(beacon!.url.href).toBe(`${API}/api/v1/views?site=blog`);
    // No JSON content type, so the browser sends it without a preflight; no cookie either.
    expect(beacon!.headers.get('Content-Type')).toBeNull();
    expect([beacon!.keepalive, beacon!.credentials]).toEqual([true, 'omit']);
    const body = beacon!.body as ViewBeacon;
    expect(body.page).toBe(request.pageId);
    expect(body.meta.labels).toEqual(['Food', 'Walks']);
    expect(body.meta.title).toBeTruthy();
    expect(body).not.toHaveProperty('weight');
  });

  it('counts a page once per reader per UTC day, and forgets other days', async () => {
    const first = view();
    const key = `${API}|blog|${first.pageId}`;
    localStorage.setItem('sala:views', JSON.stringify({ [key]: today(), 'old|page': '2020-01-01' }));
    expect(await recordView(first)).toBe('today');

    const second = view();
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    localStorage.setItem('sala:views', JSON.stringify({ [`${API}|blog|${second.pageId}`]: yesterday }));
    expect(await recordView(second)).toBe('sent');
    expect(JSON.parse(localStorage.getItem('sala:views')!)).toEqual({ [`${API}|blog|${second.pageId}`]: today() });
    expect(beacons()).toHaveLength(1);
  });

  it('still counts once per page load when storage is blocked', async () => {
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    const request = view();
    expect(await recordView(request)).toBe('sent');
    expect(await recordView({ ...request })).toBe('this-page-load');
    expect(beacons()).toHaveLength(1);
  });

  it('sends nothing when an element on the page has no-track', async () => {
    expect(await recordView(view({ optedOut: () => true }))).toBe('opted-out');
    expect(beacons()).toEqual([]);
  });

  it('sends nothing when the element with no-track is gone by the time the page is idle', async () => {
    let tracked = false;
    const outcome = recordView(view({ optedOut: () => !tracked }));
    tracked = true; // the element that said no-track was removed while the view waited
    expect(await outcome).toBe('opted-out');
    expect(beacons()).toEqual([]);
  });

  it('waits while the page is prerendered, and sends once the reader sees it', async () => {
    let prerendering = true;
    Object.defineProperty(document, 'prerendering', { configurable: true, get: () => prerendering });
    try {
      const outcome = recordView(view());
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(beacons()).toEqual([]);

      prerendering = false;
      document.dispatchEvent(new Event('prerenderingchange'));
      expect(await outcome).toBe('sent');
      expect(beacons()).toHaveLength(1);
    } finally {
      delete (document as { prerendering?: boolean }).prerendering;
    }
  });

  it('samples 1 in N readers when the site asks, each beacon standing for N views', async () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.05);
    expect(await recordView(view({ sample: 10 }))).toBe('sent');
    expect((beacons()[0]!.body as ViewBeacon).weight).toBe(10);

    random.mockReturnValue(0.5);
    const unlucky = view({ sample: 10 });
    expect(await recordView(unlucky)).toBe('not-sampled');
    // The day's draw is made: reloading the page does not draw again.
    expect(JSON.parse(localStorage.getItem('sala:views')!)).toHaveProperty(`${API}|blog|${unlucky.pageId}`);
    expect(beacons()).toHaveLength(1);
  });

  it('never lets a failed beacon reach the page', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('offline')));
    expect(await recordView(view())).toBe('failed');
  });

  it.each([
    [
      'Blogger',
      bloggerItem,
      'https://mekong-notes.blogspot.com/2026/11/water-festival.html',
      ['Festivals', 'Phnom Penh'],
    ],
    [
      'WordPress',
      wordpressSingle,
      'https://mekongnotes.example/2026/11/19/central-market/',
      ['Markets', 'Food', 'Phnom Penh'],
    ],
  ])(
    'sends a default %s post under its page id, linking to its address, with its date and labels',
    async (_, html, url, labels) => {
      const doc = new DOMParser().parseFromString(html, 'text/html');
      const pageId = normalizePageId(url)!;
      expect(await recordView(view({ pageId, labels: undefined }), doc)).toBe('sent');
      const body = beacons()[0]!.body as ViewBeacon;
      expect(body.page).toBe(pageId);
      expect(body.meta).toMatchObject({ url, labels });
      expect(body.meta.published).toMatch(/^2026-11-\d\dT/);
    },
  );
});
