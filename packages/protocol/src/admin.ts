/**
 * Wire types of the owner's admin API (`/api/v1/admin`) and of the one-click moderation links. Only the signed-in
 * owner (session cookie) or an API token (`Authorization: Bearer sala_…`) gets these; the public API never does.
 */
import type { ApiErrorBody } from './errors.js';
import type { PopularBy, PopularRange, PublicAuthor } from './types.js';

// ---------------------------------------------------------------------------------------------------------------
// Sign-in, sessions and API tokens
// ---------------------------------------------------------------------------------------------------------------

/** POST /api/v1/admin/session */
export interface AdminSignInRequest {
  password: string;
  /**
   * The admin page's language, a tag (`ja`, `km-KH`; kept as its first subtag): the owner's mail about held comments
   * speaks it from this sign-in on, for every site of the Worker. Optional (scripts); 400 naming `language` when it
   * is not a tag, and then nothing is written.
   */
  language?: string;
}

/** 200 from POST/GET /api/v1/admin/session (GET answers 401 `unauthorized` when signed out). */
export interface AdminSessionResponse {
  signedIn: true;
  /** How this request proved itself: the cookie the sign-in set, or an API token. */
  via: 'session' | 'token';
  /** ISO 8601; when the session cookie stops working. Absent for tokens. */
  expiresAt?: string;
  /** The language the Worker keeps for the owner's mail (a first subtag), absent until an admin page has said one. */
  language?: string;
}

/** PUT /api/v1/admin/session/language, and its 200: the admin page's language changed while signed in. */
export interface AdminLanguage {
  /** A language tag (`ja`, `km-KH`); the answer has it as kept, its first subtag. */
  language: string;
}

/** An API token as listed: never the token itself after creation. */
export interface ApiTokenInfo {
  /** Opaque id for revoking (the SHA-256 of the token; the token cannot be derived from it). */
  id: string;
  name: string;
  /** The token's first characters (`sala_AbCd`), so the owner can tell tokens apart. */
  prefix: string;
  createdAt: string;
}

/** POST /api/v1/admin/tokens */
export interface CreateApiTokenRequest {
  /** What the token is for, 1–64 characters ("backup script"). */
  name: string;
}

/** 201 from POST /api/v1/admin/tokens. `token` is shown this once; only its hash is stored. */
export interface CreateApiTokenResponse {
  token: string;
  info: ApiTokenInfo;
}

/** GET /api/v1/admin/tokens */
export interface ApiTokenListResponse {
  tokens: ApiTokenInfo[];
}

// ---------------------------------------------------------------------------------------------------------------
// Sites and their settings
// ---------------------------------------------------------------------------------------------------------------

/** A site as the deployment's SITES var defines it. */
export interface AdminSite {
  id: string;
  name: string;
  /** Origins from the SITES var; `SiteSettings.extraOrigins` adds to these. */
  origins: string[];
}

/**
 * A mistake in the deployment's configuration (wrangler.jsonc vars, secrets), found when the Worker reads it.
 * - `sites_invalid_json`: SITES is a string that is not JSON;
 * - `sites_not_object`: SITES is not an object of sites (a list, a number…);
 * - `sites_empty`: SITES is unset or defines no site;
 * - `site_id_invalid`: a site id (`value`) is not 1–64 of letters, digits, `-` and `_`; the site is left out;
 * - `site_origins_invalid`: a site has no `origins` list of strings, or none of them is usable; the site refuses requests;
 * - `origin_invalid`: one origin (`value`) is not an origin at all; it is left out;
 * - `origin_path`: an origin (`value`) has a path or trailing slash; `used` (the bare origin) is used instead;
 * - `origin_no_scheme`: an origin (`value`) has no `https://`; `used` (with https) is used instead;
 * - `sample_rate_invalid`: `viewSampleRate` (`value`) is not a whole number 1–100; `used` (1) is used instead;
 * - `default_site_unknown`: DEFAULT_SITE names a site (`value`) SITES does not define;
 * - `secret_missing`: the secret named by `setting` (SALA_SECRET, ADMIN_PASSWORD) is not set.
 */
export type ConfigProblemCode =
  | 'sites_invalid_json'
  | 'sites_not_object'
  | 'sites_empty'
  | 'site_id_invalid'
  | 'site_origins_invalid'
  | 'origin_invalid'
  | 'origin_path'
  | 'origin_no_scheme'
  | 'sample_rate_invalid'
  | 'default_site_unknown'
  | 'secret_missing';

export interface ConfigProblem {
  code: ConfigProblemCode;
  /** `error`: the setting could not be used; `warning`: Sala used a corrected value (`used`) and works. */
  severity: 'error' | 'warning';
  /** Where the mistake is, as the owner writes it: `SITES`, `SITES.myblog.origins[0]`, `DEFAULT_SITE`, `SALA_SECRET`. */
  setting: string;
  /** The value found (an origin, a site id), when showing it helps; never a secret. */
  value?: string;
  /** The value Sala uses instead, for a warning. */
  used?: string;
}

/** GET /api/v1/admin/sites */
export interface AdminSiteListResponse {
  sites: AdminSite[];
  /** Mistakes in the deployment's configuration, for the admin page to show with their fixes; empty when none. */
  problems: ConfigProblem[];
}

/**
 * How new comments are treated:
 * - `publish`: shown at once (spam checks still apply);
 * - `hold-first-time`: held unless the commenter (same email, else same name) has had a comment approved;
 * - `hold-links`: comments containing a link are held, unless the commenter has had a comment approved;
 * - `hold-all`: every comment is held.
 */
export type ModerationMode = 'publish' | 'hold-first-time' | 'hold-links' | 'hold-all';

export type WebhookFormat = 'json' | 'slack' | 'discord';
export type WebhookEvent = 'comment.created' | 'comment.held' | 'comment.approved';

export interface WebhookSettings {
  /** Stable id chosen by the admin page (1–32 of `[a-z0-9-]`). */
  id: string;
  /** https URL (http only for localhost). */
  url: string;
  format: WebhookFormat;
  events: WebhookEvent[];
  /** Key of the `Sala-Signature` HMAC; at least 16 characters. */
  secret: string;
}

/** Per-site settings kept in KV. PUT sends the whole document; every field is required. */
export interface SiteSettings {
  /** Origin patterns allowed to embed the site besides the SITES var's (same syntax: `https://*.example.com`). */
  extraOrigins: string[];
  moderation: ModerationMode;
  /** A comment containing one of these words or phrases (case-insensitive, whole words) is refused. */
  rejectWords: string[];
  /** A comment containing one of these is held for review. */
  holdWords: string[];
  /** Most links one comment may contain (0–20); more is refused with `comment_rejected`. */
  maxLinks: number;
  /** Name shown on the owner's replies (with `author.owner: true`). */
  ownerName: string;
  /** Cloudflare Turnstile, asked for only when a comment looks risky. Null: never asked. */
  turnstile: { siteKey: string; secretKey: string } | null;
  /** Akismet check of every comment. Null: off. `blogUrl` is the site's home page. */
  akismet: { apiKey: string; blogUrl: string } | null;
  webhooks: WebhookSettings[];
  /**
   * Where held comments are emailed, with approve and reject links (needs the deployment's EMAIL_API_KEY).
   * Optional in a PUT: absent keeps the saved address; null turns the mail off.
   */
  notifyEmail?: string | null;
  /**
   * The language of this site's held-comment mail to the owner and the default of its one-click pages (`ja`: the
   * first subtag of the tag sent), set on purpose by the owner or a script. The mail speaks whichever was chosen last:
   * this, or the admin page's language (sent at sign-in and when it changes, Worker-wide). English when neither is
   * known, or in one the mail has no words in. Optional in a PUT: absent keeps the saved one; null removes it, and the
   * admin page's language is then the site's.
   */
  ownerLanguage?: string | null;
  /**
   * When a PUT last changed `ownerLanguage` (ISO 8601), set by the Worker and ignored in a PUT. Absent on a language
   * saved before 2026-12-07 (the admin page sent its own with every save then), which the page's language comes before.
   */
  ownerLanguageChangedAt?: string;
}

/** GET and PUT /api/v1/admin/sites/:site/settings */
export interface SiteSettingsResponse {
  site: AdminSite;
  settings: SiteSettings;
  /** Names the saved settings; a PUT sends it back, and is refused if they were saved again since. */
  version: string;
}

/** PUT /api/v1/admin/sites/:site/settings: the whole document, and the `version` it was edited from. */
export type SaveSiteSettingsRequest = SiteSettings & { version: string };

/** 409 `settings_conflict`: the settings were saved since `version` was read; here they are as saved now. */
export type SettingsConflictBody = ApiErrorBody & SiteSettingsResponse;

// ---------------------------------------------------------------------------------------------------------------
// Comments and moderation
// ---------------------------------------------------------------------------------------------------------------

/** Every state a stored comment can be in, as the owner sees it. Only `approved` comments are public. */
export type AdminCommentStatus = 'pending' | 'approved' | 'spam' | 'rejected';

/**
 * One part of a comment's spam score, as a code with the facts that explain it (rendered in the owner's language
 * by the admin page, in English in webhooks and mail), and the points it added.
 * - `links`: `count` links (points: one per link beyond the first);
 * - `link-only`: little besides a link;
 * - `first-time-links`: `count` links from a commenter never approved here;
 * - `keyword-links`: `count` links whose text is sales keywords ("cheap viagra", "best SEO services");
 * - `markup-links`: pasted HTML or BBCode links (`<a href=…>`, `[url=…]`), which bots send to every form;
 * - `odd-links`: links to link shorteners or to top-level domains mostly used by spam (`hosts`);
 * - `spam-words`: words of pharma, casino, loan, crypto, SEO spam (`words`);
 * - `identity-words`: the name or website made of such words (`words`);
 * - `canned-phrase`: a stock blog-comment phrase ("nice post", "visit my site") from a stranger with a link;
 * - `name-link`: a web address as the name;
 * - `website-and-links`: a website and links in the text;
 * - `no-timing`: sent without the form's timing (not from the widget);
 * - `fast-typing`: `characters` typed in `seconds`;
 * - `shouting`: mostly capital letters;
 * - `akismet`: Akismet says spam;
 * - `known-commenter`: has had a comment approved before (negative);
 * - `captcha-passed`: passed the Turnstile challenge (negative);
 * - `note`: stored before reasons were codes: `text` is the English written then.
 */
export type SpamReason = { points: number } & (
  | { code: 'links' | 'first-time-links' | 'keyword-links'; count: number }
  | { code: 'odd-links'; hosts: string[] }
  | { code: 'spam-words' | 'identity-words'; words: string[] }
  | { code: 'canned-phrase'; phrase: string }
  | { code: 'fast-typing'; characters: number; seconds: number }
  | {
      code:
        | 'link-only'
        | 'markup-links'
        | 'name-link'
        | 'website-and-links'
        | 'no-timing'
        | 'shouting'
        | 'akismet'
        | 'known-commenter'
        | 'captcha-passed';
    }
  | { code: 'note'; text: string }
);

export type SpamReasonCode = SpamReason['code'];

export interface SpamAssessment {
  score: number;
  reasons: SpamReason[];
}

/**
 * Why a comment waits for the owner, as a code with its facts:
 * - `hold-all`: the site holds every comment;
 * - `first-time`: the site holds first-time commenters, and this is one;
 * - `has-link`: the site holds comments with links from commenters never approved;
 * - `edit-added-link`: an edit added a link (the site holds links);
 * - `hold-word`: contains `word`, one of the site's hold words;
 * - `spam-score`: its spam score (`score`) reached the hold threshold (3; 6 files it as spam);
 * - `note`: stored before reasons were codes: `text` is the English written then.
 */
export type HoldReason =
  | { code: 'hold-all' | 'first-time' | 'has-link' | 'edit-added-link' }
  | { code: 'hold-word'; word: string }
  | { code: 'spam-score'; score: number }
  | { code: 'note'; text: string };

export type HoldReasonCode = HoldReason['code'];

/** A comment as the owner sees it: everything the public sees, plus email, status and why it was held. */
export interface AdminComment {
  id: string;
  /** The normalised page id the comment belongs to; pass it back with every action on the comment. */
  pageId: string;
  /** The page's address as a link (keeps `.html`, which the id drops), when the comment was sent with it. */
  pageUrl?: string;
  parentId: string | null;
  status: AdminCommentStatus;
  author: PublicAuthor & {
    /** Private: shown to the owner only. */
    email?: string;
  };
  /** Salted, irreversible hash of the commenter's IP address, for banning by network. Absent for the owner. */
  ipHash?: string;
  body: string;
  createdAt: string;
  editedAt?: string;
  pinned?: boolean;
  /** Erased by its author or the owner; body and author are blank. */
  deleted?: boolean;
  /** Why the comment was held, as computed when it arrived. */
  spam?: SpamAssessment;
  /** Why it was held or filed as spam: codes with their facts (`{ code: 'hold-word', word: 'casino' }`). */
  heldBecause?: HoldReason[];
}

/** How many comments each state holds; a count equal to `countLimit` means "at least this many". */
export type StatusCounts = Record<AdminCommentStatus, number>;

/**
 * GET /api/v1/admin/sites/:site/comments?status&page&q&cursor&limit
 * - `status` (default `pending`): one AdminCommentStatus;
 * - `page`: only this page's comments (any page id form; normalised like the public API's);
 * - `q`: case-insensitive search in author name, page id and the start of the body;
 * - `limit`: 1–100 (default 50). Newest first.
 */
export interface AdminCommentListResponse {
  comments: AdminComment[];
  counts: StatusCounts;
  countLimit: number;
  nextCursor: string | null;
  /**
   * On the site-wide Approved list (`status=approved` without `page`): whether the site has imported comments, which
   * that list holds only once the owner moderates one (they are listed per post).
   */
  imported?: boolean;
  /**
   * Asked with `page` and `comment` (the comment a link names, `adminCommentHash`): true when that comment is further
   * down its post's list than the first page, so the page served starts at it and the list's newer comments are left
   * out. Absent when the first page is served: the comment is in it, or no longer in this list.
   */
  fromLinked?: true;
}

/** Names one comment in an action. */
export interface CommentRef {
  /** `AdminComment.pageId`. */
  page: string;
  id: string;
  /**
   * With `approve`: the `editedAt` of the copy the owner read, null when it was never edited. If the commenter
   * edited it since, the approval is refused as a `conflict` (read it again): an owner approves only text they saw.
   * Absent: approves whatever the comment says now.
   */
  seenEdit?: string | null;
}

export type ModerationAction = 'approve' | 'reject' | 'spam' | 'delete' | 'pin' | 'unpin';

/** POST /api/v1/admin/sites/:site/moderate: one action on 1 to `LIMITS.moderateComments` (25) comments. */
export interface ModerateRequest {
  action: ModerationAction;
  comments: CommentRef[];
}

/** Each comment's outcome, in request order. One comment's failure does not stop the others. */
export type ModerationResult =
  | { page: string; id: string; ok: true; comment: AdminComment }
  | { page: string; id: string; ok: false; error: { code: string; message: string } };

export interface ModerateResponse {
  results: ModerationResult[];
  /**
   * The pages whose rebuild the decisions left to the admin page (as `CreateCommentResponse.rebuild`: a new isolate's
   * first decisions on a big thread), one token each, at most 5 (the follow-up route takes 5 a minute from an
   * address; pages past those wait for the cron): the admin page sends `POST
   * /api/v1/comments/rebuild?site&page&token` for each, not waiting for it; the cron's repair does any not sent within
   * 10 minutes. Left out when every page's rebuild follows the decisions.
   */
  rebuilds?: PageRebuild[];
}

/** One page's follow-up: `page` as the decision's `CommentRef.page`, `token` as `RebuildPending.token`. */
export interface PageRebuild {
  page: string;
  token: string;
}

/** PATCH /api/v1/admin/sites/:site/comments/:id: the owner edits a comment's body. */
export interface AdminEditCommentRequest {
  page: string;
  body: string;
}

/** POST /api/v1/admin/sites/:site/comments: the owner writes (usually replies), published at once with the badge. */
export interface OwnerCommentRequest {
  page: string;
  parentId?: string | null;
  body: string;
}

/** 200 from PATCH, 201 from POST. */
export interface AdminCommentResponse {
  comment: AdminComment;
  /**
   * The comment's page when its rebuild was left to the admin page (a new isolate's first change on a big thread), as
   * `ModerateResponse.rebuilds`: the admin page sends its follow-up, not waiting for it. Left out when the rebuild
   * follows the change.
   */
  rebuilds?: PageRebuild[];
}

// ---------------------------------------------------------------------------------------------------------------
// Threads, bans
// ---------------------------------------------------------------------------------------------------------------

/** GET /api/v1/admin/sites/:site/threads?page= and PUT /api/v1/admin/sites/:site/threads (`ThreadStateRequest`). */
export interface ThreadState {
  pageId: string;
  /** The page's address as a link, when known (from the request, else from the page's comments). */
  pageUrl?: string;
  closed: boolean;
  /** ISO 8601, when it was closed. */
  closedAt?: string;
}

export interface ThreadStateRequest {
  page: string;
  /** `AdminComment.pageUrl`, kept for the closed-threads list's link; same rules as `CreateCommentRequest.pageUrl`. */
  pageUrl?: string;
  closed: boolean;
}

/** GET /api/v1/admin/sites/:site/threads/closed */
export interface ClosedThreadListResponse {
  threads: ThreadState[];
}

export type BanKind = 'email' | 'ip' | 'name';

export interface Ban {
  /** Opaque; DELETE /api/v1/admin/sites/:site/bans/:id lifts it. */
  id: string;
  kind: BanKind;
  /** What the owner typed or picked: the email or name, or the IP hash. */
  label: string;
  reason?: string;
  createdAt: string;
  /** ISO 8601; null: until lifted. */
  expiresAt: string | null;
}

/** POST /api/v1/admin/sites/:site/bans */
export interface CreateBanRequest {
  kind: BanKind;
  /** An email address, a commenter name (matched ignoring case), or an `AdminComment.ipHash`. */
  value: string;
  /** 60 s to 10 years; omit or null: until lifted. */
  durationSeconds?: number | null;
  reason?: string;
}

export interface BanResponse {
  ban: Ban;
}

/** GET /api/v1/admin/sites/:site/bans: bans in force (expired ones are gone). */
export interface BanListResponse {
  bans: Ban[];
}

// ---------------------------------------------------------------------------------------------------------------
// Notifications
// ---------------------------------------------------------------------------------------------------------------

export type DeliveryStatus = 'delivered' | 'retrying' | 'failed';

/** One webhook delivery, kept for 7 days. */
export interface WebhookDelivery {
  id: string;
  webhookId: string;
  event: WebhookEvent;
  commentId: string;
  pageId: string;
  status: DeliveryStatus;
  attempts: number;
  /** HTTP status of the last attempt, if one was answered. */
  httpStatus?: number;
  error?: string;
  createdAt: string;
  lastAttemptAt: string;
}

/** GET /api/v1/admin/sites/:site/deliveries: newest first, at most 100. */
export interface WebhookDeliveryListResponse {
  deliveries: WebhookDelivery[];
}

/**
 * The JSON body a `json`-format webhook receives (Slack and Discord formats carry the same facts as text plus
 * approve/reject links). Headers: `Sala-Event`, `Sala-Delivery`, and
 * `Sala-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 */
export interface WebhookPayload {
  event: WebhookEvent;
  deliveryId: string;
  site: string;
  /** `comment.pageUrl` is the page's address to link to (fall back to `comment.pageId` when absent). */
  comment: AdminComment;
  /** One-click links (no sign-in needed), present for held comments; each expires and works once. */
  links?: { approve: string; reject: string };
  sentAt: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Per-post statistics (from the popular-posts counts)
// ---------------------------------------------------------------------------------------------------------------

/** One post's views and visible comments per popular-posts window (`24h`, `7d`, `30d`, `all`). */
export interface AdminPostStats {
  pageId: string;
  /** From the post's view beacons. */
  title: string;
  url: string;
  views: Record<PopularRange, number>;
  comments: Record<PopularRange, number>;
}

/** How the Posts tab orders posts: by `by` in `range`, most first. */
export interface AdminPostListQuery {
  range: PopularRange;
  by: PopularBy;
  /** Posts per page: 1 to 100 (default 50). */
  limit?: number;
  /** Posts to skip: the ones already shown. */
  offset?: number;
}

/**
 * GET /api/v1/admin/sites/:site/posts?range&by&limit&offset: the posts the view counting knows (a post that was never
 * viewed with the popular-posts element is not listed), by `by` (`views` default, `comments`) in `range` (`all`
 * default), most first; ties by the other count, then by views and comments of all time, then page id. One page of
 * `limit` (default 50, at most 100) after `offset`. Counts are as of the last cron run.
 */
export interface AdminPostListResponse {
  posts: AdminPostStats[];
  /** Posts in all pages. */
  total: number;
}

// ---------------------------------------------------------------------------------------------------------------
// The free plan's daily limits
// ---------------------------------------------------------------------------------------------------------------

/** One daily allowance: how much of it this Worker used today, by its own count. */
export interface PlanAllowance {
  used: number;
  limit: number;
}

/**
 * GET /api/v1/admin/usage: an estimate of what this Worker used today (UTC) of the Cloudflare free plan's daily
 * limits, from counts its isolates report along with the view batches they write anyway. A lower bound: counts
 * an isolate has not reported yet (up to its flush age), from isolates recycled before reporting, and from other
 * Workers or the dashboard on the same account are not in it.
 */
export interface UsageResponse {
  /** The UTC day counted, `YYYY-MM-DD`. */
  day: string;
  /** When the limits reset: the next 00:00 UTC. */
  resetsAt: string;
  requests: PlanAllowance;
  kvReads: PlanAllowance;
  kvWrites: PlanAllowance;
  kvDeletes: PlanAllowance;
  kvLists: PlanAllowance;
  /** How many isolate reports the estimate adds up (this isolate's unreported counts included as one). */
  reports: number;
  /** The share of a limit (0..1) from which the admin page warns. */
  warnAt: number;
}
