import { describe, expect, it } from 'vitest';
import { cutToBytes } from './admin-comment.js';

describe('cutToBytes', () => {
  it('counts what KV counts for metadata: the UTF-8 of the JSON form', () => {
    // 100 control characters are 600 bytes once JSON-escaped, far over 240, though their UTF-8 is 100 bytes.
    const cut = cutToBytes('\u0001'.repeat(100), 240);
    expect(JSON.stringify(cut).length - 2).toBeLessThanOrEqual(240);
    expect(cut).toBe('\u0001'.repeat(40));
  });

  it('keeps short text whole and never splits a character', () => {
    expect(cutToBytes('Phnom Penh', 240)).toBe('Phnom Penh');
    expect(cutToBytes('ភ្នំពេញ', 7)).toBe('\u1797\u17d2'); // Khmer characters are 3 bytes each: two fit
  });
});
