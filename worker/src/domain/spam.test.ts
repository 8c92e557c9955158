import { describe, expect, it, vi } from 'vitest';
import { assessSpam, countLinks, lettersOf, readSpamFields, type SpamSignals } from './spam.js';
import { wordFinder, wordsFound } from './words.js';

const person: SpamSignals = {
  body: 'I tried this recipe last night and it worked well.',
  name: 'Dara',
  website: null,
  elapsedMs: 40_000,
  knownCommenter: false,
};

describe('countLinks', () => {
  it('counts Markdown links and bare URLs, not code', () => {
    expect(countLinks('See [this](https://a.example) and https://b.example')).toBe(2);
    expect(countLinks('> quoted https://c.example\n\n- item https://d.example')).toBe(2);
    expect(countLinks('`https://not-a-link.example`')).toBe(0);
    expect(countLinks('No links here.')).toBe(0);
  });
});

describe('readSpamFields', () => {
  it('treats anything in the honeypot as filled and drops malformed timing', () => {
    expect(readSpamFields({ hp: '', elapsedMs: 5000 })).toEqual({
      honeypot: null,
      elapsedMs: 5000,
      captchaToken: null,
    });
    expect(readSpamFields({ hp: 0 }).honeypot).toBe('0');
    expect(readSpamFields({ elapsedMs: -1 }).elapsedMs).toBeNull();
    expect(readSpamFields({ elapsedMs: '5000' }).elapsedMs).toBeNull();
  });
});

describe('assessSpam', () => {
  it('scores an ordinary comment from the widget at zero', () => {
    expect(assessSpam(person)).toEqual({ score: 0, reasons: [] });
  });

  it('adds up weak signals, each with its reason', () => {
    const bot = assessSpam({
      ...person,
      body: 'https://x.example https://y.example',
      name: 'best-deals.com',
      website: 'https://best-deals.com',
      elapsedMs: null,
    });
    expect(bot.reasons).toEqual([
      { code: 'links', points: 1, count: 2 },
      { code: 'link-only', points: 2 },
      { code: 'first-time-links', points: 1, count: 2 },
      { code: 'name-link', points: 3 },
      { code: 'website-and-links', points: 1 },
      { code: 'no-timing', points: 2 },
    ]);
    expect(bot.score).toBe(1 + 2 + 1 + 3 + 1 + 2);
  });

  it('names the spam words it found, and lets one word used in passing go', () => {
    const passing = assessSpam({ ...person, body: 'We stayed near the casino because the hotels were cheaper.' });
    expect(passing.score).toBe(0);
    const pitch = { ...person, body: 'Best casino bonus and free spins, poker and slots tonight!' };
    const words = ['casino bonus', 'free spins', 'poker', 'slots'];
    // Words alone, with nowhere to send readers, stay under the hold threshold; with a website they hold.
    expect(assessSpam(pitch).reasons).toEqual([{ code: 'spam-words', points: 2, words }]);
    expect(assessSpam({ ...pitch, website: 'https://spins.example' }).reasons).toEqual([
      { code: 'spam-words', points: 4, words },
    ]);
    expect(assessSpam({ ...pitch, body: `${pitch.body} WhatsApp +1 555 010 2234` }).score).toBe(4);
    const russian = assessSpam({ ...person, body: 'Лучшее онлайн казино, ставки на спорт' });
    expect(russian.reasons[0]).toMatchObject({
      code: 'spam-words',
      words: ['казино', 'онлайн казино', 'ставки на спорт'],
    });
    // Khmer has no spaces between words: found inside a run of text.
    const khmer = assessSpam({ ...person, body: 'លេងកាស៊ីណូអនឡាញឥឡូវនេះ' });
    expect(khmer.reasons[0]).toMatchObject({ code: 'spam-words', words: ['កាស៊ីណូអនឡាញ'] });
  });

  it('does not count spam words in code, nor hold a first-time commenter who quotes code with a link', () => {
    const code = '```html\n<a href="https://casino.example">online casino</a>\n```\nWhy does this not render?';
    expect(assessSpam({ ...person, body: code })).toEqual({ score: 0, reasons: [] });
  });

  it('notices how spam links look: sales anchors, pasted markup, shorteners and spam-prone domains', () => {
    const body =
      '[cheap flights deals](https://deals.example) <a href="https://x.example">x</a> https://bit.ly/abc https://y.xyz/';
    const reasons = assessSpam({ ...person, body, website: 'https://ok.example' }).reasons;
    expect(reasons).toEqual(
      expect.arrayContaining([
        { code: 'keyword-links', points: 2, count: 1 },
        { code: 'markup-links', points: 2 },
        { code: 'odd-links', points: 2, hosts: ['bit.ly', 'y.xyz'] },
      ]),
    );
  });

  it('does not count a stranger’s links to reference sites as an advert', () => {
    const cited = assessSpam({
      ...person,
      website: 'https://dara.example',
      body: 'The dates match https://en.wikipedia.org/wiki/Angkor_Wat and the code is at https://github.com/lit/lit',
    });
    expect(cited.reasons).toEqual([{ code: 'links', points: 1, count: 2 }]);
  });

  it('reads a stranger’s stock phrase with a link as spam, and the same words from a known reader as praise', () => {
    const drop = { ...person, body: 'Nice post! Visit my site https://my.example', knownCommenter: false };
    expect(assessSpam(drop).reasons).toContainEqual({ code: 'canned-phrase', points: 2, phrase: 'visit my site' });
    expect(assessSpam({ ...drop, knownCommenter: true }).reasons.map((reason) => reason.code)).not.toContain(
      'canned-phrase',
    );
    expect(assessSpam({ ...person, body: 'Nice post, thanks for sharing!' }).score).toBe(0);
  });

  it('reads spam words in the name or the website’s address', () => {
    const seller = assessSpam({ ...person, name: 'Payday Loans Now', website: 'https://cheap-viagra-online.example' });
    expect(seller.reasons).toEqual([{ code: 'identity-words', points: 2, words: ['viagra', 'payday loans', 'cheap'] }]);
  });

  it('lowers the score for a known commenter and a passed captcha, raises it for Akismet spam', () => {
    expect(assessSpam({ ...person, knownCommenter: true }).score).toBe(-3);
    expect(assessSpam({ ...person, captchaPassed: true }).score).toBe(-3);
    expect(assessSpam({ ...person, akismet: 'spam' }).score).toBe(6);
  });

  it('notices shouting and text that arrives faster than anyone types', () => {
    expect(assessSpam({ ...person, body: 'THIS IS THE BEST OFFER YOU WILL EVER SEE' }).reasons[0]?.code).toBe(
      'shouting',
    );
    expect(assessSpam({ ...person, body: 'x'.repeat(400), elapsedMs: 4000 }).reasons[0]).toEqual({
      code: 'fast-typing',
      points: 1,
      characters: 400,
      seconds: 4,
    });
  });

  it('counts letters and capitals as the Unicode classes do, an ASCII text without a regexp', () => {
    const byClasses = (text: string) => {
      const letters = text.replace(/[^\p{L}]/gu, '');
      return { letters: letters.length, capitals: letters.replace(/[^\p{Lu}]/gu, '').length };
    };
    const replace = vi.spyOn(String.prototype, 'replace');
    for (const text of ['', 'BUY NOW!!! @ [] ` { 90% OFF', 'Hello, World: 42 _ ~ \n\t', '\x00\x7f AZaz@[`{']) {
      expect(lettersOf(text)).toEqual(byClasses(text));
    }
    // Only the definition above replaced anything: the ASCII texts were counted by their codes.
    expect(replace).toHaveBeenCalledTimes(8);
    replace.mockRestore();
    for (const text of [
      'ÇA VA TRÈS BIEN',
      'Ελληνικά ΚΕΦΑΛΑΙΑ',
      '𝐀𝐁𝐂 astral ΣΣ',
      'ǅungla ǈ',
      '漢字 ＡＢＣ ｄｅｆ',
      'x\u00a0Y',
    ]) {
      expect(lettersOf(text)).toEqual(byClasses(text));
    }
  });
});

describe('wordsFound', () => {
  it('matches whole words and phrases in spaced scripts, substrings in unspaced ones', () => {
    expect(wordsFound('A first-class answer', ['ass', 'class'])).toEqual(['class']);
    expect(wordsFound('Cheap Pills here', ['cheap pills'])).toEqual(['cheap pills']);
    expect(wordsFound('казино рядом', ['казино'])).toEqual(['казино']);
    expect(wordsFound('ខ្ញុំចូលចិត្តឆ្នោត', ['ឆ្នោត'])).toEqual(['ឆ្នោត']);
    expect(wordsFound('(a+b)', ['a+b'])).toEqual(['a+b']);
  });

  it('finds the same with a finder built once', () => {
    const find = wordFinder(['ass', 'class', 'ឆ្នោត']);
    expect(find('A first-class ឆ្នោត')).toEqual(['class', 'ឆ្នោត']);
    const phrases = wordFinder(['online casino', 'nhà cái', 'casino']);
    // Phrases across punctuation and case, accents however they were typed, in list order.
    expect(phrases('Best ONLINE-Casino here')).toEqual(['online casino', 'casino']);
    expect(phrases('Nha\u0300 ca\u0301i uy tín')).toEqual(['nhà cái']);
    expect(phrases('casinos and onlinecasino')).toEqual([]);
  });
});
