import { describe, expect, it } from 'vitest';
import wxr from '@sala-fixtures/import/wordpress.xml?raw';
import { parseMarkdown } from '@sala/protocol';
import { parseImportFile } from './parse.js';
import { closingThreads, DEFAULT_IMPORT_OPTIONS, leavingOpen } from './plan.js';

const SITE = 'https://mekongnotes.example';

function skipped(result: ReturnType<typeof parseImportFile>): Record<string, number> {
  return Object.fromEntries(result.skipped.map((skip) => [skip.reason, skip.count]));
}

describe('a WordPress export (WXR)', () => {
  const result = parseImportFile(wxr, DEFAULT_IMPORT_OPTIONS);

  it('imports the comments of published posts and pages, each at its permalink, closed ones closed', () => {
    expect(result.source).toBe('wordpress');
    expect(
      result.threads.map((thread) => [thread.pageId, thread.pageUrl, thread.title, thread.closed ?? false]),
    ).toEqual([
      [`${SITE}/2026/11/water-festival`, `${SITE}/2026/11/water-festival/`, 'Water festival', false],
      [`${SITE}/about`, `${SITE}/about/`, 'About', true],
    ]);
    expect(result.counts).toEqual({ approved: 6, pending: 1, spam: 0, rejected: 0 });
  });

  it('names the closed page for the preview, and leaving it open imports its comments without closing it', () => {
    expect(closingThreads(result).map((thread) => thread.pageId)).toEqual([`${SITE}/about`]);
    const open = leavingOpen(result);
    expect(closingThreads(open)).toEqual([]);
    expect(open.threads.map((thread) => [thread.pageId, thread.comments.length, 'closedAt' in thread])).toEqual(
      result.threads.map((thread) => [thread.pageId, thread.comments.length, false]),
    );
  });

  it('maps approval, threading and the post author, and reads comments as typed, line breaks included', () => {
    const festival = result.threads[0]!.comments;
    expect(
      festival.map((comment) => [
        comment.sourceId,
        comment.parentSourceId ?? null,
        comment.status,
        comment.owner ?? false,
      ]),
    ).toEqual([
      ['1', null, 'approved', false],
      ['2', '1', 'approved', true],
      ['3', '2', 'pending', false],
      ['6', null, 'approved', false], // its parent is in the trash
      ['9', null, 'approved', false],
      ['10', null, 'approved', false], // another user of the site, not the post's author
    ]);
    expect(festival[0]).toEqual({
      sourceId: '1',
      authorName: 'Dara',
      authorEmail: 'dara@example.com',
      authorUrl: 'https://dara.example/',
      createdAt: '2026-11-02T05:00:00.000Z',
      body: 'First line\nsecond line\n\nNew paragraph with [my photos](https://dara.example/boats) and **bold** \\*stars\\*.',
      status: 'approved',
    });
    expect(parseMarkdown(festival[0]!.body).map((block) => block.type)).toEqual(['paragraph', 'paragraph']);
    // No UTC date: the local one, read as UTC.
    expect(festival[4]!.createdAt).toBe('2026-11-03T10:00:00.000Z');
    expect(JSON.stringify(result)).not.toContain('203.0.113.9');
  });

  it('skips spam, trash, pingbacks, drafts, other content types and undated comments, counting each', () => {
    expect(skipped(result)).toEqual({ spam: 1, trash: 2, pingback: 2, draft: 1, 'unknown-thread': 1, invalid: 1 });
    expect(result.skipped.find((skip) => skip.reason === 'pingback')!.examples).toEqual([
      'https://other.example/festival-links/',
      'https://travel.example/weekly/',
    ]);
  });

  it('keeps pingbacks and trackbacks as a link to the linking page when asked, and spam as spam', () => {
    const kept = parseImportFile(wxr, { ...DEFAULT_IMPORT_OPTIONS, pingbacks: 'links', keepSpam: true });
    const pingback = kept.threads[0]!.comments.find((comment) => comment.sourceId === '7')!;
    expect(pingback.body).toBe(
      '[Other Blog » Festival links](https://other.example/festival-links/)\n\n\\[…\\] the best boat photos are at Mekong Notes \\[…\\]',
    );
    expect(kept.counts).toEqual({ approved: 8, pending: 1, spam: 1, rejected: 0 });
    expect(skipped(kept).pingback).toBeUndefined();
  });
});
