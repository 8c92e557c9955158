import { describe, expect, it } from 'vitest';
import { linkLanguage } from './moderation-link-strings.js';

describe('linkLanguage', () => {
  it('picks the most preferred of the admin page’s languages, by weight, then by order', () => {
    expect(linkLanguage('km-KH,km;q=0.9,en-US;q=0.8,en;q=0.7')).toBe('km');
    expect(linkLanguage('fr-CA, ja;q=0.4, id;q=0.6')).toBe('id');
    expect(linkLanguage('VI, ja')).toBe('vi');
    expect(linkLanguage('en-GB;q=0.8, ja-JP;q=0.8')).toBe('en');
  });

  it('reads English for a browser in none of them, a refused one, a malformed header or none', () => {
    expect(linkLanguage('de, fr;q=0.5')).toBe('en');
    expect(linkLanguage('km;q=0, *')).toBe('en');
    expect(linkLanguage('constructor, ;;;, =')).toBe('en');
    expect(linkLanguage(undefined)).toBe('en');
  });
});
