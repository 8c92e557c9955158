/**
 * Moderation decisions, pure: which status a new comment gets under a site's settings, whether its words are
 * refused or held, and what each of the owner's actions does to a stored comment.
 */
import type { HoldReason, ModerationAction, SiteSettings, SpamAssessment } from '@sala/protocol';
import { assessSpam, countLinks, HOLD_SCORE, SPAM_SCORE, type SpamSignals } from './spam.js';
import { erased, type ModerationStatus, type StoredComment } from './stored-comment.js';
import { wordsFound } from './words.js';

export interface NewCommentFacts {
  settings: SiteSettings;
  spam: SpamAssessment;
  linkCount: number;
  /** Hold words found in the comment. */
  holdWords: string[];
  knownCommenter: boolean;
}

export interface Decision {
  status: Extract<ModerationStatus, 'approved' | 'pending' | 'spam'>;
  /** Why it is not simply approved. */
  heldBecause: HoldReason[];
}

/** The status a new comment that passed the refusals (bans, closed, words, links, duplicates) starts in. */
export function decideNewComment(facts: NewCommentFacts): Decision {
  const { settings, spam, linkCount, holdWords, knownCommenter } = facts;
  if (spam.score >= SPAM_SCORE) return { status: 'spam', heldBecause: [{ code: 'spam-score', score: spam.score }] };

  const reasons: HoldReason[] = [];
  if (settings.moderation === 'hold-all') reasons.push({ code: 'hold-all' });
  if (settings.moderation === 'hold-first-time' && !knownCommenter) reasons.push({ code: 'first-time' });
  if (settings.moderation === 'hold-links' && linkCount > 0 && !knownCommenter) reasons.push({ code: 'has-link' });
  for (const word of holdWords) reasons.push({ code: 'hold-word', word });
  if (spam.score >= HOLD_SCORE) reasons.push({ code: 'spam-score', score: spam.score });
  return reasons.length > 0 ? { status: 'pending', heldBecause: reasons } : { status: 'approved', heldBecause: [] };
}

/**
 * The whole decision on a new comment that passed the refusals, from what it says and who sent it: its spam
 * score and the site's rules. The POST route decides with this (after any Turnstile check), and the spam corpus
 * test measures it.
 */
export function judgeNewComment(settings: SiteSettings, signals: SpamSignals): Decision & { spam: SpamAssessment } {
  const spam = assessSpam(signals);
  const everything = [signals.name, signals.body, signals.website ?? ''].join('\n');
  const decision = decideNewComment({
    settings,
    spam,
    linkCount: countLinks(signals.body),
    holdWords: wordsFound(everything, settings.holdWords),
    knownCommenter: signals.knownCommenter,
  });
  return { ...decision, spam };
}

/**
 * Why an edit sends a published comment back to the queue: the hold rules a new comment meets, applied to what
 * the edit brings in, so nobody posts a clean comment and edits links or held words into it once it is public.
 * Empty: the edit is published as the comment was.
 */
export function editHolds(
  settings: SiteSettings,
  before: string,
  after: string,
  linksBefore: number,
  linksAfter: number,
  author?: EditAuthor,
): HoldReason[] {
  const reasons: HoldReason[] = [];
  if (settings.moderation === 'hold-all') reasons.push({ code: 'hold-all' });
  if (settings.moderation === 'hold-links' && linksAfter > linksBefore) reasons.push({ code: 'edit-added-link' });
  const wordsBefore = new Set(wordsFound(before, settings.holdWords));
  for (const word of wordsFound(after, settings.holdWords))
    if (!wordsBefore.has(word)) reasons.push({ code: 'hold-word', word });
  if (author !== undefined) {
    const held = editSpamScore(author, before, after);
    if (held !== null) reasons.push({ code: 'spam-score', score: held });
  }
  return reasons;
}

/** Who wrote an edited comment, as its spam score reads them: the same for its text before and after the edit. */
export interface EditAuthor {
  name: string;
  website: string | null;
  knownCommenter: boolean;
}

/** Time enough to type any comment: an edit's timing is not measured, and must neither add nor take points. */
const EDIT_TYPING_MS = 60 * 60 * 1000;

/**
 * The score of the edited text when the edit raised it to what holds a new comment, else null: a clean comment,
 * published, then edited into spam ("bait and switch") goes back to the queue, and an edit of a comment that
 * already scored that much (and was shown anyway, by the owner) does not.
 */
export function editSpamScore(author: EditAuthor, before: string, after: string): number | null {
  const score = (body: string) => assessSpam({ ...author, body, elapsedMs: EDIT_TYPING_MS }).score;
  const scoreAfter = score(after);
  return scoreAfter >= HOLD_SCORE && scoreAfter > score(before) ? scoreAfter : null;
}

/** A failed action on one comment, reported beside the others' results. */
export class ActionRefused extends Error {
  override readonly name = 'ActionRefused';
  constructor(
    readonly code: 'not_found' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

/** The comment after the owner's `action`; throws ActionRefused when the action cannot apply. */
export function applyModeration(comment: StoredComment, action: ModerationAction, now: Date): StoredComment {
  if (comment.deletedAt !== undefined) throw new ActionRefused('not_found', 'This comment was deleted.');
  switch (action) {
    case 'approve':
      return { ...comment, status: 'approved' };
    case 'reject':
      return { ...comment, status: 'rejected' };
    case 'spam':
      return { ...comment, status: 'spam' };
    case 'delete':
      return erased(comment, now);
    case 'pin':
      if (comment.parentId !== null) throw new ActionRefused('conflict', 'Only top-level comments can be pinned.');
      return { ...comment, pinned: true };
    case 'unpin': {
      const { pinned: _pinned, ...unpinned } = comment;
      return unpinned;
    }
  }
}
