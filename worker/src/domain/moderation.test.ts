import type { SiteSettings } from '@sala/protocol';
import { describe, expect, it } from 'vitest';
import { applyModeration, decideNewComment, wordsFound } from './moderation.js';
import { defaultSiteSettings } from './site-settings.js';
import { newComment } from './stored-comment.js';

const settings = (change: Partial<SiteSettings> = {}): SiteSettings => ({ ...defaultSiteSettings('Blog'), ...change });
const calm = { score: 0, reasons: [] };

describe('wordsFound', () => {
  it('matches whole words and phrases in spaced scripts, substrings in unspaced ones', () => {
    expect(wordsFound('A first-class answer', ['ass', 'class'])).toEqual(['class']);
    expect(wordsFound('Cheap Pills here', ['cheap pills'])).toEqual(['cheap pills']);
    expect(wordsFound('казино рядом', ['казино'])).toEqual(['казино']);
    expect(wordsFound('ខ្ញុំចូលចិត្តឆ្នោត', ['ឆ្នោត'])).toEqual(['ឆ្នោត']);
    expect(wordsFound('(a+b)', ['a+b'])).toEqual(['a+b']);
  });
});

describe('decideNewComment', () => {
  const facts = { spam: calm, linkCount: 0, holdWords: [], knownCommenter: false };

  it('follows each mode', () => {
    expect(decideNewComment({ ...facts, settings: settings() }).status).toBe('approved');
    expect(decideNewComment({ ...facts, settings: settings({ moderation: 'hold-all' }) }).status).toBe('pending');
    expect(decideNewComment({ ...facts, settings: settings({ moderation: 'hold-first-time' }) }).status).toBe(
      'pending',
    );
    expect(
      decideNewComment({ ...facts, knownCommenter: true, settings: settings({ moderation: 'hold-first-time' }) })
        .status,
    ).toBe('approved');
    expect(decideNewComment({ ...facts, settings: settings({ moderation: 'hold-links' }) }).status).toBe('approved');
    expect(decideNewComment({ ...facts, linkCount: 1, settings: settings({ moderation: 'hold-links' }) }).status).toBe(
      'pending',
    );
    expect(
      decideNewComment({
        ...facts,
        linkCount: 1,
        knownCommenter: true,
        settings: settings({ moderation: 'hold-links' }),
      }).status,
    ).toBe('approved');
    expect(
      decideNewComment({ ...facts, knownCommenter: true, settings: settings({ moderation: 'hold-all' }) }).status,
    ).toBe('pending');
  });

  it('holds for hold words and a middling score, files a high score as spam, in every mode', () => {
    expect(decideNewComment({ ...facts, holdWords: ['casino'], settings: settings() })).toEqual({
      status: 'pending',
      heldBecause: ['contains “casino”'],
    });
    expect(decideNewComment({ ...facts, spam: { score: 3, reasons: [] }, settings: settings() }).status).toBe(
      'pending',
    );
    expect(decideNewComment({ ...facts, spam: { score: 6, reasons: [] }, settings: settings() }).status).toBe('spam');
  });
});

describe('applyModeration', () => {
  const comment = newComment(
    { pageId: 'p', parentId: null, name: 'Dara', email: 'd@example.com', website: null, body: 'hi' },
    { id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', now: new Date(), avatar: 'a', tokenHash: 'h', status: 'pending' },
  );

  it('sets the status, pins and unpins, and erases on delete', () => {
    expect(applyModeration(comment, 'approve', new Date()).status).toBe('approved');
    expect(applyModeration(comment, 'spam', new Date()).status).toBe('spam');
    expect(applyModeration(applyModeration(comment, 'pin', new Date()), 'unpin', new Date())).toEqual(comment);
    const deleted = applyModeration(comment, 'delete', new Date());
    expect(deleted.body).toBe('');
    expect(JSON.stringify(deleted)).not.toContain('d@example.com');
    expect(() => applyModeration(deleted, 'approve', new Date())).toThrow(/deleted/);
  });
});
