/** Wire types of the public API (`/api/v1`). Nothing here may carry an email or an IP address. */

export type CommentStatus = 'approved' | 'pending';
export type ThreadSort = 'oldest' | 'newest';

export interface PublicAuthor {
  name: string;
  /** http(s) URL the commenter gave, already validated. */
  website?: string;
  /** Irreversible seed for the locally drawn avatar. */
  avatar: string;
}

export interface PublicComment {
  id: string;
  parentId: string | null;
  author: PublicAuthor;
  /** The Markdown-subset source as typed; render it through the parser, never as HTML. */
  body: string;
  /** ISO 8601. */
  createdAt: string;
  editedAt?: string;
  /** A removed comment kept as a placeholder because replies hang from it; body and author are blank. */
  deleted?: boolean;
  /** Present only in the author's own create/edit responses while the comment waits for moderation. */
  status?: CommentStatus;
}

/** GET /api/v1/comments?site&page&sort&cursor&limit */
export interface ThreadResponse {
  pageId: string;
  sort: ThreadSort;
  /** All visible comments on the page, replies included. */
  total: number;
  /** Top-level comments of this page of the thread, each followed by its replies (parents before children). */
  comments: PublicComment[];
  /** Pass back as `cursor` to get the next top-level comments; null at the end. */
  nextCursor: string | null;
}

/** POST /api/v1/comments?site */
export interface CreateCommentRequest {
  page: string;
  parentId?: string | null;
  name: string;
  email?: string;
  website?: string;
  body: string;
}

export interface CreateCommentResponse {
  comment: PublicComment;
  /** Secret that lets this browser edit or delete the comment until `editableUntil`. Shown once. */
  editToken: string;
  editableUntil: string;
}

/** PATCH /api/v1/comments/:id?site with `Authorization: Bearer <editToken>` */
export interface EditCommentRequest {
  page: string;
  body: string;
}

export interface EditCommentResponse {
  comment: PublicComment;
}

/** GET /api/v1/counts?site&page=a&page=b: keyed by each page id exactly as sent. */
export interface CountsResponse {
  counts: Record<string, number>;
}
