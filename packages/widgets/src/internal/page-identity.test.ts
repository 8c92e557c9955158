import { describe, expect, it } from 'vitest';
import bloggerItem from '@sala-fixtures/platforms/blogger-item.html?raw';
import { resolvePage, type PageDocument } from './page-identity.js';

const POST = 'https://mekong-notes.blogspot.com/2026/11/water-festival';

/** A page's document read at `address`, as a reader's browser has it. */
function pageAt(address: string, html = '<title>x</title>'): PageDocument {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return { querySelector: doc.querySelector.bind(doc), location: new URL(address) };
}

describe('resolvePage', () => {
  it('gives a Blogger post read on mobile the id without .html, and the address Blogger serves as its link', () => {
    expect(resolvePage(undefined, pageAt(`${POST}.html?m=1#comment-form`, bloggerItem))).toEqual({
      pageId: POST,
      pageUrl: `${POST}.html`,
    });
    // No canonical link: the location says the same.
    expect(resolvePage(undefined, pageAt(`${POST}.html?m=1&utm_source=x`))).toEqual({
      pageId: POST,
      pageUrl: `${POST}.html`,
    });
  });

  it('links a given page-id only to an address of this page that has the same id', () => {
    const doc = pageAt(`${POST}.html?m=1`);
    expect(resolvePage(POST, doc)).toEqual({ pageId: POST, pageUrl: `${POST}.html` });
    expect(resolvePage('post-42', doc)).toEqual({ pageId: 'post-42', pageUrl: null });
    expect(resolvePage('https://mekong-notes.blogspot.com/2026/10/other.html', doc)).toEqual({
      pageId: 'https://mekong-notes.blogspot.com/2026/10/other',
      pageUrl: null,
    });
  });
});
