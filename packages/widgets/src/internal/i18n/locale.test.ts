import { describe, expect, it } from 'vitest';
import { enForm } from './en-form.js';
import { enLists } from './en-lists.js';
import { enPosting } from './en-posting.js';
import { en } from './en.js';
import { km } from './km.js';
import { Translator } from './locale.js';

const now = Date.parse('2026-11-27T12:00:00Z');
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

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

  it('has every string in Khmer', () => {
    const english: Record<string, string> = { ...en, ...enForm, ...enPosting, ...enLists };
    expect(Object.keys(km).sort()).toEqual(Object.keys(english).sort());
    const untranslated = Object.entries(km).filter(([key, value]) => value === english[key]);
    expect(untranslated).toEqual([]);
  });
});
