/**
 * Moderation decisions, pure: which status a new comment gets under a site's settings, whether its words are
 * refused or held, and what each of the owner's actions does to a stored comment.
 */
import type { ModerationAction, SiteSettings, SpamAssessment } from '@sala/protocol';
import { HOLD_SCORE, SPAM_SCORE } from './spam.js';
import { erased, type ModerationStatus, type StoredComment } from './stored-comment.js';

/** Latin, Cyrillic, Greek... are written with spaces between words; Khmer, Thai, Chinese... are not. */
const SPACED_SCRIPTS = /^[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{N}\s'’-]+$/u;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The listed words or phrases that occur in `text`, ignoring case: as whole words where the word's script puts
 * spaces between words ("ass" does not match "class"), as plain substrings where it does not.
 */
export function wordsFound(text: string, words: readonly string[]): string[] {
  const haystack = text.toLowerCase();
  return words.filter((word) => {
    const needle = word.toLowerCase();
    if (needle === '') return false;
    if (!SPACED_SCRIPTS.test(needle)) return haystack.includes(needle);
    return new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(needle)}(?![\\p{L}\\p{N}])`, 'u').test(haystack);
  });
}

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
  /** Why it is not simply approved, in the owner's words. */
  heldBecause: string[];
}

/** The status a new comment that passed the refusals (bans, closed, words, links, duplicates) starts in. */
export function decideNewComment(facts: NewCommentFacts): Decision {
  const { settings, spam, linkCount, holdWords, knownCommenter } = facts;
  if (spam.score >= SPAM_SCORE) return { status: 'spam', heldBecause: [`spam score ${spam.score}`] };

  const reasons: string[] = [];
  if (settings.moderation === 'hold-all') reasons.push('the site holds every comment');
  if (settings.moderation === 'hold-first-time' && !knownCommenter) reasons.push('first-time commenter');
  if (settings.moderation === 'hold-links' && linkCount > 0 && !knownCommenter) reasons.push('contains a link');
  for (const word of holdWords) reasons.push(`contains “${word}”`);
  if (spam.score >= HOLD_SCORE) reasons.push(`spam score ${spam.score}`);
  return reasons.length > 0 ? { status: 'pending', heldBecause: reasons } : { status: 'approved', heldBecause: [] };
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
): string[] {
  const reasons: string[] = [];
  if (settings.moderation === 'hold-all') reasons.push('the site holds every comment');
  if (settings.moderation === 'hold-links' && linksAfter > linksBefore) reasons.push('an edit added a link');
  const wordsBefore = new Set(wordsFound(before, settings.holdWords));
  for (const word of wordsFound(after, settings.holdWords))
    if (!wordsBefore.has(word)) reasons.push(`contains “${word}”`);
  return reasons;
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
