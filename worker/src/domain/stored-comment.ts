/**
 * A comment as the Worker stores it (private: email, token hash) and the public view of it the API returns.
 * Every change to a comment is a function here from one record to the next.
 */
import type { CommentStatus, PublicComment } from '@sala/protocol';
import type { NewCommentInput } from './comment-input.js';

/** Moderation state. Only 'approved' is written today; moderation adds 'pending' and 'spam' without a migration. */
export type ModerationStatus = CommentStatus | 'spam';

export interface StoredComment {
  id: string;
  pageId: string;
  parentId: string | null;
  status: ModerationStatus;
  author: {
    name: string;
    /** Private: never leaves the Worker. */
    email?: string;
    website?: string;
    avatar: string;
  };
  body: string;
  createdAt: string;
  editedAt?: string;
  /** Set when the commenter deleted it; name, email, website and body are gone by then. */
  deletedAt?: string;
  /** SHA-256 of the edit token, hex; empty once the comment is deleted. */
  tokenHash: string;
}

/** What the comment's creation needs beyond the validated input; made by the caller (ids, time, secrets). */
export interface NewCommentFacts {
  id: string;
  now: Date;
  avatar: string;
  tokenHash: string;
}

export function newComment(input: NewCommentInput, facts: NewCommentFacts): StoredComment {
  const author: StoredComment['author'] = { name: input.name, avatar: facts.avatar };
  if (input.email !== null) author.email = input.email;
  if (input.website !== null) author.website = input.website;
  return {
    id: facts.id,
    pageId: input.pageId,
    parentId: input.parentId,
    status: 'approved', // no moderation yet
    author,
    body: input.body,
    createdAt: facts.now.toISOString(),
    tokenHash: facts.tokenHash,
  };
}

/** Shown in the thread as itself: approved and not deleted. */
export function isVisible(comment: StoredComment): boolean {
  return comment.status === 'approved' && comment.deletedAt === undefined;
}

export function withEditedBody(comment: StoredComment, body: string, now: Date): StoredComment {
  return { ...comment, body, editedAt: now.toISOString() };
}

/** The commenter asked for it to be gone: keep only what places replies in the thread. */
export function erased(comment: StoredComment, now: Date): StoredComment {
  return {
    id: comment.id,
    pageId: comment.pageId,
    parentId: comment.parentId,
    status: comment.status,
    author: { name: '', avatar: '' },
    body: '',
    createdAt: comment.createdAt,
    deletedAt: now.toISOString(),
    tokenHash: '',
  };
}

/** What anyone may see of a visible comment. Never the email. */
export function toPublicComment(comment: StoredComment): PublicComment {
  const { name, website, avatar } = comment.author;
  const view: PublicComment = {
    id: comment.id,
    parentId: comment.parentId,
    author: website !== undefined ? { name, website, avatar } : { name, avatar },
    body: comment.body,
    createdAt: comment.createdAt,
  };
  if (comment.editedAt !== undefined) view.editedAt = comment.editedAt;
  return view;
}

/** The blank stand-in for a comment that is not shown but still has replies hanging from it. */
export function toPlaceholder(comment: StoredComment): PublicComment {
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
  if (comment.status === 'pending') view.status = 'pending';
  return view;
}
