import { afterEach, describe, expect, it } from 'vitest';
import { normalizePageId, pageLink, type PageMeta } from '@sala/protocol';
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
import { pageKind } from './host-page.js';
import { readLabels, readPageMeta } from './page-meta.js';

const added: Element[] = [];

/** Adds markup to <head> or <body> of the test page; removed after each test. */
function add(where: 'head' | 'body', markup: string): void {
  const template = document.createElement('template');
  template.innerHTML = markup;
  const nodes = [...template.content.children];
  document[where].append(...nodes);
  added.push(...nodes);
}

const pageTitle = document.title;

afterEach(() => {
  added.splice(0).forEach((node) => node.remove());
  document.title = pageTitle;
});

describe('readPageMeta', () => {
  it('reads Open Graph and article metas, the canonical link, and resolves a relative og:image', () => {
    add(
      'head',
      `<meta property="og:title" content="  A walk   by the river ">
       <meta name="description" content="Boats, noodles and the Tonlé Sap.">
       <meta property="og:image" content="/thumbs/river.svg">
       <meta property="article:published_time" content="2026-11-20T07:30:00+07:00">
       <link rel="canonical" href="https://blog.example/2026/11/walk.html?utm_source=x#comments">`,
    );
    add('body', '<article><h1>Other heading</h1><img src="/other.png"><p>First paragraph.</p></article>');

    expect(readPageMeta(['Walks'])).toEqual({
      url: 'https://blog.example/2026/11/walk.html',
      title: 'A walk by the river',
      image: new URL('/thumbs/river.svg', document.baseURI).href,
      description: 'Boats, noodles and the Tonlé Sap.',
      published: '2026-11-20T00:30:00.000Z',
      labels: ['Walks'],
    });
  });

  it('falls back to the title, the location, the article’s first image, first paragraph and <time>', () => {
    add(
      'body',
      `<article>
         <h1>Heading</h1>
         <time datetime="2026-10-02">2 October</time>
         <p>   </p>
         <img src="data:image/png;base64,AAAA">
         <p>The <b>first</b> words
           of the post.</p>
       </article>`,
    );
    document.title = '';
    const meta = readPageMeta([]);
    expect(meta.title).toBe('Heading');
    expect(meta.url).toBe(pageLink(document.URL));
    expect(meta.description).toBe('The first words of the post.');
    expect(meta.published).toBe('2026-10-02T00:00:00.000Z');
    // A data: image cannot be shown from another site's list: left out rather than refused with the view.
    expect(meta).not.toHaveProperty('image');
  });

  it('takes the first http(s) image in the article, and leaves out a date that does not parse', () => {
    add('head', '<meta property="article:published_time" content="last Tuesday">');
    add('body', '<div class="post-body"><img src="https://cdn.example/a.jpg"><p>Text</p></div>');
    const meta = readPageMeta([]);
    expect(meta.image).toBe('https://cdn.example/a.jpg');
    expect(meta).not.toHaveProperty('published');
  });

  it('keeps markup characters as text, never as markup', () => {
    add('head', '<meta property="og:title" content="<img src=x onerror=alert(1)>">');
    expect(readPageMeta([]).title).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('readLabels', () => {
  it('prefers the attribute, trims, drops duplicates and over-long labels, keeps at most 10', () => {
    add('head', '<meta property="article:tag" content="Food"><meta property="article:tag" content="Walks">');
    expect(readLabels(' Phnom Penh , food,Food,, ' + 'x'.repeat(51))).toEqual(['Phnom Penh', 'food']);
    expect(readLabels(undefined)).toEqual(['Food', 'Walks']);
    expect(readLabels(Array.from({ length: 12 }, (_, i) => `l${i}`).join(','))).toHaveLength(10);
  });
});

/** A platform's page as a document of its own, as the reader's browser would parse it. */
function load(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}

/** What each platform's default post page gives a popular-posts list, read from the page alone. */
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

const OTHER_PAGES: [page: string, html: string][] = [
  ['Blogger home', bloggerHome],
  ['Blogger label page', bloggerLabel],
  ['Blogger search page, one result', bloggerSearch],
  ['Blogger archive page', bloggerArchive],
  ['Blogger static page', bloggerStaticPage],
  ['WordPress home', wordpressHome],
  ['Ghost home', ghostHome],
  ['Hugo list', hugoList],
  ['Jekyll home', jekyllHome],
];

describe('on each platform’s default pages', () => {
  it.each(POSTS)('a %s post is a post, with its link, title, image, snippet, date and labels', (_, html, meta) => {
    const doc = load(html);
    expect(pageKind(doc)).toBe('post');
    expect(readPageMeta(readLabels(undefined, doc), doc)).toEqual(meta);
  });

  it.each(OTHER_PAGES)('a %s is not a post', (_, html) => {
    expect(pageKind(load(html))).toBe('other');
  });

  it('gives a Blogger post one page id with its address without .html, and links to the address Blogger serves', () => {
    const meta = readPageMeta([], load(bloggerItem));
    expect(meta.url).toBe('https://mekong-notes.blogspot.com/2026/11/water-festival.html');
    expect(normalizePageId(meta.url)).toBe(normalizePageId('https://mekong-notes.blogspot.com/2026/11/water-festival'));
  });

  it('reads a Blogger post by its address when the template dropped the canonical link, on mobile too', () => {
    const doc = load(bloggerItem.replace(/<link href='[^']*' rel='canonical'\/>/, ''));
    expect(pageKind(doc)).toBe('post');
    const ogUrl = doc.querySelector('meta[property="og:url"]')!;
    for (const other of ['/?m=1', '/2026_11_01_archive.html', '/p/about.html?m=1', '/2026/11/']) {
      ogUrl.setAttribute('content', `https://mekong-notes.blogspot.com${other}`);
      expect(pageKind(doc), other).toBe('other');
    }
    ogUrl.setAttribute('content', 'https://mekong-notes.blogspot.com/2026/11/water-festival_20.html?m=1');
    expect(pageKind(doc)).toBe('post');
  });

  it('leaves out a WordPress attachment page, which body_class() also calls single', () => {
    const doc = load(wordpressSingle);
    doc.body.className = 'attachment attachment-template-default single single-attachment postid-43';
    expect(pageKind(doc)).toBe('other');
  });

  it('keeps a page that says og:type website a non-post, whatever else it says', () => {
    const doc = load(bloggerItem);
    doc.head.append(Object.assign(doc.createElement('meta'), { content: 'website' }));
    doc.head.lastElementChild!.setAttribute('property', 'og:type');
    expect(pageKind(doc)).toBe('other');
  });

  it('is unsure of a lone dated article that says nothing of itself (a theme without Open Graph)', () => {
    const bare = (html: string) => html.replace(/<meta (property="(og|article):[^"]*"|name="generator")[^>]*>/g, '');
    expect(pageKind(load(bare(hugoPost)))).toBe('unsure');
    expect(pageKind(load(bare(jekyllPost)))).toBe('unsure');
    expect(pageKind(load(bare(hugoList)))).toBe('other');
    expect(pageKind(load(bare(jekyllHome)))).toBe('other');
  });
});

describe('pageKind on the test page', () => {
  it('is a post when the page says it is an article', () => {
    expect(pageKind()).toBe('other');
    add('head', '<meta property="og:type" content="article">');
    expect(pageKind()).toBe('post');
  });
});
