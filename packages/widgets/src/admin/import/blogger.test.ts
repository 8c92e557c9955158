import { describe, expect, it } from 'vitest';
import backup from '@sala-fixtures/import/blogger-backup.xml?raw';
import { platformPage } from '@sala-fixtures/platforms/pages.js';
import { parseMarkdown, toPlainText } from '@sala/protocol';
import { resolvePage } from '../../internal/page-identity.js';
import { parseImportFile } from './parse.js';
import { DEFAULT_IMPORT_OPTIONS, type ImportOptions } from './plan.js';

const BLOG = 'https://mekong-notes.blogspot.com';

function plan(text = backup, options: ImportOptions = DEFAULT_IMPORT_OPTIONS) {
  return parseImportFile(text, options);
}

function skipped(result: ReturnType<typeof plan>): Record<string, number> {
  return Object.fromEntries(result.skipped.map((skip) => [skip.reason, skip.count]));
}

describe('a Blogger "Back up content" file', () => {
  it('becomes one thread per post or page with comments, titled, at the address Blogger serves it', () => {
    const result = plan();
    expect(result.source).toBe('blogger');
    expect(result.threads.map((thread) => [thread.pageId, thread.pageUrl, thread.title])).toEqual([
      [`${BLOG}/2026/11/water-festival`, `${BLOG}/2026/11/water-festival.html`, 'Water festival'],
      // Written http:// in the file; the blog is served over https.
      [`${BLOG}/2026/11/central-market`, `${BLOG}/2026/11/central-market.html`, 'Central market'],
      [`${BLOG}/p/about`, `${BLOG}/p/about.html`, 'About'],
    ]);
    expect(result.counts).toEqual({ approved: 7, pending: 0, spam: 0, rejected: 0 });
  });

  it('keeps replies under their parents, parents first, and hangs a reply to a removed comment at the top', () => {
    const [festival] = plan().threads;
    expect(festival!.comments.map((comment) => [comment.sourceId, comment.parentSourceId ?? null])).toEqual([
      ['7000000000000000001', null],
      ['7000000000000000002', '7000000000000000001'],
      ['7000000000000000003', '7000000000000000002'],
      ['7000000000000000005', null],
      ['7000000000000000006', null],
    ]);
  });

  it('maps authors, dates and HTML bodies, and marks the blog author’s comments as the owner’s', () => {
    const [festival, market, about] = plan().threads;
    const [dara, sokha, vanna] = festival!.comments;
    expect(dara).toEqual({
      sourceId: '7000000000000000001',
      authorName: 'Dara',
      authorUrl: 'https://www.blogger.com/profile/11111111111111111111',
      createdAt: '2026-11-02T05:00:00.000Z',
      body: 'What a **great** day!\n\nPhotos on [my site](https://dara.example/boats) & more.',
      status: 'approved',
    });
    expect(sokha).toMatchObject({ authorName: 'Sokha', owner: true, body: 'Thank you, Dara! *See you next year*.' });
    expect(vanna!.owner).toBeUndefined();
    // Blogger writes noreply@blogger.com for everyone: it is no one's email. A real one is kept for the Worker to hash.
    expect(festival!.comments.some((comment) => comment.authorEmail !== undefined)).toBe(false);
    expect(about!.comments[0]).toMatchObject({ authorName: 'Chenda', authorEmail: 'chenda@example.com' });
    expect(market!.comments.map((comment) => comment.authorName)).toEqual(['Anonymous']);
    // `<content type="text">` is text: its `<8am>` and `*` are shown as written.
    expect(toPlainText(market!.comments[0]!.body)).toBe('Is it open on Sundays? <8am> & *early*');
  });

  it('turns a comment’s script, javascript: link and image into harmless text', () => {
    const xss = plan().threads[0]!.comments.find((comment) => comment.sourceId === '7000000000000000006')!;
    expect(xss.body).toBe('Nice click me');
    expect(parseMarkdown(xss.body)).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: 'Nice click me' }] },
    ]);
    // A name is text: the Worker stores it as typed and the widgets show it as text.
    expect(xss.authorName).toBe('<script>alert(1)</script>');
  });

  it('skips removed placeholders, a draft’s comments, comments on posts not in the file, empty and undated ones', () => {
    const result = plan();
    expect(skipped(result)).toEqual({ deleted: 2, draft: 1, 'unknown-thread': 1, 'empty-body': 1, invalid: 1 });
    expect(result.skipped.find((skip) => skip.reason === 'deleted')!.examples).toEqual([
      'Piseth: This comment has been removed by the author.',
      'Spammer: This comment has been removed by a blog administrator.',
    ]);
    const everyBody = result.threads.flatMap((thread) => thread.comments.map((comment) => toPlainText(comment.body)));
    expect(everyBody.join(' ')).not.toMatch(/has been removed|draft|no longer/i);
  });

  it('gives each thread the page id <sala-comments> computes on the Blogger post page, on desktop and mobile', () => {
    const page = new DOMParser().parseFromString(platformPage('blogger-item.html'), 'text/html');
    const threads = new Map(plan().threads.map((thread) => [thread.pageId, thread]));
    for (const href of [`${BLOG}/2026/11/water-festival.html`, `${BLOG}/2026/11/water-festival.html?m=1`]) {
      const url = new URL(href);
      const seen = resolvePage(undefined, {
        querySelector: page.querySelector.bind(page),
        location: { href, origin: url.origin, pathname: url.pathname },
      });
      expect(threads.get(seen!.pageId)?.title, href).toBe('Water festival');
    }
  });

  it('moves threads to where the blog lives now: country domains, another origin, a path prefix', () => {
    const fromCountryDomain = backup.replaceAll('mekong-notes.blogspot.com', 'mekong-notes.blogspot.co.uk');
    expect(plan(fromCountryDomain).threads[0]!.pageId).toBe(`${BLOG}/2026/11/water-festival`);
    const kept = plan(fromCountryDomain, {
      ...DEFAULT_IMPORT_OPTIONS,
      rewrites: { https: true, bloggerDotCom: false },
    });
    expect(kept.threads[0]!.pageId).toBe('https://mekong-notes.blogspot.co.uk/2026/11/water-festival');

    const moved = plan(backup, {
      ...DEFAULT_IMPORT_OPTIONS,
      rewrites: {
        https: true,
        bloggerDotCom: true,
        fromOrigin: BLOG,
        toOrigin: 'https://notes.example',
        pathPrefix: { from: '/', to: '/blog/' },
      },
    });
    expect(moved.threads.map((thread) => thread.pageUrl)).toEqual([
      'https://notes.example/blog/2026/11/water-festival.html',
      'https://notes.example/blog/2026/11/central-market.html',
      'https://notes.example/blog/p/about.html',
    ]);
  });

  it('imports nothing new the second time: every comment keeps its Blogger id', () => {
    const ids = (result: ReturnType<typeof plan>) =>
      result.threads.flatMap((thread) => thread.comments.map((c) => c.sourceId));
    expect(ids(plan())).toEqual(ids(plan()));
    expect(new Set(ids(plan())).size).toBe(7);
  });
});
