/** The owner's decision applied to a comment its author also writes: the merge every reader of a comment gets. */
import { describe, expect, it } from 'vitest';
import { newCommentId } from './comment-id.js';
import { applyModeration } from './moderation.js';
import {
  newComment,
  ownerDecision,
  toPlaceholder,
  toPublicComment,
  withEditedBody,
  withOwnerDecision,
  type StoredComment,
} from './stored-comment.js';

const POSTED = new Date('2026-11-20T10:00:00.000Z');
const LATER = new Date('2026-11-20T10:05:00.000Z');

function posted(status: StoredComment['status'] = 'approved'): StoredComment {
  return newComment(
    { pageId: 'post-1', parentId: null, name: 'Dara', email: 'dara@example.com', website: null, body: 'First text' },
    { id: newCommentId(POSTED.getTime()), now: POSTED, avatar: 'a'.repeat(16), tokenHash: 'h', status },
  );
}

/** The owner's `action` on `seen`, as the decision key stores it. */
function decide(seen: StoredComment, action: Parameters<typeof applyModeration>[1]) {
  return ownerDecision(applyModeration(seen, action, LATER), LATER);
}

describe('withOwnerDecision', () => {
  it('leaves a comment the owner never decided on as its author stored it', () => {
    const comment = posted('pending');
    expect(withOwnerDecision(comment, null)).toBe(comment);
  });

  it("takes status and pin from the decision, whatever the author's copy says", () => {
    const original = posted();
    const spam = decide(original, 'spam');
    const editedFromStaleCopy = withEditedBody(original, 'Edited text', LATER);
    expect(withOwnerDecision(editedFromStaleCopy, spam)).toMatchObject({ status: 'spam', body: 'Edited text' });

    const pinned = decide(original, 'pin');
    expect(withOwnerDecision(editedFromStaleCopy, pinned).pinned).toBe(true);
    const unpinned = decide({ ...original, pinned: true }, 'unpin');
    expect(withOwnerDecision({ ...editedFromStaleCopy, pinned: true }, unpinned).pinned).toBeUndefined();
  });

  it("erases the comment the owner deleted, even when the author's copy still has the text", () => {
    const original = posted();
    const merged = withOwnerDecision(withEditedBody(original, 'Back again', LATER), decide(original, 'delete'));
    expect(merged).toMatchObject({ body: '', author: { name: '', avatar: '' }, tokenHash: '' });
    expect(merged.deletedAt).toBe(LATER.toISOString());
    expect(merged.author.email).toBeUndefined();
  });

  it('keeps an edit the screening held pending until the owner approves that text', () => {
    const original = posted('pending');
    const approved = decide(original, 'approve');
    const heldEdit: StoredComment = { ...withEditedBody(original, 'A link now', LATER), editHeld: true };
    expect(withOwnerDecision(heldEdit, approved).status).toBe('pending');
    // An edit that was not held stays approved.
    expect(withOwnerDecision(withEditedBody(original, 'Typo fixed', LATER), approved).status).toBe('approved');
    // Approved again, now that the owner saw the held text.
    const merged = withOwnerDecision(heldEdit, approved);
    expect(withOwnerDecision(heldEdit, decide(merged, 'approve')).status).toBe('approved');
  });
});

describe('toPublicComment', () => {
  it('sends the text parsed as well as typed, so a browser renders it without the parser', () => {
    const comment = withEditedBody(posted(), 'Hello **you**\n\n> quoted\n\n1. [a link](https://example.com/x)', LATER);
    const view = toPublicComment(comment);
    expect(view.body).toBe(comment.body);
    expect(view.parsed).toEqual([
      ['p', 'Hello ', ['strong', 'you']],
      ['quote', 'quoted'],
      ['ol', 1, [['p', ['a', 'https://example.com/x', 'a link']]]],
    ]);
    expect(toPublicComment(posted()).parsed).toEqual(['First text']);
    expect(toPlaceholder(comment).parsed).toBeUndefined();
  });
});

describe('newComment', () => {
  it('keeps the language of its mails only when it asks for them, and shows it to no one', () => {
    const input = {
      pageId: 'post-1',
      parentId: null,
      name: 'Dara',
      email: 'dara@example.com',
      website: null,
      body: 'Hi',
    };
    const facts = { id: newCommentId(POSTED.getTime()), now: POSTED, avatar: 'a'.repeat(16), tokenHash: 'h' };
    const asking = newComment(input, { ...facts, notifyReplies: true, lang: 'km' });
    const notAsking = newComment(input, { ...facts, lang: 'km' });
    const noEmail = newComment({ ...input, email: null }, { ...facts, notifyReplies: true, lang: 'km' });
    expect([asking.lang, notAsking.lang, noEmail.lang]).toEqual(['km', undefined, undefined]);
    expect(toPublicComment(asking)).not.toHaveProperty('lang');
  });
});
