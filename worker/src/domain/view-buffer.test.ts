import { describe, expect, it } from 'vitest';
import { hourStart } from './utc-time.js';
import { type PageView, parseViewBeacon } from './view-beacon.js';
import { ViewBuffer, batchIdPrefix } from './view-buffer.js';

const T0 = Date.parse('2025-03-05T10:00:00Z');
const MINUTE = 60_000;

function view(pageId: string, weight = 1, title = `Post ${pageId}`): PageView {
  return { pageId, weight, meta: { url: `https://blog.example.com/${pageId}`, title, labels: [] } };
}

function sequentialIds(): () => string {
  let n = 0;
  return () => `r${++n}`;
}

describe('ViewBuffer', () => {
  it('sums views per page and hands them over as one batch, then starts empty', () => {
    const buffer = new ViewBuffer({ randomId: sequentialIds() });
    buffer.add(view('a'), 'reader-1', T0);
    buffer.add(view('a'), 'reader-2', T0 + 1000);
    buffer.add(view('b', 10), 'reader-3', T0 + 2000);

    const batch = buffer.drain(T0 + 3000);
    expect(batch).toEqual({
      id: '20250305T100003000Z-r1',
      flushedAt: '2025-03-05T10:00:03.000Z',
      views: { a: 2, b: 10 },
      meta: { a: view('a').meta, b: view('b').meta },
    });
    expect(buffer.bufferedViews).toBe(0);
    expect(buffer.drain(T0 + 4000)).toBeNull();
  });

  it('keeps a page’s address and title from its beacons, not the image, snippet or labels', () => {
    const buffer = new ViewBuffer();
    const full = {
      url: 'https://blog.example.com/a',
      title: 'A',
      labels: ['x'],
      image: 'https://blog.example.com/a.jpg',
      description: 'Long',
    };
    buffer.add({ pageId: 'a', weight: 1, meta: full }, 'r', T0);
    expect(buffer.drain(T0 + 1)?.meta).toEqual({ a: { url: full.url, title: 'A', labels: [] } });
  });

  it('starts batch ids with their hour, so one hour of batches lists under one key prefix', () => {
    const buffer = new ViewBuffer();
    buffer.add(view('a'), 'r', T0);
    const now = T0 + 59 * MINUTE;
    expect(buffer.drain(now)?.id.startsWith(batchIdPrefix(hourStart(now)))).toBe(true);
    expect(batchIdPrefix('2025-03-05T10:00:00.000Z')).toBe('20250305T10');
  });

  it('gives every batch a unique id, even two drained in the same millisecond by different isolates', () => {
    const one = new ViewBuffer();
    const two = new ViewBuffer();
    one.add(view('a'), 'r', T0);
    two.add(view('a'), 'r', T0);
    expect(one.drain(T0)?.id).not.toBe(two.drain(T0)?.id);
  });

  it('flushes once the buffered weight reaches maxEvents', () => {
    const buffer = new ViewBuffer({ maxEvents: 3 });
    buffer.add(view('a'), 'r1', T0);
    buffer.add(view('b'), 'r2', T0);
    expect(buffer.shouldFlush(T0)).toBe(false);
    buffer.add(view('c'), 'r3', T0);
    expect(buffer.shouldFlush(T0)).toBe(true);
  });

  it('counts a sampled view by its weight toward maxEvents', () => {
    const buffer = new ViewBuffer({ maxEvents: 500 });
    buffer.add(view('a', 500), 'r1', T0);
    expect(buffer.shouldFlush(T0)).toBe(true);
  });

  it('flushes once the oldest buffered view reaches maxAgeMs, however few views there are', () => {
    const buffer = new ViewBuffer({ maxAgeMs: 10 * MINUTE });
    expect(buffer.shouldFlush(T0 + 60 * MINUTE)).toBe(false);
    buffer.add(view('a'), 'r1', T0);
    buffer.add(view('b'), 'r2', T0 + 9 * MINUTE);
    expect(buffer.shouldFlush(T0 + 10 * MINUTE - 1)).toBe(false);
    expect(buffer.shouldFlush(T0 + 10 * MINUTE)).toBe(true);
  });

  it('restarts the age clock after a drain', () => {
    const buffer = new ViewBuffer({ maxAgeMs: 10 * MINUTE });
    buffer.add(view('a'), 'r1', T0);
    buffer.drain(T0 + 10 * MINUTE);
    buffer.add(view('a'), 'r2', T0 + 11 * MINUTE);
    expect(buffer.shouldFlush(T0 + 20 * MINUTE)).toBe(false);
    expect(buffer.shouldFlush(T0 + 21 * MINUTE)).toBe(true);
  });

  it('flushes once maxPages distinct pages are buffered, bounding the batch size', () => {
    const buffer = new ViewBuffer({ maxPages: 2 });
    buffer.add(view('a'), 'r', T0);
    buffer.add(view('a'), 'r2', T0);
    expect(buffer.shouldFlush(T0)).toBe(false);
    buffer.add(view('b'), 'r', T0);
    expect(buffer.shouldFlush(T0)).toBe(true);
  });

  it('counts a reader once per page per UTC day, and again the next day', () => {
    const buffer = new ViewBuffer();
    expect(buffer.add(view('a'), 'reader-1', T0)).toBe(true);
    expect(buffer.add(view('a'), 'reader-1', T0 + 5 * MINUTE)).toBe(false);
    expect(buffer.add(view('b'), 'reader-1', T0 + 5 * MINUTE)).toBe(true);
    expect(buffer.add(view('a'), 'reader-2', T0 + 5 * MINUTE)).toBe(true);
    const nextDay = Date.parse('2025-03-06T00:00:01Z');
    expect(buffer.add(view('a'), 'reader-1', nextDay)).toBe(true);
    expect(buffer.drain(nextDay)?.views).toEqual({ a: 3, b: 1 });
  });

  it('remembers a bounded number of readers, forgetting the oldest first', () => {
    const buffer = new ViewBuffer({ maxRememberedReads: 2 });
    buffer.add(view('a'), 'r1', T0);
    buffer.add(view('a'), 'r2', T0);
    buffer.add(view('a'), 'r3', T0);
    expect(buffer.add(view('a'), 'r3', T0)).toBe(false);
    expect(buffer.add(view('a'), 'r1', T0)).toBe(true);
  });

  it('keeps the latest metadata of a page (a retitled post shows its new title)', () => {
    const buffer = new ViewBuffer();
    buffer.add(view('a', 1, 'Old title'), 'r1', T0);
    buffer.add(view('a', 1, 'New title'), 'r2', T0 + 1);
    expect(buffer.drain(T0 + 2)?.meta['a']?.title).toBe('New title');
  });

  it('retries a failed batch unchanged, after a delay, so a write that did land is not counted twice', () => {
    const buffer = new ViewBuffer({ retryDelayMs: 30_000, randomId: sequentialIds() });
    buffer.add(view('a', 2), 'r1', T0);
    const failed = buffer.drain(T0);
    if (!failed) throw new Error('expected a batch');
    buffer.restore(failed);
    buffer.add(view('b'), 'r2', T0 + 1000);

    expect(buffer.shouldFlush(T0 + 29_999)).toBe(false);
    expect(buffer.shouldFlush(T0 + 30_000)).toBe(true);
    expect(buffer.drain(T0 + 30_000)).toEqual(failed);
    // Views that arrived meanwhile go in a batch of their own.
    expect(buffer.drain(T0 + 31_000)?.views).toEqual({ b: 1 });
  });

  it('folds the oldest failed batches back into the buffer when too many pile up, losing no views', () => {
    const buffer = new ViewBuffer({ maxRetries: 1, retryDelayMs: 0, randomId: sequentialIds() });
    buffer.add(view('a', 2), 'r1', T0);
    const first = buffer.drain(T0)!;
    buffer.add(view('b', 3), 'r2', T0 + 1000);
    const second = buffer.drain(T0 + 1000)!;
    buffer.restore(first);
    buffer.restore(second);

    expect(buffer.bufferedViews).toBe(2);
    expect(buffer.drain(T0 + 2000)).toEqual(second);
    const refolded = buffer.drain(T0 + 2000);
    expect(refolded?.views).toEqual({ a: 2 });
    expect(refolded?.id).not.toBe(first.id);
  });

  it('ignores a view with no weight', () => {
    const buffer = new ViewBuffer();
    expect(buffer.add(view('a', 0), 'r1', T0)).toBe(false);
    expect(buffer.drain(T0)).toBeNull();
  });
});

describe('ViewBuffer counting views in flight ahead (inFlightShare)', () => {
  /** `count` readers' views of each page, added to `buffer` at `now`. */
  function addViews(buffer: ViewBuffer, now: number, views: Record<string, number>): void {
    for (const [pageId, count] of Object.entries(views)) {
      for (let i = 0; i < count; i++) buffer.add(view(pageId), `${pageId}-${now}-${i}`, now);
    }
  }

  it('counts half of each page’s views again ahead, and takes them out of the next views of the page', () => {
    const buffer = new ViewBuffer({ inFlightShare: 0.5 });
    addViews(buffer, T0, { a: 10, b: 3, c: 1 });
    expect(buffer.drain(T0)?.views).toEqual({ a: 15, b: 4, c: 1 });
    addViews(buffer, T0 + 20 * MINUTE, { a: 10, b: 1 });
    // a: 10 seen pay off the 5 ahead, 5 more go ahead; b: 1 seen pays off 1 of 1 ahead, none go ahead.
    expect(buffer.drain(T0 + 20 * MINUTE)?.views).toEqual({ a: 10 });
  });

  it('over a long life counts every view once plus half of the last cycle, what a recycle would lose on average', () => {
    const buffer = new ViewBuffer({ inFlightShare: 0.5 });
    let written = 0;
    for (let cycle = 0; cycle < 50; cycle++) {
      const now = T0 + cycle * 20 * MINUTE;
      addViews(buffer, now, { a: 8 });
      written += buffer.drain(now)?.views['a'] ?? 0;
    }
    expect(written).toBe(50 * 8 + 4);
  });

  it('writes nothing when every view paid off views counted ahead', () => {
    const buffer = new ViewBuffer({ inFlightShare: 0.5 });
    addViews(buffer, T0, { a: 4 });
    buffer.drain(T0);
    addViews(buffer, T0 + MINUTE, { a: 1 });
    expect(buffer.drain(T0 + MINUTE)).toBeNull();
    expect(buffer.bufferedViews).toBe(0);
  });

  it('undoes a batch KV refused exactly: its views come back and nothing stays counted ahead for it', () => {
    const buffer = new ViewBuffer({ inFlightShare: 0.5 });
    addViews(buffer, T0, { a: 4 });
    const refused = buffer.drain(T0)!;
    expect(refused.views).toEqual({ a: 6 });
    buffer.takeBack(refused);
    expect(buffer.bufferedViews).toBe(4);
    expect(buffer.drain(T0 + MINUTE)?.views).toEqual({ a: 6 });
  });

  it('counts nothing ahead when settling (local development writes on every request)', () => {
    const buffer = new ViewBuffer({ inFlightShare: 0.5 });
    addViews(buffer, T0, { a: 4 });
    expect(buffer.drain(T0, true)?.views).toEqual({ a: 4 });
  });
});

const options = { isAllowedOrigin: (origin: string) => origin === 'https://blog.example.com', sampleRate: 1 };
const meta = { url: 'https://blog.example.com/2025/03/noodles.html', title: 'Noodles', labels: [] };

describe('parseViewBeacon', () => {
  it('counts the page under its normalised id, so mobile and desktop views add up', () => {
    const result = parseViewBeacon(
      { page: 'https://Blog.example.com/2025/03/noodles.html?m=1#comments', meta },
      options,
    );
    expect(result).toEqual({
      ok: true,
      view: { pageId: 'https://blog.example.com/2025/03/noodles', meta, weight: 1 },
    });
  });

  it('keeps the weight of a sampled view up to the site’s sample rate', () => {
    const sampled = parseViewBeacon({ page: 'post-1', meta, weight: 10 }, { ...options, sampleRate: 10 });
    expect(sampled.ok && sampled.view.weight).toBe(10);
    const forged = parseViewBeacon({ page: 'post-1', meta, weight: 1000 }, { ...options, sampleRate: 10 });
    expect(forged.ok && forged.view.weight).toBe(10);
    const unsampledSite = parseViewBeacon({ page: 'post-1', meta, weight: 30 }, options);
    expect(unsampledSite.ok && unsampledSite.view.weight).toBe(1);
  });

  it('names the field at fault', () => {
    const field = (body: unknown) => {
      const result = parseViewBeacon(body, options);
      return result.ok ? null : result.field;
    };
    expect(field('hello')).toBe('body');
    expect(field({ page: '', meta })).toBe('page');
    expect(field({ page: 'post-1', meta, weight: 0.5 })).toBe('weight');
    expect(field({ page: 'post-1', meta, weight: '3' })).toBe('weight');
    expect(field({ page: 'post-1', meta: { ...meta, url: 'https://elsewhere.example/x' } })).toBe('meta.url');
  });
});
