import { describe, expect, it } from 'vitest';
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
