import { describe, expect, it } from 'vitest';
import { normalizePageId } from './page-id.js';

describe('normalizePageId', () => {
  it('makes the mobile, desktop, tracked and anchored copies of a Blogger post one thread', () => {
    const ids = [
      'https://myblog.blogspot.com/2026/11/phnom-penh.html',
      'https://myblog.blogspot.com/2026/11/phnom-penh.html?m=1',
      'HTTPS://MyBlog.Blogspot.com/2026/11/phnom-penh.html#comment-form',
      'https://myblog.blogspot.com/2026/11/phnom-penh.html?utm_source=fb&fbclid=abc&showComment=123',
    ];
    expect(new Set(ids.map(normalizePageId))).toEqual(new Set(['https://myblog.blogspot.com/2026/11/phnom-penh.html']));
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
