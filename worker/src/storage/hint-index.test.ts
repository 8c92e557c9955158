import { describe, expect, it, vi } from 'vitest';
import { slotsOf, type StoredPageMeta } from '../domain/popularity.js';
import { hintHashes } from '../domain/page-hints.js';
import { hintIndexOfCounts, hintIndexOfText, plainIds, writeHintsText } from './hint-index.js';

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

  describe('the rows from the counts’ hint hashes', () => {
    const awkward = [
      'https://blog.example.com/2026/12/plain',
      'https://blog.example.com/2026/12/"quoted"',
      'https://blog.example.com/2026/12/back\\slash',
      'https://blog.example.com/2026/12/":{"url":"',
      'https://blog.example.com/2026/12/},"',
      'https://blog.example.com/2026/12/ünïcødé-日本語-🙂',
      'https://blog.example.com/2026/12/plain-ish',
      '',
      '12345',
      'plain',
    ];
    const meta = Object.fromEntries(
      awkward.map((pageId, at) => [pageId, hint(`https://blog.example.com/${at}?a="b"`, `Title ${at} ":{"url":"},"`)]),
    );
    const counted = (slotIds: string[]) => ({
      pageIds: slotIds,
      plain: plainIds(new TextEncoder().encode(JSON.stringify(slotIds))),
      slots: () => slotsOf(slotIds),
    });
    /** Every row's page, slot and hint, the hints asked for in an order of their own. */
    const rowsOf = (index: ReturnType<typeof hintIndexOfText>) => {
      const asked = index.pageIds.map((_, row) => row).reverse();
      const hints = index.hintsAt(asked).reverse();
      return index.pageIds.map((pageId, row) => [pageId, index.slotOf[row], hints[row]]);
    };

    it('lists the slots with a hint, and finds each row’s hint in the text as the text parsed whole says', () => {
      const text = writeHintsText(meta);
      expect(JSON.parse(text)).toEqual({ version: 2, pages: awkward.length, meta: JSON.parse(JSON.stringify(meta)) });
      // In the hints' order, reversed, and with slots that have no hint (hash 0: a page counted before its hint).
      for (const slotIds of [
        awkward,
        [...awkward].reverse(),
        ['not-hinted', ...awkward.slice(0, 4), 'nor', ...awkward.slice(4)],
      ]) {
        const index = hintIndexOfCounts(text, counted(slotIds), hintHashes(slotIds, meta))!;
        expect(index).not.toBeNull();
        expect(rowsOf(index)).toEqual(
          expected(JSON.parse(text).meta, slotIds).sort((a, b) => (a[1] as number) - (b[1] as number)),
        );
        expect(index.aligned).toBe(slotIds[0] === 'not-hinted' ? 0 : awkward.length);
      }
    });

    it('gives way to the text read page by page when the counts and the text disagree, or the text was written before', () => {
      const text = writeHintsText(meta);
      // A hint with no slot (the text holds one page more than the counts have hints for): not from the counts.
      const fewer = awkward.slice(1);
      expect(hintIndexOfCounts(text, counted(fewer), hintHashes(fewer, meta))).toBeNull();
      // Hints written without their number of pages, no counts' hashes, or no hints at all.
      expect(hintIndexOfCounts(stored(meta), counted(awkward), hintHashes(awkward, meta))).toBeNull();
      expect(hintIndexOfCounts(text, counted(awkward), null)).toBeNull();
      expect(hintIndexOfCounts(null, counted(awkward), hintHashes(awkward, meta))).toBeNull();
      // As many pages, but one of them another: its row's hint is not found, and the fallback reads the text's rows.
      const swapped = ['https://blog.example.com/2026/12/elsewhere', ...awkward.slice(1)];
      const index = hintIndexOfCounts(
        text,
        counted(swapped),
        hintHashes(swapped, { ...meta, [swapped[0]!]: hint('x', 'y') }),
      )!;
      expect(index.hintsAt([0, 1])).toEqual([null, { url: meta[awkward[1]!]!.url, title: meta[awkward[1]!]!.title }]);
      expect(index.fallback!().pageIds).toEqual(Object.keys(JSON.parse(text).meta));
      // The value written the new way is read page by page as before, too.
      expect(read(text, awkward).rows).toEqual(expected(JSON.parse(text).meta, awkward));
    });
  });
});
