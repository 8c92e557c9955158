/**
 * What the admin page's fixed patterns make of the words put in them, in the languages whose grammar a pattern can get
 * wrong: French elision before a name.
 */
import { describe, expect, it } from 'vitest';
import { heldReasonWordsFr } from '@sala/protocol/held-reasons/fr';
import { Translator } from '../../internal/i18n/locale.js';
import readerFr from '../../internal/i18n/fr.js';
import type { AdminStrings } from './admin-strings.js';
import adminFr from './fr.js';

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
