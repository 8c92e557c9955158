import { describe, expect, it } from 'vitest';
import { MAIL_STRINGS, OWNER_MAIL_STRINGS } from '../routes/email-mail-strings.js';
import { heldCommentMail, replyMail } from './email-messages.js';

/** A name stored before names were checked for bidi controls (or imported): U+202E reverses what follows it. */
const REVERSING = 'Dara\u202e';

describe('mails naming a commenter', () => {
  it('leave out bidi controls of an old name, so the rest of the subject and line reads as written', () => {
    const comment = { author: REVERSING, body: 'Hello', pageId: 'https://blog.example.com/walk', reasons: [] };
    const links = {
      approve: 'https://sala.example/a',
      reject: 'https://sala.example/r',
      admin: 'https://sala.example/',
    };
    const held = heldCommentMail('owner@example.com', 'Blog', comment, links, OWNER_MAIL_STRINGS.en);
    const reply = replyMail('dara@example.com', 'Blog', comment, comment, 'https://sala.example/u', MAIL_STRINGS.en);
    expect(held.subject).toBe('[Blog] Comment awaiting moderation from Dara');
    expect(held.text.split('\n')[0]).toBe('Dara commented on https://blog.example.com/walk');
    expect(reply.subject).toBe('[Blog] Dara replied to your comment');
    expect(reply.text.split('\n')[0]).toBe('Dara replied to your comment on https://blog.example.com/walk');
  });

  it('keep a right-to-left name and its marks', () => {
    const comment = { author: 'دارا\u200f', body: 'سلام', pageId: 'post-1' };
    expect(
      replyMail('a@example.com', 'Blog', comment, comment, 'https://sala.example/u', MAIL_STRINGS.en).subject,
    ).toBe('[Blog] دارا\u200f replied to your comment');
  });
});
