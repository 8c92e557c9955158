import { describe, expect, it } from 'vitest';
import { assessSpam, countLinks, readSpamFields, type SpamSignals } from './spam.js';

const person: SpamSignals = {
  body: 'I tried this recipe last night and it worked well.',
  name: 'Dara',
  website: null,
  linkCount: 0,
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
      linkCount: 2,
      elapsedMs: null,
    });
    expect(bot.reasons.map((reason) => reason.code)).toEqual([
      'links',
      'link-only',
      'name-link',
      'website-and-links',
      'no-timing',
    ]);
    expect(bot.score).toBe(1 + 2 + 3 + 1 + 2);
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
    expect(assessSpam({ ...person, body: 'x'.repeat(400), elapsedMs: 4000 }).reasons[0]?.code).toBe('fast-typing');
  });
});
