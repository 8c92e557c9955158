import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@sala/protocol';
import { enForm } from './en-form.js';
import { enLists } from './en-lists.js';
import { enPosting } from './en-posting.js';
import { en, type Strings } from './en.js';
import km from './km.js';
import { languageOf, threadPacks, Translator } from './locale.js';
import packs from './packs.js';

const now = Date.parse('2026-11-27T12:00:00Z');
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

/** Every key a pack must fill: the four English files, and a message for every error code. */
const english: Record<string, string> = { ...en, ...enForm, ...enPosting, ...enLists };

/** Words a language writes as English does: a German "Name" is a name. */
const sameAsEnglish: Record<string, string[]> = {};

const placeholders = (text: string) => [...text.matchAll(/\{\w+\}/g)].map((match) => match[0]).sort();

async function pack(lang: string): Promise<Strings> {
  await threadPacks.load(lang);
  return threadPacks.get(lang) as Strings;
}

afterEach(() => {
  document.body.replaceChildren();
  document.documentElement.removeAttribute('lang');
});

describe('Translator', () => {
  it('says how long ago, in words', () => {
    const english = new Translator('en', en);
    expect(english.relativeTime(ago(10), now)).toBe('now');
    expect(english.relativeTime(ago(180), now)).toBe('3 minutes ago');
    expect(english.relativeTime(ago(86_400 + 60), now)).toBe('yesterday');
    expect(english.relativeTime('not a date', now)).toBe('');
    expect(new Translator('km', km).relativeTime(ago(180), now)).toMatch(/៣|3/);
  });

  it('pluralises counts and fills placeholders', () => {
    const english = new Translator('en', en);
    expect([english.count(0), english.count(1), english.count(1200)]).toEqual([
      '0 comments',
      '1 comment',
      '1,200 comments',
    ]);
    expect(english.t('replyTo', { name: 'Dara' })).toBe('Reply to Dara');
    expect(english.error('some_future_code')).toBe(en['error.bad_response']);
  });
});

describe('language packs', () => {
  it('names in threadPacks every pack packs.ts can load', () => {
    expect([...threadPacks.languages].sort()).toEqual(Object.keys(packs).sort());
  });

  for (const lang of threadPacks.languages) {
    it(`has every string in "${lang}", with the same placeholders`, async () => {
      const strings: Record<string, string> = await pack(lang);
      expect(Object.keys(strings).sort()).toEqual(Object.keys(english).sort());
      for (const code of [...ERROR_CODES, 'network', 'bad_response', 'not_configured'])
        expect(strings, code).toHaveProperty([`error.${code}`]);
      const misplaced = Object.keys(english).filter(
        (key) => placeholders(strings[key] ?? '').join() !== placeholders(english[key]!).join(),
      );
      expect(misplaced).toEqual([]);
      const untranslated = Object.keys(strings).filter(
        (key) => strings[key] === english[key] && !sameAsEnglish[lang]?.includes(key),
      );
      expect(untranslated).toEqual([]);
    });
  }
});

describe('languageOf', () => {
  const speaking = (lang: string) => {
    const element = document.createElement('div');
    element.lang = lang;
    document.body.append(element);
    return languageOf(element, threadPacks.languages);
  };

  it('matches a region or script to its language, and shows English for a language without a pack', () => {
    expect(['km-KH', 'KM'].map(speaking)).toEqual(['km', 'km']);
    expect(['en-GB', 'sw', 'zh-Hant-TW', 'english'].map(speaking)).toEqual(['en', 'en', 'en', 'en']);
  });
});
