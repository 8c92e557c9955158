import { describe, expect, it } from 'vitest';
import { originAllowed, originMatches } from './origins.js';

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

  it('refuses the opaque origin and junk', () => {
    expect(originMatches('null', 'https://*.example.com')).toBe(false);
    expect(originMatches('https://example.com/path', 'https://example.com')).toBe(false);
    expect(originAllowed('https://x.test', [])).toBe(false);
  });
});
