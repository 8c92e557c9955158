/**
 * What the admin page's Import tab works from: a file parsed in the owner's browser into whole threads, ready to be
 * sent to `POST /api/v1/admin/sites/:site/import` in batches, and what was left out and why (the preview).
 *
 * `read-file.ts` turns a file into an `ImportPlan` a slice at a time (`readImportFile`; `parse.ts`'s
 * `parseImportFile` does it from a whole text); the tab shows the plan, lets the owner change the options and read
 * the file again, then sends `plan.threads` in batches.
 */
import type { ImportRequest, ImportSource, ImportStatus, ImportThread } from '@sala/protocol';

/** Why an entry of the file does not become a comment. */
export type ImportSkipReason =
  /** Marked spam in the source; imported as `spam` instead when `keepSpam` is on. */
  | 'spam'
  /** Deleted in the source, or Blogger's "This comment has been removed" placeholder. */
  | 'deleted'
  /** A draft or unpublished post's comment. */
  | 'draft'
  /** In the source's trash. */
  | 'trash'
  /** A pingback or trackback, when `pingbacks` is `skip`. */
  | 'pingback'
  /** The comment's post or thread is not in the file, or has no usable address. */
  | 'unknown-thread'
  /** Nothing left to show once the HTML is converted. */
  | 'empty-body'
  /** A field the Worker would refuse (a date that does not parse, a name or body over the limits...). */
  | 'invalid';

export interface ImportSkip {
  reason: ImportSkipReason;
  count: number;
  /** A few of the skipped entries' source ids or addresses, for the preview. */
  examples: string[];
}

/** Addresses rewritten before page ids are computed, so imported threads land where `<sala-comments>` looks. */
export interface UrlRewrites {
  /** An old origin (`https://old.example.com`) whose posts now live under `toOrigin`. */
  fromOrigin?: string;
  toOrigin?: string;
  /** `http://` becomes `https://`. */
  https: boolean;
  /** Blogger's country domains (`name.blogspot.co.uk`, `.fr`, `.com.au`...) become `name.blogspot.com`. */
  bloggerDotCom: boolean;
  /** A path prefix replaced (`/blog/` to `/`), applied after the origin. */
  pathPrefix?: { from: string; to: string };
}

export interface ImportOptions {
  rewrites: UrlRewrites;
  /** WordPress pingbacks and trackbacks: left out, or kept as a comment holding the linking page's address. */
  pingbacks: 'skip' | 'links';
  /** Import comments marked spam as `spam` (kept out of sight, visible in the queue) instead of skipping them. */
  keepSpam: boolean;
  /**
   * The blog's address (`https://name.blogspot.com`), typed by the owner when the file gives posts' paths but not
   * where they are served (a Google Takeout feed without links): without it that file is refused (`needs-origin`).
   */
  siteOrigin?: string;
}

export const DEFAULT_IMPORT_OPTIONS: ImportOptions = {
  rewrites: { https: true, bloggerDotCom: true },
  pingbacks: 'skip',
  keepSpam: false,
};

export interface ImportPlan {
  source: ImportSource;
  /** Whole threads, parents before replies, page ids computed after the rewrites. */
  threads: ImportThread[];
  /** Comments to import, by the status they land in. */
  counts: Record<ImportStatus, number>;
  skipped: ImportSkip[];
  /** Fields besides `source` and `threads` that go with the first batch (a Sala export's settings and bans). */
  extras?: Partial<Omit<ImportRequest, 'source' | 'threads'>>;
}

/** A file the parser cannot read; `code` picks the translated message the tab shows. */
export class ImportFileError extends Error {
  constructor(
    readonly code: 'unknown-format' | 'not-xml' | 'not-json' | 'empty' | 'needs-origin',
    message: string,
  ) {
    super(message);
    this.name = 'ImportFileError';
  }
}

/**
 * The posts the file closes to new comments: Disqus's `isClosed`, WordPress's `comment_status` closed, a Sala
 * export's closed threads (a Blogger file says nothing of it). The preview names them: importing closes them here too.
 */
export function closingThreads(plan: ImportPlan): ImportThread[] {
  return plan.threads.filter((thread) => thread.closed === true);
}

/**
 * The plan with no post closed by it, for an owner who keeps the site's posts open: each closing is dropped, and a
 * post the file only closed (no comments) is left out.
 */
export function leavingOpen(plan: ImportPlan): ImportPlan {
  const threads = plan.threads.flatMap((thread) => {
    if (thread.closed !== true) return [thread];
    const { closed: _closed, closedAt: _closedAt, ...open } = thread;
    return open.comments.length > 0 ? [open] : [];
  });
  return { ...plan, threads };
}
