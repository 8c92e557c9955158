import { describe, expect, it } from 'vitest';
import { pageLanguage } from './link-page.js';

/** The languages of the one-click owner pages (moderation-link-strings.ts). */
const OWNER_PAGES = { en: 1, id: 1, ja: 1, km: 1, vi: 1 };

describe('pageLanguage', () => {
  it('picks the most preferred of the page’s languages, by weight, then by order', () => {
    expect(pageLanguage('km-KH,km;q=0.9,en-US;q=0.8,en;q=0.7', OWNER_PAGES)).toBe('km');
    expect(pageLanguage('fr-CA, ja;q=0.4, id;q=0.6', OWNER_PAGES)).toBe('id');
    expect(pageLanguage('VI, ja', OWNER_PAGES)).toBe('vi');
    expect(pageLanguage('en-GB;q=0.8, ja-JP;q=0.8', OWNER_PAGES)).toBe('en');
    expect(pageLanguage('fr-CA, ja;q=0.4', { ...OWNER_PAGES, fr: 1 })).toBe('fr');
  });

  it('reads English for a browser in none of them, a refused one, a malformed header or none', () => {
    expect(pageLanguage('de, fr;q=0.5', OWNER_PAGES)).toBe('en');
    expect(pageLanguage('km;q=0, *', OWNER_PAGES)).toBe('en');
    expect(pageLanguage('constructor, ;;;, =', OWNER_PAGES)).toBe('en');
    expect(pageLanguage(undefined, OWNER_PAGES)).toBe('en');
  });
});
