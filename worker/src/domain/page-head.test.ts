/** The server's reading of a post page matches the widget's (page-meta.test.ts), on each platform's default pages. */
import bloggerArchive from '@sala-fixtures/platforms/blogger-archive.html?raw';
import bloggerClassicItem from '@sala-fixtures/platforms/blogger-classic-item.html?raw';
import bloggerHome from '@sala-fixtures/platforms/blogger-home.html?raw';
import bloggerItem from '@sala-fixtures/platforms/blogger-item.html?raw';
import bloggerLabel from '@sala-fixtures/platforms/blogger-label.html?raw';
import bloggerSearch from '@sala-fixtures/platforms/blogger-search.html?raw';
import bloggerStaticPage from '@sala-fixtures/platforms/blogger-static-page.html?raw';
import ghostHome from '@sala-fixtures/platforms/ghost-home.html?raw';
import ghostPost from '@sala-fixtures/platforms/ghost-post.html?raw';
import hugoList from '@sala-fixtures/platforms/hugo-list.html?raw';
import hugoPost from '@sala-fixtures/platforms/hugo-post.html?raw';
import jekyllHome from '@sala-fixtures/platforms/jekyll-home.html?raw';
import jekyllPost from '@sala-fixtures/platforms/jekyll-post.html?raw';
import wordpressHome from '@sala-fixtures/platforms/wordpress-home.html?raw';
import wordpressSingle from '@sala-fixtures/platforms/wordpress-single.html?raw';
import { normalizePageId, type PageMeta } from '@sala/protocol';
import { describe, expect, it } from 'vitest';
import { decodeEntities, pageMetaFromHead, readPageHead, type PageCheck } from './page-head.js';

const anyOrigin = () => true;

async function check(html: string, fetchedUrl: string, pageId = normalizePageId(fetchedUrl)!): Promise<PageCheck> {
  const head = await readPageHead(new Response(html, { headers: { 'Content-Type': 'text/html' } }), 512 * 1024);
  return pageMetaFromHead(head, { pageId, fetchedUrl, isOwnOrigin: anyOrigin });
}

/** The same expectations as the widget's page-meta.test.ts: a list shows the same post whoever reads the page. */
const POSTS: [platform: string, html: string, meta: PageMeta][] = [
  [
    'Blogger (layouts theme)',
    bloggerItem,
    {
      url: 'https://mekong-notes.blogspot.com/2026/11/water-festival.html',
      title: 'Bon Om Touk: three days of boat races',
      image: 'https://blogger.googleusercontent.com/img/b/R29vZ2xl/AVvXsEboats/w1200-h630-p-k-no-nu/boats.jpg',
      description:
        'Every November, when the Tonlé Sap river reverses its flow, hundreds of long boats race in front of the Royal Palace.',
      published: '2026-11-20T16:30:00.000Z',
      labels: ['Festivals', 'Phnom Penh'],
    },
  ],
  [
    'Blogger (older theme)',
    bloggerClassicItem,
    {
      url: 'https://mekong-notes.blogspot.com/2026/11/central-market.html',
      title: 'Inside Phsar Thmei, the yellow dome',
      image: 'https://blogger.googleusercontent.com/img/b/R29vZ2xl/market/w1200-h630-p-k-no-nu/market.jpg',
      description:
        'The Art Deco dome of the Central Market shelters gold sellers, flower stalls and the best kuy teav in town.',
      published: '2026-11-19T15:00:00.000Z',
      labels: ['Food', 'Markets'],
    },
  ],
  [
    'WordPress',
    wordpressSingle,
    {
      url: 'https://mekongnotes.example/2026/11/19/central-market/',
      title: 'Inside Phsar Thmei, the yellow dome',
      image: 'https://mekongnotes.example/wp-content/uploads/2026/11/market-1568x882.jpg',
      description:
        'The Art Deco dome of the Central Market shelters gold sellers, flower stalls and the best kuy teav in town.',
      published: '2026-11-19T01:00:00.000Z',
      labels: ['Markets', 'Food', 'Phnom Penh'],
    },
  ],
  [
    'Ghost',
    ghostPost,
    {
      url: 'https://mekong.ghost.io/central-market/',
      title: 'Inside Phsar Thmei, the yellow dome',
      image: 'https://mekong.ghost.io/content/images/size/w1200/2026/11/market.jpg',
      description:
        'The Art Deco dome of the Central Market shelters gold sellers, flower stalls and the best kuy teav in town.',
      published: '2026-11-19T01:00:00.000Z',
      labels: ['Markets', 'Food'],
    },
  ],
  [
    'Hugo',
    hugoPost,
    {
      url: 'https://mekong.example/posts/morning-walk/',
      title: 'A morning walk along Sisowath Quay',
      image: 'https://mekong.example/posts/morning-walk/quay-cover.jpg',
      description: 'Before the heat, the riverside belongs to joggers, tai chi groups and monks collecting alms.',
      published: '2026-11-17T23:45:00.000Z',
      labels: ['Walks', 'Phnom Penh'],
    },
  ],
  [
    'Jekyll',
    jekyllPost,
    {
      url: 'https://mekong-notes.github.io/2026/11/18/morning-walk.html',
      title: 'A morning walk along Sisowath Quay',
      description: 'Before the heat, the riverside belongs to joggers, tai chi groups and monks collecting alms.',
      published: '2026-11-17T23:45:00.000Z',
      labels: [],
    },
  ],
];

const OTHER_PAGES: [page: string, html: string, url: string][] = [
  ['Blogger home', bloggerHome, 'https://mekong-notes.blogspot.com/'],
  ['Blogger label page', bloggerLabel, 'https://mekong-notes.blogspot.com/search/label/Phnom%20Penh'],
  ['Blogger search page, one result', bloggerSearch, 'https://mekong-notes.blogspot.com/search?q=boats'],
  ['Blogger archive page', bloggerArchive, 'https://mekong-notes.blogspot.com/2026/11/'],
  ['Blogger static page', bloggerStaticPage, 'https://mekong-notes.blogspot.com/p/about.html'],
  ['WordPress home', wordpressHome, 'https://mekongnotes.example/'],
  ['Ghost home', ghostHome, 'https://mekong.ghost.io/'],
  ['Hugo list', hugoList, 'https://mekong.example/posts/'],
  ['Jekyll home', jekyllHome, 'https://mekong-notes.github.io/'],
];

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
    const checked = await check(bloggerItem, url, 'https://mekong-notes.blogspot.com/2026/11/central-market');
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

  it('keeps text as text, decoding entities, and takes only http(s) images', async () => {
    const html = `<html><head><meta property="og:type" content="article">
      <meta property="og:title" content="Fish &amp; chips &lt;b&gt;bold&lt;/b&gt; &#8220;quoted&#8221;">
      <meta property="og:image" content="javascript:alert(1)"></head>
      <body><article><p>  </p><p>Line <b>one</b>
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

  it('decodes the entities a page writes', () => {
    expect(decodeEntities('&amp;&lt;&#39;&#x1F600;&nbsp;&unknown;')).toBe("&<'😀\u00a0&unknown;");
  });
});
