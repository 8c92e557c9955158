import { describe, expect, it } from 'vitest';
import { parseImportFile } from './parse.js';
import { DEFAULT_IMPORT_OPTIONS, type ImportFileError } from './plan.js';

const PAGE = 'http://old-blog.example/2026/11/water-festival';

/** A Sala export as the admin page downloads it (settings cut to what the parser reads: it passes them through). */
const exported = {
  version: 1,
  exportedAt: '2026-12-01T00:00:00.000Z',
  sites: [
    {
      site: 'mekong',
      name: 'Mekong Notes',
      settings: { moderation: 'none' },
      bans: [{ kind: 'email', value: 'spam@example.com', createdAt: '2026-11-01T00:00:00.000Z', expiresAt: null }],
      ipBansLeftOut: 1,
      threads: [
        {
          pageId: PAGE,
          pageUrl: `${PAGE}.html`,
          comments: [
            {
              id: '01JD000000000000000000000A',
              parentId: null,
              author: { name: 'Dara', email: 'dara@example.com' },
              body: 'First **bold**',
              createdAt: '2026-11-02T05:00:00.000Z',
              status: 'approved',
              pinned: true,
            },
            {
              id: '01JD000000000000000000000B',
              parentId: '01JD000000000000000000000A',
              author: { name: '' },
              body: '',
              createdAt: '2026-11-02T06:00:00.000Z',
              status: 'approved',
              deletedAt: '2026-11-02T07:00:00.000Z',
            },
            {
              id: '01JD000000000000000000000C',
              parentId: '01JD000000000000000000000B',
              author: { name: 'Sokha', owner: true },
              body: 'Reply',
              createdAt: '2026-11-02T08:00:00.000Z',
              status: 'pending',
            },
          ],
        },
        { pageId: 'post-42', closed: true, closedAt: '2026-11-03T00:00:00.000Z', comments: [] },
        { pageId: 'post-43', comments: [] },
      ],
    },
  ],
};

describe('a Sala export', () => {
  it('keeps every id, page id and state as exported, whatever the rewrites, and counts deleted comments', () => {
    const plan = parseImportFile(JSON.stringify(exported, null, 2), DEFAULT_IMPORT_OPTIONS);
    expect(plan.source).toBe('sala');
    expect(plan.threads.map((thread) => [thread.pageId, thread.closed ?? false])).toEqual([
      [PAGE, false],
      ['post-42', true],
    ]);
    expect(
      plan.threads[0]!.comments.map((comment) => [comment.sourceId, comment.parentSourceId, comment.status]),
    ).toEqual([
      ['01JD000000000000000000000A', null, 'approved'],
      // Its parent was deleted: it hangs from the nearest kept ancestor.
      ['01JD000000000000000000000C', '01JD000000000000000000000A', 'pending'],
    ]);
    expect(plan.threads[0]!.comments[0]).toMatchObject({
      authorEmail: 'dara@example.com',
      pinned: true,
      body: 'First **bold**',
    });
    expect(plan.threads[0]!.comments[1]!.owner).toBe(true);
    expect(plan.counts).toEqual({ approved: 1, pending: 1, spam: 0, rejected: 0 });
    expect(plan.skipped).toEqual([{ reason: 'deleted', count: 1, examples: ['01JD000000000000000000000B'] }]);
  });

  it('refuses broken JSON, another export version and JSON that is not an export', () => {
    const code = (text: string) => {
      try {
        parseImportFile(text, DEFAULT_IMPORT_OPTIONS);
      } catch (error) {
        return [(error as ImportFileError).code, (error as ImportFileError).message];
      }
      return null;
    };
    expect(code('{"version": 1, "sites": [')![0]).toBe('not-json');
    expect(code(JSON.stringify({ ...exported, version: 2 }))).toEqual([
      'unknown-format',
      'This Sala export is version 2; this Sala reads version 1. Export again from an up-to-date Sala.',
    ]);
    expect(code('{"comments": []}')![0]).toBe('unknown-format');
  });
});
