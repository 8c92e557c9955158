/** The server's reading of a post page matches the widget's (page-meta.test.ts), on each platform's default pages. */
import { normalizePageId, type PageMeta } from '@sala/protocol';
import { describe, expect, it } from 'vitest';
import { expected, platformPage } from '@sala-fixtures/platforms/pages.js';
import { decodeEntities, pageMetaFromHead, readPageHead, type PageCheck } from './page-head.js';

const anyOrigin = () => true;

async function check(html: string, fetchedUrl: string, pageId = normalizePageId(fetchedUrl)!): Promise<PageCheck> {
  const head = await readPageHead(new Response(html, { headers: { 'Content-Type': 'text/html' } }), 512 * 1024);
  return pageMetaFromHead(head, { pageId, fetchedUrl, isOwnOrigin: anyOrigin });
}

/** The same expectations as the widget's page-meta.test.ts: a list shows the same post whoever reads the page. */
const POSTS = expected.posts.map(
  ({ platform, file, meta }) => [platform, platformPage(file), meta as PageMeta] as const,
);
const OTHER_PAGES = expected.otherPages.map(({ page: name, file, url }) => [name, platformPage(file), url] as const);

describe('reading a fetched post page', () => {
  it.each(POSTS)('reads %s’s default post page as the widget does', async (_, html, meta) => {
    expect(await check(html, meta.url)).toEqual({ ok: true, meta });
  });

  it.each(OTHER_PAGES)('refuses %s: no view is counted there, so no list shows it', async (_, html, url) => {
    // Made to name itself, so only its kind refuses it.
    const named = html.replace(/<link[^>]*rel=['"]canonical['"][^>]*>/i, `<link rel="canonical" href="${url}">`);
    const checked = await check(named, url);
    expect(checked.ok).toBe(false);
  });

  it('refuses a page that is another page than the one views were counted for', async () => {
    const url = 'https://mekong-notes.blogspot.com/2026/11/water-festival.html';
    const checked = await check(
      platformPage('blogger-item.html'),
      url,
      'https://mekong-notes.blogspot.com/2026/11/central-market',
    );
    expect(checked).toMatchObject({ ok: false, problem: expect.stringContaining('not https://') });
  });

  it('takes a page a Sala element names with page-id, and a page with a thread on it', async () => {
    const page = (body: string) =>
      `<html><head><title>About this blog</title><link rel="canonical" href="https://b.example/p/about.html"></head><body><main><p>Hello.</p>${body}</main></body></html>`;
    expect(
      await check(page('<sala-comments page-id="about"></sala-comments>'), 'https://b.example/p/about.html', 'about'),
    ).toMatchObject({
      ok: true,
      meta: { url: 'https://b.example/p/about.html', title: 'About this blog', description: 'Hello.' },
    });
    expect(
      await check(
        page('<sala-comments labels="About, Blog &amp; me"></sala-comments>'),
        'https://b.example/p/about.html',
      ),
    ).toMatchObject({ ok: true, meta: { labels: ['About', 'Blog & me'] } });
    expect((await check(page(''), 'https://b.example/p/about.html')).ok).toBe(false);
  });

  it('keeps text as text, decoding entities, takes only http(s) images and a paragraph with a word', async () => {
    const html = `<html><head><meta property="og:type" content="article">
      <meta property="og:title" content="Fish &amp; chips &lt;b&gt;bold&lt;/b&gt; &#8220;quoted&#8221;">
      <meta property="og:image" content="javascript:alert(1)"></head>
      <body><article><p>  </p><p>&mdash; · |</p><p>Line <b>one</b>
      two</p><img src="/img/first.jpg"></article></body></html>`;
    expect(await check(html, 'https://b.example/2026/fish')).toEqual({
      ok: true,
      meta: {
        url: 'https://b.example/2026/fish',
        title: 'Fish & chips <b>bold</b> “quoted”',
        image: 'https://b.example/img/first.jpg',
        description: 'Line one two',
        labels: [],
      },
    });
  });

  it('stops reading a page at maxBytes: a huge one is not downloaded to the end', async () => {
    let sent = 0;
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('<html><head><title>Endless</title></head><body>'));
      },
      pull(controller) {
        if (sent >= 4 * 1024 * 1024) return controller.close();
        sent += 1023;
        controller.enqueue(new TextEncoder().encode('<p>more</p>'.repeat(93)));
      },
      cancel() {
        cancelled = true;
      },
    });
    const head = await readPageHead(new Response(endless, { headers: { 'Content-Type': 'text/html' } }), 16 * 1024);
    expect(head.title).toBe('Endless');
    expect(cancelled).toBe(true);
    expect(sent).toBeLessThan(64 * 1024);
  });

  it('decodes the entities a page writes', () => {
    expect(decodeEntities('&amp;&lt;&#39;&#x1F600;&nbsp;&unknown;')).toBe("&<'😀\u00a0&unknown;");
  });
});
