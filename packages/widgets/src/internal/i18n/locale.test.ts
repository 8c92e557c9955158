import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@sala/protocol';
import { enCount } from './en-count.js';
import { enForm } from './en-form.js';
import { enLists } from './en-lists.js';
import { enPosting } from './en-posting.js';
import { en, type Strings } from './en.js';
import km from './km.js';
import { localeOf, threadPacks, Translator } from './locale.js';
import packs from './packs.js';

const now = Date.parse('2026-11-27T12:00:00Z');
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

/** Every key a pack must fill: the five English files, and a message for every error code. */
const english: Record<string, string> = { ...en, ...enForm, ...enPosting, ...enLists, ...enCount };

/**
 * Words a language writes as English does: a German "Name" is a name; Indonesian, Khmer, Brazilian Portuguese and
 * Vietnamese quote a comment's words in “ ” as English does.
 */
const sameAsEnglish: Record<string, string[]> = {
  de: ['nameLabel', 'websiteLabel'],
  id: ['postedSaying'],
  km: ['postedSaying'],
  pt: ['postedSaying'],
  vi: ['postedSaying'],
};

/**
 * A count's forms for a single number, said in words rather than with the number: Arabic's "تعليق واحد" (one
 * comment), "تعليقان" (two comments), "لا تعليقات" (no comments).
 */
const countInWords: Record<string, string[]> = {
  ar: ['countOne', 'count.zero', 'count.two'],
};

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

  it('says "now" for a time ahead of the browser’s clock, in every language, not "in 1 minute"', () => {
    for (const lang of ['en', ...threadPacks.languages]) {
      const translator = new Translator(lang, {});
      const justNow = translator.relativeTime(ago(0), now);
      expect(
        [ago(-30), ago(-90), ago(-2 * 3600)].map((iso) => translator.relativeTime(iso, now)),
        lang,
      ).toEqual([justNow, justNow, justNow]);
    }
  });

  it('writes a number its words hold ({#7}) in the locale’s digits, as the numbers it formats', () => {
    const strings = { heading: 'آخر {#7} أيام، بعد {#00}:{#00} UTC، {count}' } as Partial<Strings>;
    expect(new Translator('ar-EG', strings).t('heading', { count: '{#3}' })).toBe('آخر ٧ أيام، بعد ٠٠:٠٠ UTC، {#3}');
    expect(new Translator('ar', strings).t('heading')).toBe('آخر 7 أيام، بعد 00:00 UTC، {count}');
    expect(new Translator('ar-EG', { 'error.network': 'بعد {#10} ثوانٍ' }).error('network')).toBe('بعد ١٠ ثوانٍ');
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
      // Beyond English's keys, only a count's forms the language's plural rules have beyond one and other.
      const forms = Object.keys(strings).filter((key) => key.startsWith('count.'));
      const categories: readonly string[] = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
      expect(forms.map((key) => key.slice('count.'.length)).filter((form) => !categories.includes(form))).toEqual([]);
      expect(
        Object.keys(strings)
          .filter((key) => !forms.includes(key))
          .sort(),
      ).toEqual(Object.keys(english).sort());
      for (const code of [...ERROR_CODES, 'network', 'bad_response', 'not_configured'])
        expect(strings, code).toHaveProperty([`error.${code}`]);
      const misplaced = [...Object.keys(english), ...forms].filter(
        (key) =>
          !countInWords[lang]?.includes(key) &&
          placeholders(strings[key] ?? '').join() !== placeholders(english[key] ?? english['countOther']!).join(),
      );
      expect(misplaced).toEqual([]);
      const untranslated = Object.keys(strings).filter(
        (key) => strings[key] === english[key] && !sameAsEnglish[lang]?.includes(key),
      );
      expect(untranslated).toEqual([]);
    });
  }

  // 0, 1 and 2 as each language's plural rules count them: French and Portuguese put 0 in the singular, Japanese,
  // Indonesian and Vietnamese have one form for all.
  const counts: Record<string, [string, string, string]> = {
    de: ['0 Kommentare', '1 Kommentar', '2 Kommentare'],
    es: ['0 comentarios', '1 comentario', '2 comentarios'],
    fr: ['0 commentaire', '1 commentaire', '2 commentaires'],
    id: ['0 komentar', '1 komentar', '2 komentar'],
    ja: ['0 件のコメント', '1 件のコメント', '2 件のコメント'],
    pt: ['0 comentário', '1 comentário', '2 comentários'],
    vi: ['0 bình luận', '1 bình luận', '2 bình luận'],
  };
  // "3 minutes ago" in each language, from Intl.
  const threeMinutesAgo: Record<string, string> = {
    de: 'vor 3 Minuten',
    es: 'hace 3 minutos',
    fr: 'il y a 3 minutes',
    id: '3 menit yang lalu',
    ja: '3 分前',
    pt: 'há 3 minutos',
    vi: '3 phút trước',
  };
  for (const [lang, [zero, one, two]] of Object.entries(counts)) {
    it(`counts comments and says how long ago as "${lang}" does`, async () => {
      const translator = new Translator(lang, await pack(lang));
      expect([translator.count(0), translator.count(1), translator.count(2)]).toEqual([zero, one, two]);
      expect(translator.relativeTime(ago(180), now)).toBe(threeMinutesAgo[lang]);
    });
  }
  it('says "de" after a round million in French, Spanish and Portuguese, as their plural rules’ many form', async () => {
    const [french, spanish, portuguese] = [
      new Translator('fr', await pack('fr')),
      new Translator('es', await pack('es')),
      new Translator('pt-BR', await pack('pt')),
    ];
    expect([french.count(1_000_000), french.count(1_000_001)]).toEqual([
      '1\u202f000\u202f000 de commentaires',
      '1\u202f000\u202f001 commentaires',
    ]);
    expect([spanish.count(2_000_000), spanish.count(1_200)]).toEqual(['2.000.000 de comentarios', '1200 comentarios']);
    expect(portuguese.count(1_000_000)).toBe('1.000.000 de comentários');
  });
});

describe('Arabic', () => {
  const number = new Intl.NumberFormat('ar').format;

  // The six forms of Intl.PluralRules('ar'), in the digits Intl writes for the page's tag: `ar` alone Latin (as most
  // Arabic blogs write them), `ar-EG` and `ar-SA` Arabic-Indic (١٢), as their dates and times from Intl do too.
  it('counts comments in the six forms Arabic has', async () => {
    const translator = new Translator('ar', await pack('ar'));
    expect([0, 1, 2, 3, 10, 11, 99, 100, 102, 103, 111, 1200].map((count) => translator.count(count))).toEqual([
      'لا تعليقات',
      'تعليق واحد',
      'تعليقان',
      `${number(3)} تعليقات`,
      `${number(10)} تعليقات`,
      `${number(11)} تعليقًا`,
      `${number(99)} تعليقًا`,
      `${number(100)} تعليق`,
      `${number(102)} تعليق`,
      `${number(103)} تعليقات`,
      `${number(111)} تعليقًا`,
      `${number(1200)} تعليق`,
    ]);
    const egypt = new Translator('ar-EG', await pack('ar'));
    const egyptian = new Intl.NumberFormat('ar-EG').format;
    expect([egypt.count(12), egypt.relativeTime(ago(180), now)]).toEqual([
      `${egyptian(12)} تعليقًا`,
      `قبل ${egyptian(3)} دقائق`,
    ]);
  });

  it('says how long ago and when in Arabic words, and is written right to left', async () => {
    const translator = new Translator('ar', await pack('ar'));
    expect([ago(10), ago(60), ago(180), ago(86_400 + 60)].map((iso) => translator.relativeTime(iso, now))).toEqual([
      'الآن',
      'قبل دقيقة واحدة',
      `قبل ${number(3)} دقائق`,
      'أمس',
    ]);
    expect(translator.fullDate('2026-12-05T12:00:00Z')).toContain('ديسمبر');
    expect([translator.dir, new Translator('ar-MA', {}).dir, new Translator('en', en).dir]).toEqual([
      'rtl',
      'rtl',
      'ltr',
    ]);
  });

  it('keeps a page’s own wording of the count over the pack’s, in the forms it gives', async () => {
    const strings = { ...(await pack('ar')), countOther: '{count} ردًا' };
    const translator = new Translator('ar', strings);
    expect([translator.count(100), translator.count(3)]).toEqual([`${number(100)} ردًا`, `${number(3)} تعليقات`]);
    // Strings without a form the language's rules have (French's "many", for millions) say their other form.
    const replies = new Translator('fr', { countOne: '{count} réponse', countOther: '{count} réponses' });
    expect(replies.count(1_000_000)).toBe('1\u202f000\u202f000 réponses');
  });
});

describe('localeOf', () => {
  const reading = (lang: string) => {
    const element = document.createElement('div');
    element.lang = lang;
    document.body.append(element);
    return localeOf(element, threadPacks.languages);
  };

  it('keeps a region or script, whose language picks the strings, and shows English for a language without a pack', () => {
    expect(['pt-BR', 'es-419', 'de-AT', 'FR-ca', 'ja-JP', 'km', 'en-GB', 'ar', 'ar-EG'].map(reading)).toEqual([
      'pt-BR',
      'es-419',
      'de-AT',
      'fr-CA',
      'ja-JP',
      'km',
      'en-GB',
      'ar',
      'ar-EG',
    ]);
    expect(['sw', 'sw-KE', 'zh-Hant-TW', 'english'].map(reading)).toEqual(['en', 'en', 'en', 'en']);
  });

  it('reads WordPress’s en_GB as en-GB, and a tag Intl rejects as its language alone', () => {
    expect(['en_GB', 'pt_br', 'EN-gb'].map(reading)).toEqual(['en-GB', 'pt-BR', 'en-GB']);
    // Intl.getCanonicalLocales throws on each of these; x and i-klingon have no strings anyway.
    expect(['pt-PT-ao90', 'de-', 'fr--CA', 'x', 'i-klingon'].map(reading)).toEqual(['pt', 'de', 'fr', 'en', 'en']);
  });

  it('reads a retired code as the language it names: Indonesian written in, as Java wrote it', () => {
    expect(['in', 'in-ID', 'IN_id'].map(reading)).toEqual(['id', 'id-ID', 'id-ID']);
    // Hebrew (iw) is he, which has no strings: English, as any language without them.
    expect(reading('iw')).toBe('en');
  });

  it('takes the page’s language, as Blogger sets it from the blog’s (<html lang="es">)', () => {
    document.documentElement.lang = 'es';
    const element = document.createElement('div');
    document.body.append(element);
    expect(localeOf(element, threadPacks.languages)).toBe('es');
  });
});

describe('Translator of a region', () => {
  const at = '2026-12-05T12:00:00Z';

  it('writes English words in British dates for en-GB', () => {
    const british = new Translator('en-GB', en);
    expect(british.fullDate(at)).toMatch(/^5 December 2026 at \d\d:\d\d$/);
    expect(new Translator('en', en).fullDate(at)).toMatch(/^December 5, 2026 at \d{1,2}:\d\d [AP]M$/);
    expect(british.count(1200)).toBe('1,200 comments');
  });

  it('counts and dates as the region does: Swiss thousands, Portugal’s plural of 0', async () => {
    expect(new Translator('de-CH', await pack('de')).count(1200)).toMatch(/^1['’]200 Kommentare$/);
    const portugal = new Translator('pt-PT', await pack('pt'));
    expect([portugal.count(0), portugal.count(1)]).toEqual(['0 comentários', '1 comentário']);
    const brazil = new Translator('pt-BR', await pack('pt'));
    expect([brazil.count(0), brazil.fullDate(at)]).toEqual([
      '0 comentário',
      expect.stringMatching(/^5 de dezembro de 2026 às \d\d:\d\d$/),
    ]);
  });
});
