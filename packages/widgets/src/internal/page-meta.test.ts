import { afterEach, describe, expect, it } from 'vitest';
import { normalizePageId, pageLink, type PageMeta } from '@sala/protocol';
import { expected, platformPage } from '@sala-fixtures/platforms/pages.js';
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

  it('falls back to the title, the location, the article’s first image, first paragraph with a word and <time>', () => {
    add(
      'body',
      `<article>
         <h1>Heading</h1>
         <time datetime="2026-10-02">2 October</time>
         <p>   </p>
         <p>— · |</p>
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
const POSTS = expected.posts.map(
  ({ platform, file, meta }) => [platform, platformPage(file), meta as PageMeta] as const,
);
const OTHER_PAGES = expected.otherPages.map(({ page: name, file }) => [name, platformPage(file)] as const);

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
    const meta = readPageMeta([], load(platformPage('blogger-item.html')));
    expect(meta.url).toBe('https://mekong-notes.blogspot.com/2026/11/water-festival.html');
    expect(normalizePageId(meta.url)).toBe(normalizePageId('https://mekong-notes.blogspot.com/2026/11/water-festival'));
  });

  it('reads a Blogger post by its address when the template dropped the canonical link, on mobile too', () => {
    const doc = load(platformPage('blogger-item.html').replace(/<link href='[^']*' rel='canonical'\/>/, ''));
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
    const doc = load(platformPage('wordpress-single.html'));
    doc.body.className = 'attachment attachment-template-default single single-attachment postid-43';
    expect(pageKind(doc)).toBe('other');
  });

  it('keeps a page that says og:type website a non-post, whatever else it says', () => {
    const doc = load(platformPage('blogger-item.html'));
    doc.head.append(Object.assign(doc.createElement('meta'), { content: 'website' }));
    doc.head.lastElementChild!.setAttribute('property', 'og:type');
    expect(pageKind(doc)).toBe('other');
  });

  it('is unsure of a lone dated article that says nothing of itself (a theme without Open Graph)', () => {
    const bare = (html: string) => html.replace(/<meta (property="(og|article):[^"]*"|name="generator")[^>]*>/g, '');
    expect(pageKind(load(bare(platformPage('hugo-post.html'))))).toBe('unsure');
    expect(pageKind(load(bare(platformPage('jekyll-post.html'))))).toBe('unsure');
    expect(pageKind(load(bare(platformPage('hugo-list.html'))))).toBe('other');
    expect(pageKind(load(bare(platformPage('jekyll-home.html'))))).toBe('other');
  });
});

describe('pageKind on the test page', () => {
  it('is a post when the page says it is an article', () => {
    expect(pageKind()).toBe('other');
    add('head', '<meta property="og:type" content="article">');
    expect(pageKind()).toBe('post');
  });
});
