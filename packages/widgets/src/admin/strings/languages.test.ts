/**
 * What the admin page's fixed patterns make of the words put in them, in the languages whose grammar a pattern can get
 * wrong: French elision before a name, the "de" that French, Spanish and Portuguese put after a round million, and
 * Arabic's digits, which differ between its locales.
 */
import { describe, expect, it } from 'vitest';
import { heldReasonWordsFr } from '@sala/protocol/held-reasons/fr';
import { Translator } from '../../internal/i18n/locale.js';
import readerFr from '../../internal/i18n/fr.js';
import type { AdminStrings } from './admin-strings.js';
import adminAr from './ar.js';
import adminEs from './es.js';
import adminFr from './fr.js';
import adminPt from './pt.js';

/**
 * Each French pattern that puts a name, a label, a file or a site's name right after a word French elides before a
 * vowel ("de Anna" for "d’Anna"), as "key: …de {name}…". A count or a date there is fine: "de 3 caractères".
 */
function frenchElisions(strings: object): string[] {
  const words = /(?:^|[\s(«\u00a0])(de|le|la|que|ne|se|ce|jusque|lorsque|puisque) \{(\w+)\}/gi;
  const named = ['name', 'author', 'label', 'file', 'site', 'page', 'post', 'word', 'title', 'email', 'field'];
  return Object.entries(strings as Record<string, unknown>).flatMap(([key, text]) =>
    typeof text === 'string'
      ? [...text.matchAll(words)]
          .filter((match) => named.includes(match[2]!))
          .map((match) => `${key}: …${match[0].trim()}…`)
      : [],
  );
}

describe('French', () => {
  it('puts no name, label or file after a word that would elide before a vowel', () => {
    expect(frenchElisions(adminFr)).toEqual([]);
    expect(frenchElisions(readerFr)).toEqual([]);
    expect(frenchElisions(heldReasonWordsFr)).toEqual([]);
  });

  it('names a comment by its author in words that suit a name starting with a vowel', () => {
    const french = new Translator<AdminStrings>('fr', adminFr);
    expect(french.t('commentLabel', { name: 'Anna' })).toBe('Commentaire écrit par Anna');
    expect(french.t('liftLabel', { label: 'anna@example.com' })).toBe('Lever le bannissement visant anna@example.com');
    expect(french.t('importReading', { file: 'export.xml', size: '2 Mo' })).toBe(
      'Lecture du fichier export.xml (2 Mo)…',
    );
  });
});

describe('a round million', () => {
  it('takes "de" before the noun in French, Spanish and Portuguese, and only a round million does', () => {
    const said = (lang: string, pack: AdminStrings, count: number) =>
      new Translator<AdminStrings>(lang, pack).plural(count, 'importCommentsOne', 'importCommentsOther');
    expect([said('fr', adminFr, 1_000_000), said('fr', adminFr, 2_000_000), said('fr', adminFr, 1_000_001)]).toEqual([
      '1\u202f000\u202f000 de commentaires',
      '2\u202f000\u202f000 de commentaires',
      '1\u202f000\u202f001 commentaires',
    ]);
    expect([said('es', adminEs, 1_000_000), said('es', adminEs, 1_500_000)]).toEqual([
      '1.000.000 de comentarios',
      '1.500.000 comentarios',
    ]);
    expect([said('pt-BR', adminPt, 1_000_000), said('pt-BR', adminPt, 1_000)]).toEqual([
      '1.000.000 de comentários',
      '1.000 comentários',
    ]);
    const posts = new Translator<AdminStrings>('fr', adminFr).plural(3_000_000, 'importPostsOne', 'importPostsOther');
    expect(posts).toBe('3\u202f000\u202f000 d’articles');
  });
});

describe('Arabic', () => {
  it('writes every number of its words in the locale’s digits: none left in Western digits in Egypt’s Arabic', () => {
    const egypt = new Translator<AdminStrings>('ar-EG', adminAr);
    const keys = Object.keys(adminAr) as (keyof AdminStrings & string)[];
    // Blogger's mobile address parameter is code, typed as it is.
    const western = keys.filter((key) => /[0-9]/.test(egypt.t(key).replace('?m=1', '')));
    expect(western).toEqual([]);
    expect(egypt.t('range.7d')).toBe('آخر ٧ أيام');
    expect(new Translator<AdminStrings>('ar', adminAr).t('range.7d')).toBe('آخر 7 أيام');
  });
});
