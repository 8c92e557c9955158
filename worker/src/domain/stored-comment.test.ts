/**
 * The owner's decision applied to a comment its author also writes: the merge every reader of a comment gets. Then
 * what a new comment is made with: its edit token, its edit window and its author's avatar seed.
 */
import { LIMITS } from '@sala/protocol';
import { describe, expect, it } from 'vitest';
import { avatarSeed, ownerAvatarSeed } from './avatar.js';
import { newCommentId } from './comment-id.js';
import { bearerToken, editTokenMatches, hashEditToken, newEditToken } from './edit-token.js';
import { editableUntil, editWindowSeconds } from './edit-window.js';
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

describe('edit tokens', () => {
  it('match only the token whose hash was stored', async () => {
    const token = newEditToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await hashEditToken(token);
    expect(stored).not.toContain(token);
    expect(await editTokenMatches(token, stored)).toBe(true);
    expect(await editTokenMatches(newEditToken(), stored)).toBe(false);
    expect(await editTokenMatches(stored, stored)).toBe(false);
    expect(await editTokenMatches(token, '')).toBe(false);
  });

  it('are read from a Bearer header only', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer ')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});

describe('edit window', () => {
  it('uses EDIT_WINDOW_SECONDS when it is a positive whole number, else the shared default', () => {
    expect(editWindowSeconds('60')).toBe(60);
    for (const unusable of [undefined, '', '0', '-5', '1.5', 'soon']) {
      expect(editWindowSeconds(unusable)).toBe(LIMITS.editWindowSeconds);
    }
  });

  it('ends that many seconds after the comment was posted', () => {
    expect(editableUntil('2026-11-20T10:00:00.000Z', 900).toISOString()).toBe('2026-11-20T10:15:00.000Z');
  });
});

describe('avatarSeed', () => {
  it('is stable per email whatever its case, differs per secret, and never shows the email', async () => {
    const seed = await avatarSeed('s1', { name: 'Dara', email: 'Dara@Example.com' });
    expect(seed).toMatch(/^[0-9a-f]{16}$/);
    expect(await avatarSeed('s1', { name: 'Someone else', email: 'dara@example.com' })).toBe(seed);
    expect(await avatarSeed('s2', { name: 'Dara', email: 'dara@example.com' })).not.toBe(seed);
  });

  it('falls back to the name when there is no email', async () => {
    const byName = await avatarSeed('s1', { name: 'Dara', email: null });
    expect(byName).toBe(await avatarSeed('s1', { name: 'Dara', email: null }));
    expect(byName).not.toBe(await avatarSeed('s1', { name: 'Sok', email: null }));
  });

  it("gives no commenter the owner's avatar, whatever name they pick", async () => {
    const owner = await ownerAvatarSeed('s1', 'demo');
    expect(await avatarSeed('s1', { name: 'owner:demo', email: null })).not.toBe(owner);
    expect(await ownerAvatarSeed('s1', 'demo')).toBe(owner);
  });
});
