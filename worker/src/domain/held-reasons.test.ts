import { describe, expect, it } from 'vitest';
import { toAdminComment } from './admin-comment.js';
import { OWNER_MAIL_STRINGS } from '../routes/email-mail-strings.js';
import { heldReasonLines, heldReasonLinesIn } from './held-reasons.js';
import { newComment, type StoredComment } from './stored-comment.js';

const stored: StoredComment = newComment(
  { pageId: 'https://blog.example/p', parentId: null, name: 'Bot', email: null, website: null, body: 'hi' },
  { id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', now: new Date(), avatar: 'a', tokenHash: 'h', status: 'pending' },
);

describe('reasons stored before they were codes', () => {
  it('reads the old English back into codes, and keeps what it cannot read as a note', () => {
    const legacy: StoredComment = {
      ...stored,
      heldBecause: ['first-time commenter', 'contains “casino”', 'spam score 4', 'moderation: hold-all'],
      spam: {
        score: 4,
        reasons: [
          { code: 'links', points: 2, detail: '3 links' },
          { code: 'no-timing', points: 2, detail: 'sent without the form’s timing (not from the widget?)' },
          { code: 'fast-typing', points: 1, detail: '900 characters in 3 s' },
          { code: 'retired-signal', points: -1, detail: 'a reason nobody writes any more' },
        ],
      },
    };
    const view = toAdminComment(legacy);
    expect(view.heldBecause).toEqual([
      { code: 'first-time' },
      { code: 'hold-word', word: 'casino' },
      { code: 'spam-score', score: 4 },
      { code: 'note', text: 'moderation: hold-all' },
    ]);
    expect(view.spam).toEqual({
      score: 4,
      reasons: [
        { code: 'links', points: 2, count: 3 },
        { code: 'no-timing', points: 2 },
        { code: 'fast-typing', points: 1, characters: 900, seconds: 3 },
        { code: 'note', points: -1, text: 'a reason nobody writes any more' },
      ],
    });
  });

  it('passes codes through as stored', () => {
    const coded: StoredComment = {
      ...stored,
      heldBecause: [{ code: 'spam-score', score: 5 }],
      spam: { score: 5, reasons: [{ code: 'spam-words', points: 5, words: ['viagra'] }] },
    };
    expect(toAdminComment(coded)).toMatchObject({ heldBecause: coded.heldBecause, spam: coded.spam });
  });
});

describe('heldReasonLines', () => {
  it('writes every reason in English, with the points of each part of the score', () => {
    expect(
      heldReasonLines([{ code: 'first-time' }, { code: 'spam-score', score: 5 }], {
        score: 5,
        reasons: [
          { code: 'spam-words', points: 3, words: ['casino', 'pills'] },
          { code: 'first-time-links', points: 1, count: 3 },
          { code: 'odd-links', points: 2, hosts: ['bit.ly'] },
          { code: 'known-commenter', points: -3 },
        ],
      }),
    ).toEqual([
      'first-time commenter',
      'spam score 5',
      'spam words: “casino”, “pills” (+3)',
      '3 links from a first-time commenter (+1)',
      'links to shorteners or spam-prone domains (bit.ly) (+2)',
      'has had a comment approved before (-3)',
    ]);
  });
});

describe('heldReasonLinesIn', () => {
  it('writes every reason in the owner’s language, as the admin page does, with the same points', () => {
    expect(
      heldReasonLinesIn(
        OWNER_MAIL_STRINGS.ja.reasons!,
        [{ code: 'first-time' }, { code: 'hold-word', word: 'casino' }],
        {
          score: 5,
          reasons: [
            { code: 'spam-words', points: 3, words: ['casino', 'pills'] },
            { code: 'first-time-links', points: 1, count: 1 },
            { code: 'fast-typing', points: 2, characters: 900, seconds: 2 },
            { code: 'known-commenter', points: -3 },
          ],
        },
      ),
    ).toEqual([
      '初めてのコメント投稿者',
      '「casino」を含む',
      'スパムの語句: “casino”, “pills” (+3)',
      '初めての投稿者からのリンク 1 件 (+1)',
      '2 秒で 900 文字 (+2)',
      '以前に承認されたコメントあり (-3)',
    ]);
  });
});
