/**
 * Sala's export: everything one site holds (every comment in every state, thread states, bans, settings) as one
 * versioned JSON document the owner downloads from /admin, and the mapping of it onto the import contract, so an
 * export can be imported into another Sala Worker. Secrets never appear in it: no password, no API or edit
 * tokens or their hashes, no IP or commenter-key hashes, no Turnstile, Akismet or webhook keys. Commenters'
 * email addresses do: they are the owner's own data, kept private on the Worker and given back to the owner.
 */
import type { SiteSettings, WebhookSettings } from './admin.js';
import type { ImportComment, ImportThread } from './import.js';

/** The one version this file describes; a reader refuses a document of any other. */
export const EXPORT_VERSION = 1;

/** The state of an exported comment; only `approved` ones are shown to readers. */
export type ExportStatus = 'approved' | 'pending' | 'spam' | 'rejected';

export interface ExportComment {
  /** Sala's id (a ULID: sorts by creation time); the `sourceId` when the export is imported. */
  id: string;
  /** The comment it replies to, in the same thread; null at the top level. */
  parentId: string | null;
  author: {
    /** Empty once the comment is deleted. */
    name: string;
    /** Private: never served by the public API; in the export because it is the owner's own data. */
    email?: string;
    /** The http(s) address the commenter gave. */
    website?: string;
    /** Written by the site's owner: shown with the owner badge. */
    owner?: true;
  };
  /** The Markdown subset as typed; empty once deleted. */
  body: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601: the last edit, when there was one. */
  editedAt?: string;
  status: ExportStatus;
  /** Pinned by the owner above the thread's other top-level comments. */
  pinned?: true;
  /**
   * ISO 8601: deleted by its author or the owner. Name, email, website and body are gone; the record stays
   * because replies hang from it (readers see a blank placeholder while a reply is shown).
   */
  deletedAt?: string;
}

export interface ExportThread {
  /** The normalised page id the thread belongs to (`normalizePageId`). */
  pageId: string;
  /** The page's address as a link (keeps `.html`), when its comments or the closing came with one. */
  pageUrl?: string;
  /** Closed by the owner to new comments. */
  closed?: true;
  /** ISO 8601, when it was closed. */
  closedAt?: string;
  /** Oldest first: parents before their replies. */
  comments: ExportComment[];
}

/**
 * The site's settings without their secrets (Turnstile's secret key, Akismet's key, webhook signing secrets).
 * Made from `SiteSettings`, so a setting added there is in the export too (or a compile error says where).
 */
export interface ExportSettings extends Omit<SiteSettings, 'turnstile' | 'akismet' | 'webhooks' | 'notifyEmail'> {
  /** Only the public site key: the secret key must be entered again. */
  turnstile: { siteKey: string } | null;
  /** Only the blog address: the API key must be entered again. */
  akismet: { blogUrl: string } | null;
  /** Without their signing secrets, which must be entered again. */
  webhooks: Omit<WebhookSettings, 'secret'>[];
  notifyEmail: string | null;
}

/** A ban by email address or name. IP bans are not exported (see `ExportSite.ipBansLeftOut`). */
export interface ExportBan {
  kind: 'email' | 'name';
  /** The email address (lowercase) or the name (matched ignoring case), as the owner typed it. */
  value: string;
  reason?: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601; null: until lifted. */
  expiresAt: string | null;
}

export interface ExportSite {
  /** The site's id in the deployment's SITES. */
  site: string;
  /** Its name in SITES. */
  name: string;
  settings: ExportSettings;
  /** Bans in force when exported. */
  bans: ExportBan[];
  /**
   * IP bans in force that were left out: an IP ban names a salted hash of an address, which is derived from the
   * Worker's secret, means nothing to another Worker, and is personal data the export keeps out.
   */
  ipBansLeftOut: number;
  /** Every thread with a stored comment or a closed state, in no particular order. */
  threads: ExportThread[];
}

/** The downloaded file (`sala-export-{site}-{date}.json`). */
export interface ExportDocument {
  /** `EXPORT_VERSION`: a later layout gets a new number. */
  version: 1;
  /** ISO 8601: when the admin page finished assembling it. */
  exportedAt: string;
  sites: ExportSite[];
}

/**
 * 200 from GET /api/v1/admin/sites/:site/export?cursor=: one page of the export, so that no request does more
 * than about 100 KV reads. The first page (no cursor) carries the settings and bans; each page carries the
 * comments of up to 50 comment keys, grouped by thread, so one thread can continue on the next page.
 * `mergeExportPages` assembles the pages into one document.
 */
export interface ExportPage {
  version: 1;
  site: string;
  /** First page only. */
  head?: Pick<ExportSite, 'name' | 'settings' | 'bans' | 'ipBansLeftOut'>;
  threads: ExportThread[];
  /** Pass back as `cursor` for the next page; null after the last. */
  nextCursor: string | null;
}

/** One site's export document from its pages, in the order they were fetched; threads split across pages join. */
export function mergeExportPages(pages: readonly ExportPage[], exportedAt: Date): ExportDocument {
  const head = pages[0]?.head;
  if (pages.length === 0 || head === undefined) throw new Error('An export starts with its first page (no cursor).');
  const threads = new Map<string, ExportThread>();
  for (const page of pages) {
    for (const part of page.threads) {
      const thread = threads.get(part.pageId);
      if (thread === undefined) {
        threads.set(part.pageId, { ...part, comments: [...part.comments] });
        continue;
      }
      thread.comments.push(...part.comments);
      if (thread.pageUrl === undefined && part.pageUrl !== undefined) thread.pageUrl = part.pageUrl;
      if (part.closed === true) {
        thread.closed = true;
        if (part.closedAt !== undefined) thread.closedAt = part.closedAt;
      }
    }
  }
  for (const thread of threads.values()) thread.comments.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    version: EXPORT_VERSION,
    exportedAt: exportedAt.toISOString(),
    sites: [{ site: pages[0]!.site, ...head, threads: [...threads.values()] }],
  };
}

/**
 * The threads of one site of an export as an import request carries them, losing nothing the export holds: each
 * comment's Sala id becomes its `sourceId` (and stays its id, so importing the same export twice adds nothing),
 * deleted placeholders stay placeholders with their replies under them, pins, owner badges, edit times, closed
 * threads and the time they were closed come along.
 */
export function exportToImportThreads(document: ExportDocument, site = document.sites[0]?.site): ImportThread[] {
  if (document.version !== EXPORT_VERSION) throw new Error(`Unknown export version ${String(document.version)}.`);
  const exported = document.sites.find((candidate) => candidate.site === site);
  if (exported === undefined) throw new Error(`The export has no site "${String(site)}".`);
  return exported.threads.map(exportThreadToImport);
}

/** One thread of an export as an import request carries it (a big export's threads are read one at a time). */
export function exportThreadToImport(thread: ExportThread): ImportThread {
  const byId = new Map(thread.comments.map((comment) => [comment.id, comment]));
  // Parents before their replies, whatever order the file lists them in; a parent missing from the file (or a
  // cycle) leaves the reply at the top level.
  const ordered: ImportComment[] = [];
  const placed = new Set<string>();
  const place = (comment: ExportComment, path: Set<string>): void => {
    if (placed.has(comment.id)) return;
    path.add(comment.id);
    const parent = comment.parentId === null ? undefined : byId.get(comment.parentId);
    const parentSourceId = parent !== undefined && !path.has(parent.id) ? parent.id : null;
    if (parent !== undefined && parentSourceId !== null) place(parent, path);
    placed.add(comment.id);
    ordered.push(toImportComment(comment, parentSourceId));
  };
  thread.comments.forEach((comment) => place(comment, new Set()));

  const imported: ImportThread = { pageId: thread.pageId, comments: ordered };
  if (thread.pageUrl !== undefined) imported.pageUrl = thread.pageUrl;
  if (thread.closed === true) {
    imported.closed = true;
    if (thread.closedAt !== undefined) imported.closedAt = thread.closedAt;
  }
  return imported;
}

function toImportComment(comment: ExportComment, parentSourceId: string | null): ImportComment {
  const imported: ImportComment = {
    sourceId: comment.id,
    parentSourceId,
    authorName: comment.author.name,
    createdAt: comment.createdAt,
    body: comment.body,
    status: comment.status,
  };
  if (comment.author.email !== undefined) imported.authorEmail = comment.author.email;
  if (comment.author.website !== undefined) imported.authorUrl = comment.author.website;
  if (comment.editedAt !== undefined) imported.editedAt = comment.editedAt;
  if (comment.author.owner === true) imported.owner = true;
  if (comment.pinned === true) imported.pinned = true;
  if (comment.deletedAt !== undefined) imported.deletedAt = comment.deletedAt;
  return imported;
}
