import { describe, expect, it } from 'vitest';
import {
  exportToImportThreads,
  mergeExportPages,
  type ExportComment,
  type ExportDocument,
  type ExportPage,
} from './export.js';

const PAGE = 'https://blog.example/2026/11/morning-walk';

function comment(id: string, fields: Partial<ExportComment> = {}): ExportComment {
  return {
    id,
    parentId: null,
    author: { name: `Reader ${id}`, email: `${id}@example.com` },
    body: `Comment ${id}`,
    createdAt: `2026-11-0${id.length}T10:00:00.000Z`,
    status: 'approved',
    ...fields,
  };
}

function documentOf(comments: ExportComment[]): ExportDocument {
  return {
    version: 1,
    exportedAt: '2026-12-01T00:00:00.000Z',
    sites: [
      {
        site: 'demo',
        name: 'Mekong Notes',
        settings: {
          extraOrigins: [],
          moderation: 'publish',
          rejectWords: [],
          holdWords: [],
          maxLinks: 3,
          ownerName: 'Sophea',
          turnstile: null,
          akismet: null,
          webhooks: [],
          notifyEmail: null,
        },
        bans: [],
        ipBansLeftOut: 0,
        threads: [{ pageId: PAGE, pageUrl: `${PAGE}.html`, closed: true, comments }],
      },
    ],
  };
}

describe('exportToImportThreads', () => {
  it('maps every field of a comment onto the import contract, keeping Sala ids as source ids', () => {
    const threads = exportToImportThreads(
      documentOf([
        comment('a', {
          pinned: true,
          author: { name: 'Dara', email: 'dara@example.com', website: 'https://dara.example' },
        }),
        comment('b', { parentId: 'a', status: 'pending', editedAt: '2026-11-03T00:00:00.000Z' }),
        comment('c', { parentId: 'b', status: 'spam', author: { name: 'Sophea', owner: true } }),
        comment('d', { status: 'rejected' }),
      ]),
    );
    expect(threads).toEqual([
      {
        pageId: PAGE,
        pageUrl: `${PAGE}.html`,
        closed: true,
        comments: [
          {
            sourceId: 'a',
            parentSourceId: null,
            authorName: 'Dara',
            authorEmail: 'dara@example.com',
            authorUrl: 'https://dara.example',
            createdAt: '2026-11-01T10:00:00.000Z',
            body: 'Comment a',
            status: 'approved',
            pinned: true,
          },
          {
            sourceId: 'b',
            parentSourceId: 'a',
            authorName: 'Reader b',
            authorEmail: 'b@example.com',
            createdAt: '2026-11-01T10:00:00.000Z',
            editedAt: '2026-11-03T00:00:00.000Z',
            body: 'Comment b',
            status: 'pending',
          },
          {
            sourceId: 'c',
            parentSourceId: 'b',
            authorName: 'Sophea',
            createdAt: '2026-11-01T10:00:00.000Z',
            body: 'Comment c',
            status: 'spam',
            owner: true,
          },
          {
            sourceId: 'd',
            parentSourceId: null,
            authorName: 'Reader d',
            authorEmail: 'd@example.com',
            createdAt: '2026-11-01T10:00:00.000Z',
            body: 'Comment d',
            status: 'rejected',
          },
        ],
      },
    ]);
  });

  it('keeps deleted comments as placeholders, their replies under them, and the closing time', () => {
    const deleted = { deletedAt: '2026-11-05T00:00:00.000Z', body: '', author: { name: '' } };
    const document = documentOf([
      comment('a'),
      comment('b', { parentId: 'a', ...deleted }),
      comment('c', { parentId: 'b' }),
      comment('d', deleted),
      comment('e', { parentId: 'd' }),
    ]);
    Object.assign(document.sites[0]!.threads[0]!, { closed: true, closedAt: '2026-11-06T00:00:00.000Z' });
    const [thread] = exportToImportThreads(document);
    expect(thread!.comments.map((c) => [c.sourceId, c.parentSourceId, c.deletedAt ?? null])).toEqual([
      ['a', null, null],
      ['b', 'a', '2026-11-05T00:00:00.000Z'],
      ['c', 'b', null],
      ['d', null, '2026-11-05T00:00:00.000Z'],
      ['e', 'd', null],
    ]);
    expect(thread!.comments[1]).toMatchObject({ authorName: '', body: '' });
    expect(thread).toMatchObject({ closed: true, closedAt: '2026-11-06T00:00:00.000Z' });
  });

  it('breaks a parent cycle rather than looping', () => {
    const [thread] = exportToImportThreads(
      documentOf([comment('p', { parentId: 'q' }), comment('q', { parentId: 'p' })]),
    );
    expect(thread!.comments.map((c) => [c.sourceId, c.parentSourceId])).toEqual([
      ['q', null],
      ['p', 'q'],
    ]);
  });

  it('puts parents before their replies whatever order the file lists them in', () => {
    const [thread] = exportToImportThreads(documentOf([comment('z', { parentId: 'y' }), comment('y')]));
    expect(thread!.comments.map((c) => c.sourceId)).toEqual(['y', 'z']);
  });

  it('refuses a document of another version', () => {
    const future = { ...documentOf([]), version: 2 } as unknown as ExportDocument;
    expect(() => exportToImportThreads(future)).toThrow(/version 2/);
  });
});

describe('mergeExportPages', () => {
  it('joins a thread split across pages and keeps the first page’s settings and bans', () => {
    const { sites } = documentOf([]);
    const { site, threads: _threads, ...head } = sites[0]!;
    const pages: ExportPage[] = [
      { version: 1, site, head, threads: [{ pageId: PAGE, comments: [comment('a')] }], nextCursor: 'next' },
      {
        version: 1,
        site,
        threads: [
          { pageId: PAGE, pageUrl: `${PAGE}.html`, comments: [comment('b', { parentId: 'a' })] },
          { pageId: `${PAGE}-2`, closed: true, closedAt: '2026-11-20T00:00:00.000Z', comments: [] },
        ],
        nextCursor: null,
      },
    ];
    const merged = mergeExportPages(pages, new Date('2026-12-04T00:00:00.000Z'));
    expect(merged.exportedAt).toBe('2026-12-04T00:00:00.000Z');
    expect(merged.sites[0]!.settings.ownerName).toBe('Sophea');
    expect(merged.sites[0]!.threads).toEqual([
      { pageId: PAGE, pageUrl: `${PAGE}.html`, comments: [comment('a'), comment('b', { parentId: 'a' })] },
      { pageId: `${PAGE}-2`, closed: true, closedAt: '2026-11-20T00:00:00.000Z', comments: [] },
    ]);
  });
});
