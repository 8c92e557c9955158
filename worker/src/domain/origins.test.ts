import { describe, expect, it } from 'vitest';
import { isOwnOrigin, originAllowed, originMatches, readWrittenOrigin } from './origins.js';

describe('originMatches', () => {
  it('takes an exact origin and nothing close to it', () => {
    expect(originMatches('https://blog.example.com', 'https://blog.example.com')).toBe(true);
    expect(originMatches('http://blog.example.com', 'https://blog.example.com')).toBe(false);
    expect(originMatches('https://blog.example.com:8443', 'https://blog.example.com')).toBe(false);
    expect(originMatches('https://blog.example.com.evil.test', 'https://blog.example.com')).toBe(false);
  });

  it('lets a port wildcard take any port, or none', () => {
    expect(originMatches('http://localhost:5173', 'http://localhost:*')).toBe(true);
    expect(originMatches('http://localhost', 'http://localhost:*')).toBe(true);
    expect(originMatches('http://localhost.evil.test:5173', 'http://localhost:*')).toBe(false);
    expect(originMatches('https://localhost:5173', 'http://localhost:*')).toBe(false);
  });

  it('lets a host wildcard take exactly one label', () => {
    expect(originMatches('https://blog.example.com', 'https://*.example.com')).toBe(true);
    expect(originMatches('https://example.com', 'https://*.example.com')).toBe(false);
    expect(originMatches('https://a.b.example.com', 'https://*.example.com')).toBe(false);
    expect(originMatches('https://blog.example.com.evil.test', 'https://*.example.com')).toBe(false);
  });

  it('takes a bracketed IPv6 host, as the browser writes it, and an entry written longer', () => {
    expect(originMatches('http://[::1]:8787', 'http://[::1]:8787')).toBe(true);
    expect(originMatches('http://[::1]:8787', 'http://[::1]:*')).toBe(true);
    expect(originMatches('http://[::1]:8787', 'http://[0:0:0:0:0:0:0:1]:8787')).toBe(true);
    expect(originMatches('https://[2001:db8::1]', 'https://[2001:db8::1]')).toBe(true);
    expect(originMatches('http://[::2]:8787', 'http://[::1]:8787')).toBe(false);
    expect(originMatches('http://[::1]:8787', 'http://*:8787')).toBe(false);
    expect(originMatches('http://[::1]:8787', 'http://[::1]')).toBe(false);
    expect(originMatches('http://[::1', 'http://[::1]')).toBe(false);
  });

  it('refuses the opaque origin and junk', () => {
    expect(originMatches('null', 'https://*.example.com')).toBe(false);
    expect(originMatches('https://example.com/path', 'https://example.com')).toBe(false);
    expect(originAllowed('https://x.test', [])).toBe(false);
  });
});

describe('readWrittenOrigin', () => {
  it('keeps only the origin of an address copied from the address bar', () => {
    for (const written of [
      'https://myblog.blogspot.com/',
      'https://myblog.blogspot.com/2024/',
      'https://MyBlog.blogspot.com/2024/05/post.html?m=1#comments',
    ]) {
      expect(readWrittenOrigin(written)).toEqual({
        pattern: 'https://myblog.blogspot.com',
        droppedPath: true,
        addedScheme: false,
      });
    }
    expect(readWrittenOrigin(' http://localhost:* ')).toEqual({
      pattern: 'http://localhost:*',
      droppedPath: false,
      addedScheme: false,
    });
  });

  it('assumes https for an origin written without its scheme, and says so', () => {
    expect(readWrittenOrigin('myblog.blogspot.com')).toEqual({
      pattern: 'https://myblog.blogspot.com',
      droppedPath: false,
      addedScheme: true,
    });
    expect(readWrittenOrigin('localhost:8080/')?.pattern).toBe('https://localhost:8080');
  });

  it('finds no origin in what is not one', () => {
    for (const written of [
      '',
      'ftp://myblog.example.com',
      'https://my blog.com',
      'https://',
      'https://a..b',
      'http:/x',
    ]) {
      expect(readWrittenOrigin(written)).toBeNull();
    }
  });
});

describe('isOwnOrigin', () => {
  it('takes an exact origin and any port of a named host, never a host a wildcard label allows', () => {
    const origins = ['https://mekong-notes.blogspot.com', 'http://127.0.0.1:*', 'https://*.example.com'];
    expect(isOwnOrigin('https://mekong-notes.blogspot.com', origins)).toBe(true);
    expect(isOwnOrigin('http://127.0.0.1:8787', origins)).toBe(true);
    expect(isOwnOrigin('https://stranger.example.com', origins)).toBe(false);
    expect(originAllowed('https://stranger.example.com', origins)).toBe(true); // the API is open to it, still
    expect(isOwnOrigin('https://other.blogspot.com', origins)).toBe(false);
  });
});
