import { describe, expect, it } from 'vitest';
import { IsolateCache } from './isolate-cache.js';

describe('IsolateCache', () => {
  it('serves a value read from KV until it is maxAgeMs old, then asks for a new read', () => {
    const cache = new IsolateCache<string>(5_000, 100);
    cache.fromRead('a', 'first', 1, 1_000, cache.readStarted());
    expect(cache.get('a', 6_000)).toBe('first');
    expect(cache.get('a', 6_001)).toBeUndefined();
    // A clock that went backwards (or a copy dated in the future) is not trusted either.
    cache.fromRead('b', 'later', 1, 9_000, cache.readStarted());
    expect(cache.get('b', 8_000)).toBeUndefined();
  });

  it('keeps what this isolate wrote over a read that began before the write', () => {
    const cache = new IsolateCache<string>(5_000, 100);
    const started = cache.readStarted();
    cache.written('a', 'written', 1, 1_000);
    cache.fromRead('a', 'stale read', 1, 1_000, started);
    expect(cache.get('a', 1_000)).toBe('written');
  });

  it('drops the least recently used values past maxSize, and never holds one larger than it', () => {
    const cache = new IsolateCache<string>(5_000, 10);
    cache.fromRead('a', 'a', 4, 0, cache.readStarted());
    cache.fromRead('b', 'b', 4, 0, cache.readStarted());
    expect(cache.get('a', 0)).toBe('a'); // a is now the most recently used
    cache.fromRead('c', 'c', 4, 0, cache.readStarted());
    expect([cache.get('a', 0), cache.get('b', 0), cache.get('c', 0)]).toEqual(['a', undefined, 'c']);
    cache.written('huge', 'huge', 11, 0);
    expect(cache.get('huge', 0)).toBeUndefined();
    expect(cache.get('c', 0)).toBe('c');
  });
});
