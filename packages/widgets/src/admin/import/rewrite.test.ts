import { describe, expect, it } from 'vitest';
import { DEFAULT_IMPORT_OPTIONS, type UrlRewrites } from './plan.js';
import { rewriteUrl, threadAddress } from './rewrite.js';

const defaults = DEFAULT_IMPORT_OPTIONS.rewrites;

describe('rewriteUrl', () => {
  it('serves Blogger country domains, http and the mobile view as the one https .com address', () => {
    for (const old of [
      'http://name.blogspot.com/2020/01/post.html',
      'https://name.blogspot.co.uk/2020/01/post.html',
      'https://name.blogspot.fr/2020/01/post.html?m=1',
      'https://NAME.blogspot.com.au/2020/01/post.html#c123',
      'https://name.blogspot.com/2020/01/post.html?showComment=1#c1',
    ]) {
      expect(rewriteUrl(old, defaults), old).toBe('https://name.blogspot.com/2020/01/post.html');
    }
    expect(threadAddress('https://name.blogspot.in/2020/01/post.html?m=1', defaults)).toEqual({
      pageId: 'https://name.blogspot.com/2020/01/post',
      pageUrl: 'https://name.blogspot.com/2020/01/post.html',
    });
  });

  it('keeps a query that picks the page, as <sala-comments> does, and drops the ones that say how a reader came', () => {
    expect(rewriteUrl('http://blog.example/?p=12&utm_source=feed#comment-3', defaults)).toBe(
      'https://blog.example/?p=12',
    );
    expect(threadAddress('http://blog.example/?p=12', defaults)!.pageId).toBe('https://blog.example?p=12');
  });

  it('keeps what the owner turns off', () => {
    const none: UrlRewrites = { https: false, bloggerDotCom: false };
    expect(rewriteUrl('http://name.blogspot.de/a.html?m=1', none)).toBe('http://name.blogspot.de/a.html');
  });

  it('moves an old origin to the new one, and a path prefix', () => {
    const moved: UrlRewrites = {
      https: true,
      bloggerDotCom: true,
      fromOrigin: 'http://old.example',
      toOrigin: 'https://new.example/',
      pathPrefix: { from: '/blog/', to: '/' },
    };
    expect(rewriteUrl('http://old.example/blog/2020/post/', moved)).toBe('https://new.example/2020/post/');
    expect(rewriteUrl('https://old.example/blog/x', moved)).toBe('https://new.example/x');
    expect(rewriteUrl('https://other.example/blog/x', moved)).toBe('https://other.example/x');
  });

  it('moves a post read on a Blogger country domain with the old address typed as blogspot.com, or as that domain', () => {
    // A Disqus thread keeps the address its first reader came by; the Takeout feed, the address the owner typed.
    for (const fromOrigin of ['https://name.blogspot.com', 'name.blogspot.co.uk', 'https://name.blogspot.fr']) {
      const moved: UrlRewrites = { https: true, bloggerDotCom: true, fromOrigin, toOrigin: 'https://blog.example.com' };
      for (const old of [
        'https://name.blogspot.co.uk/2020/01/post.html?m=1',
        'http://name.blogspot.com/2020/01/post.html',
      ]) {
        expect(rewriteUrl(old, moved), `${old} from ${fromOrigin}`).toBe('https://blog.example.com/2020/01/post.html');
      }
    }
    // Without the country rewrite, only the domain typed moves.
    const exact: UrlRewrites = {
      https: true,
      bloggerDotCom: false,
      fromOrigin: 'name.blogspot.com',
      toOrigin: 'blog.example.com',
    };
    expect(rewriteUrl('https://name.blogspot.co.uk/a.html', exact)).toBe('https://name.blogspot.co.uk/a.html');
  });

  it('has no address for what is not an http(s) URL', () => {
    expect(rewriteUrl('/2020/01/post.html', defaults)).toBeNull();
    expect(rewriteUrl('javascript:alert(1)', defaults)).toBeNull();
    expect(threadAddress('', defaults)).toBeNull();
  });
});
