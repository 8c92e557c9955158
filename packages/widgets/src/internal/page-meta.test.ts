import { afterEach, describe, expect, it } from 'vitest';
import { normalizePageId } from '@sala/protocol';
import { isPostPage, readLabels, readPageMeta } from './page-meta.js';

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
    expect(meta.url).toBe(normalizePageId(document.URL));
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

describe('isPostPage', () => {
  it('is a post when the page says it is an article', () => {
    expect(isPostPage()).toBe(false);
    add('head', '<meta property="og:type" content="article">');
    expect(isPostPage()).toBe(true);
  });
});
