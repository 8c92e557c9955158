/**
 * The export's pure half: stored records to the export document's shapes (protocol export.ts), leaving every
 * secret and hash behind, and the cursor that carries an export from one request to the next.
 */
import type { Ban, ExportBan, ExportComment, ExportSettings, ExportThread, SiteSettings } from '@sala/protocol';
import { invalidField } from '../errors.js';
import type { ClosedThread } from '../storage/closed-threads.js';
import type { StoredComment } from './stored-comment.js';
import { pageLinkOf } from './thread.js';

/** Comment keys per export page: 100 KV reads with their decisions, and about 5 ms of CPU for 50 of the longest comments. */
export const EXPORT_PAGE_KEYS = 50;

/** Only what the owner may take away: no token, IP or commenter-key hash, no spam score or avatar seed. */
export function toExportComment(stored: StoredComment): ExportComment {
  const author: ExportComment['author'] = { name: stored.author.name };
  if (stored.author.email !== undefined) author.email = stored.author.email;
  if (stored.author.website !== undefined) author.website = stored.author.website;
  if (stored.author.owner === true) author.owner = true;
  const comment: ExportComment = {
    id: stored.id,
    parentId: stored.parentId,
    author,
    body: stored.body,
    createdAt: stored.createdAt,
    status: stored.status,
  };
  if (stored.editedAt !== undefined) comment.editedAt = stored.editedAt;
  if (stored.pinned === true) comment.pinned = true;
  if (stored.deletedAt !== undefined) comment.deletedAt = stored.deletedAt;
  return comment;
}

/**
 * One thread per page, in the order the comments came (key order keeps a page's comments together); a page's
 * comments split over two export pages make two parts that `mergeExportPages` joins.
 */
export function toExportThreads(comments: readonly StoredComment[]): ExportThread[] {
  const byPage = new Map<string, StoredComment[]>();
  for (const comment of comments) {
    const group = byPage.get(comment.pageId);
    if (group) group.push(comment);
    else byPage.set(comment.pageId, [comment]);
  }
  return [...byPage].map(([pageId, group]) => {
    const thread: ExportThread = { pageId, comments: group.map(toExportComment) };
    // The link readers are shown, else any address a (held) comment came with.
    const pageUrl = pageLinkOf(group) ?? group.find((comment) => comment.pageUrl !== undefined)?.pageUrl;
    if (pageUrl !== undefined) thread.pageUrl = pageUrl;
    return thread;
  });
}

export function toClosedExportThread(closed: ClosedThread): ExportThread {
  const thread: ExportThread = { pageId: closed.pageId, closed: true, closedAt: closed.closedAt, comments: [] };
  if (closed.pageUrl !== undefined) thread.pageUrl = closed.pageUrl;
  return thread;
}

/** The settings without Turnstile's secret key, Akismet's API key and the webhooks' signing secrets. */
export function toExportSettings(settings: SiteSettings): ExportSettings {
  return {
    extraOrigins: settings.extraOrigins,
    moderation: settings.moderation,
    rejectWords: settings.rejectWords,
    holdWords: settings.holdWords,
    maxLinks: settings.maxLinks,
    ownerName: settings.ownerName,
    turnstile: settings.turnstile ? { siteKey: settings.turnstile.siteKey } : null,
    akismet: settings.akismet ? { blogUrl: settings.akismet.blogUrl } : null,
    webhooks: settings.webhooks.map(({ secret: _secret, ...webhook }) => webhook),
    notifyEmail: settings.notifyEmail ?? null,
    // Only once the admin page has said it: an export read back in is then "unchanged" for a site that never did.
    ...(settings.ownerLanguage ? { ownerLanguage: settings.ownerLanguage } : {}),
  };
}

/** Email and name bans; IP bans only counted, as their value is a hash salted with this Worker's secret. */
export function toExportBans(bans: readonly Ban[]): { bans: ExportBan[]; ipBansLeftOut: number } {
  const exported: ExportBan[] = [];
  for (const ban of bans) {
    if (ban.kind === 'ip') continue;
    const entry: ExportBan = { kind: ban.kind, value: ban.label, createdAt: ban.createdAt, expiresAt: ban.expiresAt };
    if (ban.reason !== undefined) entry.reason = ban.reason;
    exported.push(entry);
  }
  return { bans: exported, ipBansLeftOut: bans.length - exported.length };
}

/** Imported documents one export page lists (one list() call); it reads them one at a time, as far as it gets. */
export const EXPORT_PAGE_IMPORTED = 10;

/**
 * Imported comments per export page: a bulk read per 50 for their keys and decisions, and the CPU of 100 comments
 * mapped and written out. A thread with more continues on the next page, from where this one stopped.
 */
export const EXPORT_PAGE_IMPORTED_COMMENTS = 100;

/**
 * Where an export continues: first the comment keys (`c.` and KV's list cursor), then the imported documents,
 * one per thread: `i.{offset}.{pageHash}.{listCursor}`, the list cursor the current run of documents was listed
 * from (empty at the stage's start), the document to go on with (empty: the first listed) and its first comment
 * not yet exported.
 */
export type ExportCursor =
  | { stage: 'comments'; listCursor: string }
  | { stage: 'imported'; listCursor: string; pageHash: string; offset: number };

const STAGE_PREFIX = { comments: 'c.', imported: 'i.' } as const;

export function writeExportCursor(cursor: ExportCursor): string {
  if (cursor.stage === 'comments') return STAGE_PREFIX.comments + cursor.listCursor;
  return `${STAGE_PREFIX.imported}${cursor.offset}.${cursor.pageHash}.${cursor.listCursor}`;
}

/** null: the export's first page. */
export function readExportCursor(raw: string | undefined): ExportCursor | null {
  if (raw === undefined || raw === '') return null;
  const refuse = () => invalidField('cursor', 'cursor is not one this export returned; start again without it.');
  if (raw.length > 1024) throw refuse();
  if (raw.startsWith(STAGE_PREFIX.imported)) {
    const match = /^(\d{1,7})\.([0-9a-f]{0,32})\.(.*)$/s.exec(raw.slice(STAGE_PREFIX.imported.length));
    if (match === null) throw refuse();
    return { stage: 'imported', offset: Number(match[1]), pageHash: match[2]!, listCursor: match[3]! };
  }
  if (!raw.startsWith(STAGE_PREFIX.comments) || raw.length === STAGE_PREFIX.comments.length) throw refuse();
  return { stage: 'comments', listCursor: raw.slice(STAGE_PREFIX.comments.length) };
}
