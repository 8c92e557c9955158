import { describe, expect, it } from 'vitest';
import takeout from '@sala-fixtures/import/blogger-takeout.atom?raw';
import { parseImportFile } from './parse.js';
import { DEFAULT_IMPORT_OPTIONS, ImportFileError, type ImportOptions } from './plan.js';

const BLOG = 'https://mekong-notes.blogspot.com';
const withOrigin: ImportOptions = { ...DEFAULT_IMPORT_OPTIONS, siteOrigin: BLOG };

function skipped(result: ReturnType<typeof parseImportFile>): Record<string, number> {
  return Object.fromEntries(result.skipped.map((skip) => [skip.reason, skip.count]));
}

describe('a Google Takeout Blogger feed.atom', () => {
  it('asks for the blog’s address when the file has only the posts’ paths', () => {
    expect(() => parseImportFile(takeout, DEFAULT_IMPORT_OPTIONS)).toThrow(ImportFileError);
    try {
      parseImportFile(takeout, DEFAULT_IMPORT_OPTIONS);
    } catch (error) {
      expect((error as ImportFileError).code).toBe('needs-origin');
      expect((error as ImportFileError).message).toMatch(/type the address/);
    }
  });

  it('says so when the address typed is not one', () => {
    expect(() => parseImportFile(takeout, { ...DEFAULT_IMPORT_OPTIONS, siteOrigin: 'my blog' })).toThrow(
      '“my blog” is not the address of a blog',
    );
  });

  it('puts each post’s comments at its path under the address the owner typed, parents first', () => {
    const result = parseImportFile(takeout, withOrigin);
    expect(result.source).toBe('blogger-takeout');
    expect(result.threads.map((thread) => [thread.pageId, thread.pageUrl, thread.title])).toEqual([
      [`${BLOG}/2026/11/water-festival`, `${BLOG}/2026/11/water-festival.html`, 'Water festival'],
      [`${BLOG}/p/about`, `${BLOG}/p/about.html`, 'About'],
    ]);
    const [festival, about] = result.threads;
    expect(
      festival!.comments.map((comment) => [comment.sourceId, comment.parentSourceId ?? null, comment.status]),
    ).toEqual([
      ['8000000000000000001', null, 'approved'],
      ['8000000000000000002', '8000000000000000001', 'approved'],
      // Its parent was deleted: it stays, at the top level.
      ['8000000000000000004', null, 'approved'],
      ['8000000000000000011', null, 'pending'],
    ]);
    expect(festival!.comments[0]).toMatchObject({
      authorName: 'Dara',
      body: 'Lovely **boats**.\nThanks!',
      createdAt: '2026-11-02T05:00:00.000Z',
    });
    expect(festival!.comments[1]!.owner).toBe(true);
    expect(festival!.comments[0]!.owner).toBeUndefined();
    expect(about!.comments[0]).toMatchObject({ authorName: 'Chenda', authorEmail: 'chenda@example.com' });
    expect(result.counts).toEqual({ approved: 4, pending: 1, spam: 0, rejected: 0 });
  });

  it('skips deleted and trashed comments, comments on drafts, trashed or missing posts, and spam unless kept', () => {
    const result = parseImportFile(takeout, withOrigin);
    expect(skipped(result)).toEqual({ deleted: 1, trash: 2, draft: 1, 'unknown-thread': 1, spam: 1 });
    // The preview names each as the owner knows it, not by its number in the file ("8000000000000000003").
    expect(result.skipped.find((skip) => skip.reason === 'deleted')!.examples).toEqual(['Piseth: Deleted words.']);
    const kept = parseImportFile(takeout, { ...withOrigin, keepSpam: true });
    expect(skipped(kept).spam).toBeUndefined();
    expect(kept.counts.spam).toBe(1);
    const spam = kept.threads[0]!.comments.find((comment) => comment.status === 'spam')!;
    expect(spam.body).toBe('Buy [now](https://spam.example/)');
  });

  it('takes the blog’s address from a link in the file, rewritten like any other', () => {
    const linked = takeout.replace(
      '<title>Mekong Notes</title>',
      "<title>Mekong Notes</title><link rel='alternate' type='text/html' href='http://mekong-notes.blogspot.fr/'/>",
    );
    const result = parseImportFile(linked, DEFAULT_IMPORT_OPTIONS);
    expect(result.threads[0]!.pageId).toBe(`${BLOG}/2026/11/water-festival`);
  });
});
