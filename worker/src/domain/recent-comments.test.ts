import type { PublicComment } from '@sala/protocol';
import { describe, expect, it } from 'vitest';
import {
  buildRecentComments,
  holdsNewest,
  pagesWithNewestComments,
  recentComments,
  sameRecentComments,
} from './recent-comments.js';
import type { ThreadSnapshot } from './thread.js';

function comment(id: string, createdAt: string, body = 'Nice', deleted = false): PublicComment {
  return {
    id,
    parentId: null,
    author: { name: `A${id}`, avatar: '0' },
    body,
    createdAt,
    ...(deleted ? { deleted } : {}),
  };
}

function thread(pageId: string, comments: PublicComment[]): ThreadSnapshot {
  return { pageId, total: comments.length, comments, builtAt: '' };
}

describe('recent comments', () => {
  it('reads only the pages whose newest comment is among the newest, which hold every newest comment', () => {
    // Page a has many old comments, b and c one new each: the 2 newest comments are on b and c.
    const pages = [
      { id: 'a', last: '2030-01-01' },
      { id: 'b', last: '2030-01-05' },
      { id: 'c', last: '2030-01-04' },
      { id: 'd' },
    ];
    expect(pagesWithNewestComments(pages, 2).map((page) => page.id)).toEqual(['b', 'c']);
  });

  it('chooses the pages a sort of them all by newest comment would, pages with the same time in the order given', () => {
    // 500 pages as a ranking run lists them: few distinct times (many ties), some pages without one.
    const pages = Array.from({ length: 500 }, (_, index) => ({
      id: `p${index}`,
      ...(index % 7 === 3 ? {} : { last: `2030-01-${String(1 + ((index * 37) % 23)).padStart(2, '0')}` }),
    }));
    const sorted = pages
      .filter((page) => page.last !== undefined)
      .sort((a, b) => (a.last! < b.last! ? 1 : a.last! > b.last! ? -1 : 0));
    for (const depth of [0, 1, 20, 30, 500]) {
      expect(pagesWithNewestComments(pages, depth).map((page) => page.id)).toEqual(
        sorted.slice(0, depth).map((page) => page.id),
      );
    }
  });

  it('stops reading pages once those read hold the newest comments, counting only live comments newer than the next', () => {
    const read = [
      thread('b', [comment('1', '2030-01-05'), comment('2', '2030-01-03'), comment('3', '2030-01-04', '', true)]),
    ];
    // The next page's newest comment is 2030-01-03: only 2030-01-05 is newer (the deleted one does not count).
    expect(holdsNewest(read, '2030-01-03', 1)).toBe(true);
    expect(holdsNewest(read, '2030-01-03', 2)).toBe(false);
    // A comment as new as the next page's could lose the tie to one of that page's: it does not count.
    expect(holdsNewest(read, '2030-01-02', 2)).toBe(true);
    expect(holdsNewest(read, '2030-01-05', 1)).toBe(false);
  });

  it('merges the threads newest first, skips placeholders, and cuts plain-text excerpts', () => {
    const document = buildRecentComments(
      [
        thread('p1', [
          comment('1', '2030-01-01T00:00:00Z', '**Bold** start\n\n' + 'word '.repeat(100)),
          comment('3', '2030-01-03T00:00:00Z'),
        ]),
        thread('p2', [
          comment('2', '2030-01-02T00:00:00Z', '', true),
          comment('4', '2030-01-04T00:00:00Z', '*hi* <b>'),
        ]),
      ],
      (pageId) => (pageId === 'p1' ? { url: 'https://b.example/p1', title: 'One', labels: [] } : undefined),
      ['https://b.example'],
      Date.UTC(2030, 0, 5),
      3,
    );
    expect(document.comments.map((c) => [c.id, c.pageId, c.page?.title ?? null, c.excerpt.slice(0, 20)])).toEqual([
      ['4', 'p2', null, 'hi <b>'],
      ['3', 'p1', 'One', 'Nice'],
      ['1', 'p1', 'One', 'Bold start word word'],
    ]);
    expect(document.comments[2]!.excerpt.length).toBeLessThanOrEqual(160);
    expect(document.comments[2]!.excerpt.endsWith('…')).toBe(true);
    expect(sameRecentComments(document, { ...document, generatedAt: 'later' })).toBe(true);
    expect(recentComments(document, 1).comments.map((c) => c.id)).toEqual(['4']);
    expect(recentComments(null, 5)).toEqual({ comments: [] });
  });

  it('links a page without view metadata only on an exact origin of the site: anyone can post to any page id', () => {
    const onSite = { ...thread('https://b.example/walk', [comment('1', '2030-01-01T00:00:00Z')]) };
    const withAddress = { ...thread('https://b.example/river', [comment('2', '2030-01-02T00:00:00Z')]) };
    withAddress.pageUrl = 'https://b.example/river.html';
    const offSite = thread('https://spam.example/cheap-pills', [comment('3', '2030-01-03T00:00:00Z')]);
    const wildcardHost = thread('https://stranger.blogspot.com/p', [comment('4', '2030-01-04T00:00:00Z')]);
    const notAnAddress = thread('post-42', [comment('5', '2030-01-05T00:00:00Z')]);
    const document = buildRecentComments(
      [onSite, withAddress, offSite, wildcardHost, notAnAddress],
      () => undefined,
      ['https://b.example', 'https://*.blogspot.com'],
      Date.UTC(2030, 0, 6),
    );
    expect(document.comments.map((c) => [c.pageId, c.pageUrl ?? null])).toEqual([
      ['post-42', null],
      ['https://stranger.blogspot.com/p', null],
      ['https://spam.example/cheap-pills', null],
      ['https://b.example/river', 'https://b.example/river.html'],
      ['https://b.example/walk', 'https://b.example/walk'],
    ]);
  });
});
