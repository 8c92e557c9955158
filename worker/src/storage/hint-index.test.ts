import { describe, expect, it, vi } from 'vitest';
import { slotsOf, type StoredPageMeta } from '../domain/popularity.js';
import { hintIndexOfText, plainIds } from './hint-index.js';

const hint = (url: string, title: string): StoredPageMeta => ({
  url,
  title,
  labels: [],
  updatedAt: '2026-12-07T20:00:00.000Z',
});

/** The hints as `PopularityStore.writeMeta` stores them. */
const stored = (meta: Record<string, StoredPageMeta>) => JSON.stringify({ version: 2, meta });

/** What the index says of every page, and of every page's hint: as the whole value parsed would. */
function read(text: string, slotIds: string[]) {
  const counted = {
    pageIds: slotIds,
    plain: plainIds(new TextEncoder().encode(JSON.stringify(slotIds))),
    slots: () => slotsOf(slotIds),
  };
  const index = hintIndexOfText(text, counted);
  return {
    rows: index.pageIds.map((pageId, row) => [pageId, index.slotOf[row], index.hintAt(row)]),
    aligned: index.aligned,
  };
}

function expected(meta: Record<string, StoredPageMeta>, slotIds: string[]) {
  return Object.entries(meta).map(([pageId, { url, title }]) => [pageId, slotIds.indexOf(pageId), { url, title }]);
}

describe('the Posts tab’s hints read in part', () => {
  it('finds every page, its slot and its hint as the whole value parsed, whatever the page ids and titles hold', () => {
    const awkward = [
      'https://blog.example.com/2026/12/plain',
      'https://blog.example.com/2026/12/"quoted"',
      'https://blog.example.com/2026/12/back\\slash',
      'https://blog.example.com/2026/12/ends-with-backslash\\',
      'https://blog.example.com/2026/12/":{"url":"',
      'https://blog.example.com/2026/12/},"',
      'https://blog.example.com/2026/12/ünïcødé-日本語-🙂',
      'page-without-address',
      '',
      '12345',
    ];
    const titles = ['A "quoted" title', 'Ends in },"', 'Holds ":{"url":"x","title":"y"}', 'Line\u2028separator', '\\'];
    const meta = Object.fromEntries(
      awkward.map((pageId, at) => [pageId, hint(`https://blog.example.com/${at}?a="b"`, titles[at % titles.length]!)]),
    );
    const text = stored(meta);
    // In the hints' order, in another order, and some pages without a slot (a hint, no views yet).
    for (const slotIds of [
      Object.keys(meta),
      [...Object.keys(meta)].reverse(),
      Object.keys(meta).filter((_, at) => at % 3 !== 1),
      ['https://blog.example.com/2026/12/not-hinted', ...Object.keys(meta).slice(4)],
    ]) {
      expect(read(text, slotIds).rows).toEqual(expected(JSON.parse(text).meta, slotIds));
    }
  });

  it('copies the pages that are the slots in order at once, and finds a page out of that order by its id', () => {
    const pageIds = Array.from({ length: 8 }, (_, at) => `https://blog.example.com/post-${at}`);
    const meta = Object.fromEntries(pageIds.map((pageId) => [pageId, hint(pageId, pageId)]));
    expect(read(stored(meta), pageIds).aligned).toBe(8);
    // A page given a slot out of order: the ones before it still line up.
    const moved = [...pageIds.slice(0, 3), pageIds[6]!, ...pageIds.slice(3, 6), pageIds[7]!];
    const index = read(stored(meta), moved);
    expect(index.aligned).toBe(3);
    expect(index.rows).toEqual(expected(meta, moved));
  });

  it('reads no page from no hints or none yet, and parses a value laid out otherwise whole, as before', () => {
    expect(read(stored({}), ['a']).rows).toEqual([]);
    const counted = { pageIds: ['a'], plain: true, slots: () => slotsOf(['a']) };
    expect(hintIndexOfText(null, counted).pageIds).toEqual([]);
    const parse = vi.spyOn(JSON, 'parse');
    // Fields in another order, and an object inside a hint: each page still found, with its hint.
    const reordered = JSON.stringify({
      version: 2,
      meta: { a: { title: 'A', url: 'u' }, b: { url: 'v', title: 'B' } },
    });
    const nested = JSON.stringify({
      version: 2,
      meta: { a: { url: 'u', title: 'A', extra: { x: 1 }, more: 2 }, b: { url: 'v', title: 'B' } },
    });
    for (const text of [reordered, nested]) {
      parse.mockClear();
      expect(read(text, ['b', 'a']).rows).toEqual([
        ['a', 1, { url: 'u', title: 'A' }],
        ['b', 0, { url: 'v', title: 'B' }],
      ]);
      expect(parse.mock.calls.some(([parsed]) => parsed === text)).toBe(true);
    }
    parse.mockRestore();
  });

  it('parses no hint but those asked for', () => {
    const pageIds = Array.from({ length: 50 }, (_, at) => `https://blog.example.com/post-${at}`);
    const text = stored(Object.fromEntries(pageIds.map((pageId) => [pageId, hint(pageId, `Post ${pageId}`)])));
    const parse = vi.spyOn(JSON, 'parse');
    const index = hintIndexOfText(text, { pageIds, plain: true, slots: () => slotsOf(pageIds) });
    expect(index.hintAt(7).title).toBe(`Post ${pageIds[7]}`);
    const parsed = parse.mock.calls.map(([value]) => value as string);
    parse.mockRestore();
    expect(parsed.map((value) => (JSON.parse(value) as StoredPageMeta).title)).toEqual([`Post ${pageIds[7]}`]);
  });
});
