/** Wire types of the public API (`/api/v1`). Nothing here may carry an email or an IP address. */
import type { PackedBlock } from './markdown.js';

export type CommentStatus = 'approved' | 'pending';
export type ThreadSort = 'oldest' | 'newest';

export interface PublicAuthor {
  name: string;
  /** http(s) URL the commenter gave, already validated. */
  website?: string;
  /** Irreversible seed for the locally drawn avatar. */
  avatar: string;
  /** Written by the site's owner: show the owner badge. */
  owner?: boolean;
}

export interface PublicComment {
  id: string;
  parentId: string | null;
  author: PublicAuthor;
  /** The Markdown-subset source as typed; render it through the parser, never as HTML. */
  body: string;
  /**
   * `body` already parsed, in the compact shape of `PackedBlock` (markdown.ts), so a browser can render it without
   * the parser. Present on every shown comment from Workers since it was added; absent on placeholders and in
   * snapshots built before (parse `body` then). Links in it are checked again when rendered, like any input.
   */
  parsed?: PackedBlock[];
  /** ISO 8601. */
  createdAt: string;
  editedAt?: string;
  /** A removed comment kept as a placeholder because replies hang from it; body and author are blank. */
  deleted?: boolean;
  /** Present only in the author's own create/edit responses while the comment waits for moderation. */
  status?: CommentStatus;
  /** Pinned by the owner: served before the other top-level comments. */
  pinned?: boolean;
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
  /** The owner closed the thread: show the comments, hide the composer (a POST answers 403 `thread_closed`). */
  closed?: boolean;
  /** The site counts 1 in N views: send the view beacon with probability 1/N and `weight: N`. Absent: 1. */
  viewSample?: number;
  /**
   * The Worker mails replies to commenters who ask (`notifyReplies`): email is set up (`EMAIL_API_KEY` and
   * `EMAIL_FROM`). Absent: a comment asking for reply mails gets none, so a form should not offer them.
   */
  replyMails?: true;
}

/** POST /api/v1/comments?site */
export interface CreateCommentRequest {
  page: string;
  /**
   * The page's address as a link (`pageLink` of the URL the page id came from), kept where `page` drops it:
   * `https://x.blogspot.com/2026/11/walk.html` for the id `https://x.blogspot.com/2026/11/walk`. Mails, webhooks,
   * the admin page and recent comments link with it. Used only when `normalizePageId(pageUrl)` is the page id;
   * an address of another page is ignored (the comment is still saved), one that is not an http(s) URL up to
   * 2,048 characters is a 400 naming `pageUrl`.
   */
  pageUrl?: string;
  parentId?: string | null;
  name: string;
  email?: string;
  website?: string;
  body: string;
  /** Honeypot: the widget's hidden, unlabelled-for-humans field. Must be absent or empty. */
  hp?: string;
  /** Milliseconds from the composer first rendering to submit. Under 3,000 is refused; absent counts as risky. */
  elapsedMs?: number;
  /** Turnstile response token, sent again after a 403 `captcha_required`. */
  captchaToken?: string;
  /**
   * Email the commenter when someone replies (needs `email`). The first time on a site, the address gets a mail
   * with a confirmation link (double opt-in); every reply mail has an unsubscribe link.
   */
  notifyReplies?: boolean;
  /**
   * The language the widget showed its reader, a language tag (`km`, `pt-BR`): the mails the comment asks for
   * (`notifyReplies`: the confirmation, and the mails about replies to it) are in its language, the first subtag,
   * when that is one of the widget's (en, ar, de, es, fr, id, ja, km, pt, vi), else in English. Any other string is
   * ignored, not refused (a newer widget's language must not cost its reader the comment); one that is not a string
   * is a 400 naming `lang`. Kept only with a comment asking for mails, and never shown.
   */
  lang?: string;
  /**
   * A secret this browser made once and sends with every comment (22–64 characters of A–Z a–z 0–9 - _). Once a
   * comment sent with it is approved, the site treats its holder as a known commenter (no first-time or link
   * hold); the same name or email without it is a first-time commenter. Stored only as a keyed hash.
   */
  commenterKey?: string;
}

export interface CreateCommentResponse {
  comment: PublicComment;
  /** Secret that lets this browser edit or delete the comment until `editableUntil`. Shown once. */
  editToken: string;
  editableUntil: string;
  /**
   * Only when the comment asked for reply mails (`notifyReplies`, with `email` and `commenterKey`) and email is on:
   * `on` when this address was confirmed from this browser (its `commenterKey`), so replies will be mailed; `confirm`
   * when the address is sent (or was lately sent) a link to confirm first. Another browser's confirmation of the same
   * address counts for nothing here, so the answer tells nothing about an address beyond what its sender typed.
   */
  replyMail?: 'confirm' | 'on';
  /** See `RebuildPending`. */
  rebuild?: RebuildPending;
}

/**
 * The change is stored, but the page's snapshot, which other readers are served, is not rebuilt with it: the
 * request's invocation had no room for that (a new isolate's first change on a big thread). The browser that made the
 * change asks for the rebuild with `POST /api/v1/comments/rebuild?site&page&token` (`RebuildThreadResponse`), no body;
 * if nothing asks, the Worker's cron rebuilds the page within 10 minutes. Left out when the rebuild follows the change.
 */
export interface RebuildPending {
  /** Opaque, signed: asks for this page's rebuild with this change, for 15 minutes; the only way to ask. */
  token: string;
}

/**
 * POST /api/v1/comments/rebuild?site&page&token (`RebuildPending.token`): rebuilds the page's snapshot with the change
 * the token names and the others its dirty markers name, in an invocation of its own. `rebuilt`: false when the page
 * had no change to rebuild (the cron's repair rebuilt it already, or the rebuild failed, which that repair then does);
 * true once the snapshot has every change stored before the request. A missing or malformed token: 400
 * `invalid_field` (field `token`); one this server did not sign, of another page, or expired: 403 `invalid_token`.
 */
export interface RebuildThreadResponse {
  rebuilt: boolean;
}

/** PATCH /api/v1/comments/:id?site with `Authorization: Bearer <editToken>` */
export interface EditCommentRequest {
  page: string;
  body: string;
}

export interface EditCommentResponse {
  comment: PublicComment;
  /** As a new comment's (`CreateCommentResponse.rebuild`). */
  rebuild?: RebuildPending;
}

export interface DeleteCommentResponse {
  /**
   * Whether the page's count held the comment (it was shown) as it was deleted: its author's browser, which may still
   * think it held for moderation (the owner approved it since), takes it off a count written before (`age`).
   */
  counted: boolean;
}

/** GET /api/v1/counts?site&page=a&page=b&newest=b: keyed by each page id exactly as sent. */
export interface CountsResponse {
  counts: Record<string, number>;
  /**
   * For the pages also named with `newest=` (a reader's own comments on them are in their browser): the `createdAt` of
   * the newest comment the count holds, read with it, so the reader's browser knows which of theirs it counts yet.
   * Left out for a page without comments.
   */
  newest?: Record<string, string>;
  /**
   * For the same pages: how long ago (ms) their count was written, so the reader's browser knows, by its own clock,
   * whether it holds a comment of theirs they deleted, or whose edit was held, since. Left out for a count written
   * before the Worker kept that time.
   */
  age?: Record<string, number>;
}

/** Popular-posts windows: Blogger's choices plus a rolling 24 hours. */
export type PopularRange = '24h' | '7d' | '30d' | 'all';
export type PopularBy = 'views' | 'comments';

/**
 * What a popular-posts list shows about a page. Sent with each view as a hint of which page to read; the Worker
 * shows what the page's own HTML says (worker/README.md "Page metadata"), and validates and caps both.
 */
export interface PageMeta {
  /** Canonical http(s) URL of the page, on one of the site's allowed origins. */
  url: string;
  /** Plain text, at most 200 characters; never markup. */
  title: string;
  /** Absolute http(s) URL of the thumbnail (`og:image` or the article's first image). */
  image?: string;
  /** Plain text, at most 300 characters (`description` or the first paragraph). */
  description?: string;
  /** ISO 8601. */
  published?: string;
  /** At most 10 labels of at most 50 characters (`article:tag` or an attribute). */
  labels: string[];
}

/** POST /api/v1/views?site: one view of one page, sent at most once per reader per page per day. */
export interface ViewBeacon {
  page: string;
  meta: PageMeta;
  /** Views this beacon stands for: N when the site sends 1 in N views. Defaults to 1. */
  weight?: number;
}

/** One entry of a popular-posts list; counts are for the requested range. */
export interface PopularPost extends PageMeta {
  pageId: string;
  views: number;
  comments: number;
}

/** GET /api/v1/popular?site&range&by&limit&label&exclude */
export interface PopularPostsResponse {
  range: PopularRange;
  by: PopularBy;
  posts: PopularPost[];
  /** As `ThreadResponse.viewSample`: the view beacon's sample rate. Absent: 1. */
  viewSample?: number;
}

/** One of the site's latest approved comments, with the page it was left on. */
export interface RecentComment {
  id: string;
  pageId: string;
  /** The page's title and URL when known (from its view beacons); otherwise the widget shows the page id. */
  page: { url: string; title: string } | null;
  /**
   * Without `page`: the page's address as its commenters' browsers gave it (`walk.html` where the id is `walk`), else
   * the page id when it is one, only on an exact origin of the site (SITES). Link with `page?.url ?? pageUrl`; with
   * neither, show the page id unlinked: anyone can post to a page id on another host.
   */
  pageUrl?: string;
  author: PublicAuthor;
  /** Plain text of the comment (from the parsed Markdown), shortened. */
  excerpt: string;
  createdAt: string;
}

/** GET /api/v1/recent-comments?site&limit */
export interface RecentCommentsResponse {
  comments: RecentComment[];
}
