import { describe, expect, it } from 'vitest';
import disqus from '@sala-fixtures/import/disqus.xml?raw';
import { parseMarkdown } from '@sala/protocol';
import { parseImportFile } from './parse.js';
import { DEFAULT_IMPORT_OPTIONS } from './plan.js';

const BLOG = 'https://mekong-notes.blogspot.com';

function skipped(result: ReturnType<typeof parseImportFile>): Record<string, number> {
  return Object.fromEntries(result.skipped.map((skip) => [skip.reason, skip.count]));
}

function tree(result: ReturnType<typeof parseImportFile>, index: number): [string, string | null][] {
  return result.threads[index]!.comments.map((comment) => [comment.sourceId, comment.parentSourceId ?? null]);
}

describe('a Disqus export', () => {
  const result = parseImportFile(disqus, DEFAULT_IMPORT_OPTIONS);

  it('becomes one thread per page, Disqus’s duplicate threads for one page joined, closed ones kept closed', () => {
    expect(result.source).toBe('disqus');
    expect(result.threads.map((thread) => [thread.pageId, thread.title, thread.closed ?? false])).toEqual([
      [`${BLOG}/2026/11/water-festival`, 'Water festival', false],
      [`${BLOG}/2026/11/central-market`, 'Central market', true],
      // No link: the page was identified by its address.
      [`${BLOG}/p/about`, 'About', false],
    ]);
    expect(result.counts).toEqual({ approved: 8, pending: 0, spam: 0, rejected: 0 });
  });

  it('keeps replies under their parents; a reply to a deleted or spam comment goes to the nearest kept one', () => {
    expect(tree(result, 0)).toEqual([
      ['2001', null],
      ['2002', '2001'],
      ['2004', null], // its parent was deleted, and had none
      ['2006', '2001'], // its parent was spam, replying to 2001
      ['2007', null], // from the ?m=1 thread
      ['2015', null],
    ]);
    const kept = parseImportFile(disqus, { ...DEFAULT_IMPORT_OPTIONS, keepSpam: true });
    expect(tree(kept, 0)).toContainEqual(['2005', '2001']);
    expect(tree(kept, 0)).toContainEqual(['2006', '2005']);
    expect(kept.counts.spam).toBe(1);
  });

  it('maps the message HTML, the author and the date, keeps emails for the Worker to hash and drops IPs', () => {
    const first = result.threads[0]!.comments[0]!;
    expect(first).toEqual({
      sourceId: '2001',
      authorName: 'Dara',
      authorEmail: 'dara@example.com',
      createdAt: '2026-11-02T05:00:00.000Z',
      body: 'First!\n\nPhotos: [my album](https://dara.example/boats)',
      status: 'approved',
    });
    expect(JSON.stringify(result)).not.toContain('203.0.113.7');
  });

  it('skips deleted, spam, id-less, undated and orphaned posts, with counts and examples', () => {
    expect(skipped(result)).toEqual({ deleted: 2, spam: 1, invalid: 2, 'unknown-thread': 2 });
    expect(result.skipped.find((skip) => skip.reason === 'unknown-thread')!.examples).toEqual([
      'Dara: On a thread with no address.',
      'Dara: On a thread not in the file.',
    ]);
    expect(result.skipped.find((skip) => skip.reason === 'invalid')!.examples).toEqual([
      'Nobody: A post without an id.',
      'Sometime: Undated.',
    ]);
  });

  it('leaves a script, an onerror image and a javascript: link as harmless text', () => {
    const xss = result.threads[0]!.comments.find((comment) => comment.sourceId === '2015')!;
    expect(xss.body).toBe('click <b>');
    expect(parseMarkdown(xss.body)).toEqual([{ type: 'paragraph', children: [{ type: 'text', text: 'click <b>' }] }]);
  });
});
