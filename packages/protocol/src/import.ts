/**
 * Comments brought into a site from another system, or from a Sala export, already parsed and normalised in the
 * owner's browser (the admin page's Import tab). The Worker validates every field as strictly as a new comment.
 */
import type { ExportBan, ExportSettings } from './export.js';

/** Where the comments came from, detected from the file itself. */
export type ImportSource = 'blogger' | 'blogger-takeout' | 'disqus' | 'wordpress' | 'sala';

/** The state an imported comment lands in; anything else in the source (deleted, draft, trash) is skipped. */
export type ImportStatus = 'approved' | 'pending' | 'spam' | 'rejected';

export interface ImportComment {
  /** The comment's id in its source, unique within the source: importing the same comment again changes nothing. */
  sourceId: string;
  /** `sourceId` of the comment this one replies to, in the same thread; null or absent at the top level. */
  parentSourceId?: string | null;
  /**
   * In a part of a post (`ImportThread.part`) only: the `createdAt` of the comment `parentSourceId` names when that
   * comment is in another part. An imported comment's id is its time and a hash of its source and source id, so the
   * Worker writes the reply's parent as it is when the part is staged, and the request that publishes the post only
   * checks that parent is there. Absent (an Import tab from before it), the last part finds the parent by source id.
   */
  parentCreatedAt?: string;
  authorName: string;
  /** Kept private exactly like a new comment's email; never served by the public API. */
  authorEmail?: string;
  /** An http(s) URL; anything else is dropped by the parser. */
  authorUrl?: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601: last edited, when the source says. */
  editedAt?: string;
  /** Sala's Markdown subset, converted from the source's HTML: never HTML. */
  body: string;
  status: ImportStatus;
  /** Written by the site's owner (Blogger: the blog's author; WordPress: the post's author): shown with the badge. */
  owner?: boolean;
  pinned?: boolean;
  /**
   * ISO 8601: deleted in the source (a Sala export's placeholder), kept so its replies stay where they were: readers
   * see a blank placeholder while a reply is shown. Its name, email, address and body are then empty or absent,
   * and it is neither pinned nor the owner's.
   */
  deletedAt?: string;
}

export interface ImportThread {
  /** `normalizePageId` of the post's public address: the id `<sala-comments>` computes on that page. */
  pageId: string;
  /** `pageLink` of the post's address (keeps `.html`), for links in the admin page, mails and feeds. */
  pageUrl?: string;
  /** The post's title, when the source has it. */
  title?: string;
  /** Comments closed on this post in the source. */
  closed?: boolean;
  /** ISO 8601: when it was closed (a Sala export says); the import's own time when absent. */
  closedAt?: string;
  /**
   * Parents before their replies. In a part (`part`), a reply's parent may be in another part of the post: parents
   * are checked once every part is there.
   */
  comments: ImportComment[];
  /**
   * This request carries one part of a post too big for one request (more than 50 comments). Parts before the last
   * are staged, invisible (a few days, then forgotten); the last part (`index === count - 1`) makes the whole post
   * visible at once. Every part repeats the thread's other fields. Sending a part again changes nothing.
   */
  part?: ImportPart;
}

/** Which part of a post a thread is: `index` from 0 to `count - 1`, sent in any order, the last one last. */
export interface ImportPart {
  index: number;
  /** Parts the post is split into, 2 to 100. */
  count: number;
}

/** POST /api/v1/admin/sites/:site/import: a batch of whole threads (at most 50 threads and 1 MiB per request). */
export interface ImportRequest {
  source: ImportSource;
  threads: ImportThread[];
  /**
   * A Sala export's settings (`ExportSite.settings`; `source: 'sala'` only, usually with the first batch). Applied
   * only when the target site's settings were never saved, or with `replaceSettings`; Turnstile, Akismet and
   * webhooks are never taken from it (the export has no secrets): the target keeps its own.
   */
  settings?: ExportSettings;
  /** Apply `settings` even over settings the target's owner has saved. */
  replaceSettings?: boolean;
  /** A Sala export's email and name bans (`ExportSite.bans`; `source: 'sala'` only); those in force are added. */
  bans?: ExportBan[];
  /**
   * The same for every request of one import run, and new for each run (1 to 64 of A-Z, a-z, 0-9, `-`, `_`): a thread
   * this run wrote, sent again because the answer was lost (the connection dropped, or no answer came in time), is
   * answered as the first time (`imported`, with the comments that write added), not `unchanged`. A Worker before it
   * ignores it.
   */
  run?: string;
}

/** The daily KV operation an import ran short of. */
export type ImportShortage = 'writes' | 'lists';

/** What happened to one thread of an import request. */
export interface ImportThreadResult {
  pageId: string;
  /**
   * `imported`: written and visible; `unchanged`: every comment was already there; `queued`: today's KV writes are
   * spent, the thread is kept and the cron writes it after midnight UTC (visible then, never half), or it waits so
   * already, sent before exactly as now (nothing written again, in a dry run too); `staged`: a part
   * before the last (`ImportThread.part`) is kept, not yet visible; `paused`: the day's writes and the queue's
   * allowance past them are spent, so nothing of it was written or kept: send it again after `resumesAt` (what
   * came in before is then `unchanged`, a part staged before it costs no write again).
   */
  outcome: 'imported' | 'unchanged' | 'queued' | 'staged' | 'paused';
  /** Comments new to the site in this request. */
  added: number;
  /**
   * With `?dryRun=1` only: this answer is an estimate. The thread is a part before the last of a post that waits in the
   * import queue, and it differs from the part staged then (the post re-exported with a change in it): the import
   * would stage it again and publish the post as sent, but the preview's last part, joined with the staged copies,
   * says the post waits (`queued`), its comments counted there; so `added` is this part's comments its staged copy
   * lacks (those the waiting post does not have), not all of them again. Or it is the last part of such a post and
   * cannot be joined with the staged parts (a reply in it to a comment new in a changed earlier part): `added` is its
   * comments the waiting post lacks.
   */
  estimate?: true;
  /**
   * Comments of the thread already imported on another page of the site (the same comments, the file's addresses
   * rewritten otherwise since): they stay there, and are neither added here nor counted in `added`. `pageId` is that
   * page's; delete its comments first to move them.
   */
  elsewhere?: { pageId: string; comments: number };
}

/** 200 from POST /api/v1/admin/sites/:site/import. */
export interface ImportResponse {
  threads: ImportThreadResult[];
  /**
   * ISO 8601, when any thread was queued or paused: the next 00:00 UTC, when the cron writes queued threads and the
   * day's writes reset, so paused ones may be sent again.
   */
  resumesAt?: string;
  /**
   * With queued or paused threads: what today's budget ran out of, KV writes or KV list operations (the free plan allows 1,000
   * of each a day), so the owner is told which.
   */
  queuedFor?: ImportShortage;
  /**
   * With `settings` in the request: `applied` (written, or with `?dryRun=1` would be), `unchanged` (already the
   * same) or `kept` (the target's owner saved settings and `replaceSettings` was not set).
   */
  settings?: 'applied' | 'unchanged' | 'kept';
  /** With `bans` in the request: bans added (would be, with `?dryRun=1`); those already there are not counted. */
  bansAdded?: number;
  /**
   * ISO 8601: the server's clock when it answered. The Import tab times its wait for `resumesAt` by it, not by the
   * browser's clock, which may be hours off. Absent from Workers before it was sent.
   */
  serverTime?: string;
}
