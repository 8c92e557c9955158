import { afterEach, describe, expect, it } from 'vitest';
import { normalizePageId, pageLink } from './page-id.js';

describe('normalizePageId', () => {
  it('makes the mobile, desktop, tracked and anchored copies of a Blogger post one thread', () => {
    const ids = [
      'https://myblog.blogspot.com/2026/11/phnom-penh.html',
      'https://myblog.blogspot.com/2026/11/phnom-penh.html?m=1',
      'HTTPS://MyBlog.Blogspot.com/2026/11/phnom-penh.html#comment-form',
      'https://myblog.blogspot.com/2026/11/phnom-penh.html?utm_source=fb&fbclid=abc&showComment=123',
    ];
    expect(new Set(ids.map(normalizePageId))).toEqual(new Set(['https://myblog.blogspot.com/2026/11/phnom-penh']));
  });

  it('makes a page and its address without .html one thread, as static hosts serve both', () => {
    const ids = [
      'https://blog.example/2026/11/phnom-penh.html',
      'https://blog.example/2026/11/phnom-penh',
      'https://blog.example/2026/11/phnom-penh.HTM',
      'https://blog.example/2026/11/phnom-penh/',
    ];
    expect(new Set(ids.map(normalizePageId))).toEqual(new Set(['https://blog.example/2026/11/phnom-penh']));
    expect(normalizePageId('https://blog.example/archive.html?page=2')).toBe('https://blog.example/archive?page=2');
    // Only the extension at the end of the path: a folder named like a file, or a query, is left alone.
    expect(normalizePageId('https://blog.example/old.html/notes')).toBe('https://blog.example/old.html/notes');
    expect(normalizePageId('https://blog.example/p?file=a.html')).toBe('https://blog.example/p?file=a.html');
    expect(normalizePageId('post.html')).toBe('post.html');
  });

  it('drops a trailing slash and index.html but keeps meaningful queries, sorted', () => {
    expect(normalizePageId('https://example.com/posts/hello/')).toBe('https://example.com/posts/hello');
    expect(normalizePageId('https://example.com/posts/hello/index.html')).toBe('https://example.com/posts/hello');
    expect(normalizePageId('https://example.com/')).toBe('https://example.com');
    expect(normalizePageId('https://example.com/?p=42&lang=km&utm_medium=x')).toBe('https://example.com?lang=km&p=42');
  });

  it('keeps a non-URL id as given and refuses empty or over-long ids', () => {
    expect(normalizePageId('  post-42 ')).toBe('post-42');
    expect(normalizePageId('Post-42')).toBe('Post-42');
    expect(normalizePageId('   ')).toBeNull();
    expect(normalizePageId(`https://example.com/${'a'.repeat(3000)}`)).toBeNull();
  });
});

describe('pageLink', () => {
  it('keeps the path a reader can open, .html and all, and drops the fragment and tracking queries', () => {
    expect(pageLink('HTTPS://MyBlog.Blogspot.com/2026/11/phnom-penh.html?m=1&utm_source=fb#comment-form')).toBe(
      'https://myblog.blogspot.com/2026/11/phnom-penh.html',
    );
    expect(pageLink('https://blog.example/posts/hello/index.html?p=42&fbclid=x')).toBe(
      'https://blog.example/posts/hello/index.html?p=42',
    );
  });

  it('is null for anything but an http(s) URL', () => {
    expect(pageLink('post-42')).toBeNull();
    expect(pageLink('javascript:alert(1)')).toBeNull();
    expect(pageLink('https://')).toBeNull();
  });
});

describe('one parse per address', () => {
  const RealUrl = URL;
  afterEach(() => {
    globalThis.URL = RealUrl;
  });

  /** The two functions as they were when normalizePageId parsed the link pageLink made a second time. */
  function linkBefore(input: string): string | null {
    const trimmed = input.trim();
    if (!/^https?:\/\//i.test(trimmed)) return null;
    let url: URL;
    try {
      url = new RealUrl(trimmed);
    } catch {
      return null;
    }
    url.hash = '';
    for (const name of [...url.searchParams.keys()]) {
      if (name.toLowerCase().startsWith('utm_') || TRACKING.includes(name.toLowerCase())) url.searchParams.delete(name);
    }
    url.searchParams.sort();
    const query = url.searchParams.size > 0 ? `?${url.searchParams.toString()}` : '';
    return `${url.protocol}//${url.host}${url.pathname}${query}`;
  }
  const TRACKING = 'm showcomment fbclid gclid dclid msclkid yclid igshid mc_cid mc_eid ref ref_src _ga _gl amp'.split(
    ' ',
  );
  function normalizedBefore(input: string): string | null {
    const trimmed = input.trim();
    if (trimmed === '' || trimmed.length > 2048) return null;
    const link = linkBefore(trimmed);
    if (link === null) return trimmed;
    const url = new RealUrl(link);
    const path = url.pathname
      .replace(/\/index\.(?:html?|php)$/i, '/')
      .replace(/\/+$/, '')
      .replace(/\.html?$/i, '');
    return `${url.protocol}//${url.host}${path}${url.search}`;
  }

  it('normalises a page address from one URL parse, to the same id and link as parsing it twice', () => {
    let parses = 0;
    globalThis.URL = class extends RealUrl {
      constructor(...args: ConstructorParameters<typeof URL>) {
        super(...args);
        parses += 1;
      }
    } as typeof URL;
    expect(normalizePageId('https://blog.example/2026/11/walk.html')).toBe('https://blog.example/2026/11/walk');
    expect(parses).toBe(1);
    globalThis.URL = RealUrl;

    const starts = [
      'https://Blog.Example',
      'HTTP://blog.example:8080',
      'http://user:pw@[::1]',
      'https://xn--bcher-kva.example',
      'https://bücher.example',
      'https:',
    ];
    const paths = [
      '',
      '/',
      '//a',
      '/a/../b/./c',
      '/walk.html',
      '/Walk.HTM/',
      '/x/index.php',
      '/a b/%7e/ü',
      '/a%2F.html',
      '/%zz',
      '/a?',
      '/a;b',
    ];
    const queries = [
      '',
      '?',
      '?m=1',
      '?b=2&a=1&utm_x=3',
      '?q=a+b%20c&Ref=x',
      '?a=%zz&=&b',
      '?x=\'"<>',
      '?a=1#frag',
      '#only',
    ];
    const seen = new Set<string>();
    for (const start of starts) {
      for (const path of paths) {
        for (const query of queries) {
          const input = ` ${start}${path}${query} `;
          expect([normalizePageId(input), pageLink(input)]).toEqual([normalizedBefore(input), linkBefore(input)]);
          seen.add(String(normalizePageId(input)));
        }
      }
    }
    expect(seen.size).toBeGreaterThan(300);
  });
});
