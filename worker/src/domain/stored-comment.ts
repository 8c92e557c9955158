/**
 * A comment as the Worker stores it (private: email, token hash) and the public view of it the API returns.
 * Every change to a comment is a function here from one record to the next.
 */
import {
  packMarkdown,
  type CommentStatus,
  type HoldReason,
  type PublicComment,
  type SpamAssessment,
} from '@sala/protocol';
import type { NewCommentInput } from './comment-input.js';
import type { StoredHoldReason, StoredSpamAssessment } from './held-reasons.js';

/** Moderation state; only 'approved' comments are public. 'spam' and 'rejected' are kept for the owner to review. */
export type ModerationStatus = CommentStatus | 'spam' | 'rejected';

export interface StoredComment {
  id: string;
  pageId: string;
  /** The page's address as a link (keeps `.html`), when the POST sent one for this page; older comments lack it. */
  pageUrl?: string;
  parentId: string | null;
  status: ModerationStatus;
  author: {
    name: string;
    /** Private: never leaves the Worker. */
    email?: string;
    website?: string;
    avatar: string;
    /** Written by the site's owner from the admin API. */
    owner?: true;
  };
  body: string;
  createdAt: string;
  /** Pinned by the owner: served before the other top-level comments. */
  pinned?: true;
  /** Salted hash of the commenter's IP address (never the address), for bans. */
  ipHash?: string;
  /** Keyed hash of the commenter key its browser sent (never the key): approving it makes that browser known. */
  commenterHash?: string;
  /** The spam score and its reasons when the comment arrived (English reasons in comments stored before codes). */
  spam?: StoredSpamAssessment;
  /** Why it was held or filed as spam, for the owner (English text in comments stored before codes). */
  heldBecause?: StoredHoldReason[];
  /** The commenter asked to be emailed about replies (sent once the address is confirmed). */
  notifyReplies?: true;
  /**
   * The language of those mails (email-mail-strings.ts): the widget's when the comment was sent. Only with
   * `notifyReplies`; never shown, nor exported (the export leaves out `notifyReplies` too).
   */
  lang?: string;
  editedAt?: string;
  /** How many times its author edited it (`LIMITS.editsPerComment`); counted in the edit's own write. */
  edits?: number;
  /** The commenter's latest edit was held by the edit screening: an approval of an earlier text does not cover it. */
  editHeld?: true;
  /** Set when the commenter deleted it; name, email, website and body are gone by then. */
  deletedAt?: string;
  /** SHA-256 of the edit token, hex; empty once the comment is deleted. */
  tokenHash: string;
  /**
   * Set by every write of the comment's key (storage/comments.ts), unique to that write and also in the key's
   * list metadata: the thread rebuild reuses its snapshot entry while the key still holds that write.
   */
  writeId?: string;
}

/** What the comment's creation needs beyond the validated input; made by the caller (ids, time, secrets). */
export interface NewCommentFacts {
  id: string;
  now: Date;
  avatar: string;
  tokenHash: string;
  /** What screening decided; 'approved' when absent. */
  status?: ModerationStatus;
  ipHash?: string;
  commenterHash?: string;
  spam?: SpamAssessment;
  heldBecause?: HoldReason[];
  notifyReplies?: boolean;
  /** The language its mails should speak, kept only with `notifyReplies`. */
  lang?: string | null;
}

export function newComment(input: NewCommentInput, facts: NewCommentFacts): StoredComment {
  const author: StoredComment['author'] = { name: input.name, avatar: facts.avatar };
  if (input.email !== null) author.email = input.email;
  if (input.website !== null) author.website = input.website;
  const comment: StoredComment = {
    id: facts.id,
    pageId: input.pageId,
    parentId: input.parentId,
    status: facts.status ?? 'approved',
    author,
    body: input.body,
    createdAt: facts.now.toISOString(),
    tokenHash: facts.tokenHash,
  };
  if (input.pageUrl) comment.pageUrl = input.pageUrl;
  if (facts.ipHash !== undefined) comment.ipHash = facts.ipHash;
  if (facts.commenterHash !== undefined) comment.commenterHash = facts.commenterHash;
  if (facts.spam !== undefined) comment.spam = facts.spam;
  if (facts.heldBecause !== undefined && facts.heldBecause.length > 0) comment.heldBecause = facts.heldBecause;
  if (facts.notifyReplies === true && comment.author.email !== undefined) {
    comment.notifyReplies = true;
    if (facts.lang) comment.lang = facts.lang;
  }
  return comment;
}

/** Shown in the thread as itself: approved and not deleted. */
export function isVisible(comment: StoredComment): boolean {
  return comment.status === 'approved' && comment.deletedAt === undefined;
}

export function withEditedBody(comment: StoredComment, body: string, now: Date): StoredComment {
  const { editHeld: _editHeld, ...unheld } = comment;
  return { ...unheld, body, editedAt: now.toISOString(), edits: (comment.edits ?? 0) + 1 };
}

/** Gone at the commenter's or the owner's request: keep only what places replies in the thread. */
export function erased(comment: StoredComment, now: Date): StoredComment {
  return {
    id: comment.id,
    pageId: comment.pageId,
    // The page's address, not the commenter's: the owner's list still links to where it was.
    ...(comment.pageUrl !== undefined ? { pageUrl: comment.pageUrl } : {}),
    parentId: comment.parentId,
    status: comment.status,
    author: { name: '', avatar: '' },
    body: '',
    createdAt: comment.createdAt,
    deletedAt: now.toISOString(),
    tokenHash: '',
  };
}

/**
 * The owner's latest decision on one comment, kept apart from the comment (which its author also writes) so
 * that neither write can undo the other: whatever order they land in, readers get the comment with this applied.
 */
export interface OwnerDecision {
  status: ModerationStatus;
  pinned: boolean;
  /** The owner deleted it. */
  deletedAt?: string;
  /** The `editedAt` of the text the owner decided on; absent: the text as first posted. */
  seenEdit?: string;
  decidedAt: string;
}

/** What the owner decided, read off the comment as the owner's action left it. */
export function ownerDecision(decided: StoredComment, now: Date): OwnerDecision {
  const decision: OwnerDecision = {
    status: decided.status,
    pinned: decided.pinned === true,
    decidedAt: now.toISOString(),
  };
  if (decided.deletedAt !== undefined) decision.deletedAt = decided.deletedAt;
  if (decided.editedAt !== undefined) decision.seenEdit = decided.editedAt;
  return decision;
}

/**
 * The comment as readers and the owner see it: its author's record with the owner's decision applied. An
 * approval covers the text the owner saw; a later edit that the edit screening held stays pending.
 */
export function withOwnerDecision(comment: StoredComment, decision: OwnerDecision | null): StoredComment {
  if (decision === null) return comment;
  if (decision.deletedAt !== undefined) {
    return comment.deletedAt !== undefined ? comment : erased(comment, new Date(decision.deletedAt));
  }
  const unseenHeldEdit = comment.editHeld === true && comment.editedAt !== decision.seenEdit;
  const status = decision.status === 'approved' && unseenHeldEdit ? 'pending' : decision.status;
  const { pinned: _pinned, ...decided } = comment;
  return decision.pinned ? { ...decided, status, pinned: true } : { ...decided, status };
}

/** What anyone may see of a visible comment. Never the email. */
export function toPublicComment(comment: StoredComment): PublicComment {
  const { name, website, avatar, owner } = comment.author;
  const view: PublicComment = {
    id: comment.id,
    parentId: comment.parentId,
    author: website !== undefined ? { name, website, avatar } : { name, avatar },
    body: comment.body,
    // Parsed here, where the snapshot is built (a rebuild reuses an unchanged comment's), so readers' browsers
    // need not download the parser.
    parsed: packMarkdown(comment.body),
    createdAt: comment.createdAt,
  };
  if (owner === true) view.author.owner = true;
  if (comment.editedAt !== undefined) view.editedAt = comment.editedAt;
  if (comment.pinned === true) view.pinned = true;
  return view;
}

/** The blank stand-in for a comment that is not shown but still has replies hanging from it. */
export function toPlaceholder(comment: Pick<StoredComment, 'id' | 'parentId' | 'createdAt'>): PublicComment {
  return {
    id: comment.id,
    parentId: comment.parentId,
    author: { name: '', avatar: '' },
    body: '',
    createdAt: comment.createdAt,
    deleted: true,
  };
}

/** The author's own view in create and edit responses: says so while the comment waits for moderation. */
export function toAuthorsView(comment: StoredComment): PublicComment {
  const view = toPublicComment(comment);
  // Spam and rejected look the same as pending to their author: telling a spammer the verdict helps them.
  if (comment.status !== 'approved') view.status = 'pending';
  return view;
}
