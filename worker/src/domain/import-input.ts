/**
 * Reads an import request (POST /api/v1/admin/sites/:site/import) into the threads the import writes. Every comment
 * meets the rules a new comment meets (comment-input.ts: same limits, same checks), and each failure names its
 * place, e.g. `threads[3].comments[7].body`. Everything is read before anything is written: one bad field refuses
 * the whole request.
 */
import type { ExportBan, ImportComment, ImportSource, ImportStatus, ImportThread, SiteSettings } from '@sala/protocol';
import { LIMITS } from '@sala/protocol';
import { ApiError, invalidField } from '../errors.js';
import { avatarSeed, ownerAvatarSeed } from './avatar.js';
import {
  hasControlCharacters,
  readAuthorEmail,
  readAuthorName,
  readAuthorWebsite,
  readCommentBody,
  readPageId,
  readPageUrl,
} from './comment-input.js';
import { readBanReason, readBanValue } from './ban-input.js';
import { importedCommentId, isCommentId } from './comment-id.js';
import { readSiteSettings } from './site-settings.js';
import type { StoredComment } from './stored-comment.js';

export const IMPORT_LIMITS = {
  /** Threads per request: what one invocation rebuilds within its 1,000 KV operations (about 10 per thread). */
  threads: 50,
  /** Bytes of one request body, checked before parsing: its JSON is parsed within the 10 ms of CPU. */
  requestBytes: 1024 * 1024,
  sourceId: 256,
  title: 300,
  /** Bans one request carries: each is one KV write. */
  bans: 100,
  /** Parts one post may be split into (`ImportThread.part`): the last part reads the others in one bulk get. */
  parts: 100,
} as const;

export const IMPORT_SOURCES: readonly ImportSource[] = ['blogger', 'blogger-takeout', 'disqus', 'wordpress', 'sala'];
const IMPORT_STATUSES: readonly ImportStatus[] = ['approved', 'pending', 'spam', 'rejected'];

/** A date-time as ISO 8601 writes it; `Date.parse` alone also takes "March 7" and reads it in local time. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Dates a day ahead are accepted: a source's clock or time zone may be off by some hours. */
const FUTURE_SLACK_MS = 24 * 60 * 60 * 1000;

/** One thread of the request, checked and mapped: what the import merges into the page's imported document. */
export interface PreparedThread {
  pageId: string;
  pageUrl?: string;
  title?: string;
  /** Comments closed in the source: applied on the thread's first import only. */
  closed: boolean;
  /** When it was closed in the source; null: when the import writes it. */
  closedAt?: string;
  /** In the request's order (parents before replies), with ids derived from the source. */
  comments: StoredComment[];
  /** A part of a post (`ImportThread.part`): its comments' parents are resolved when the last part merges them. */
  part?: PreparedPart;
}

/**
 * A part's place, and its comments' source ids and parents' source ids (in `comments`' order): a parent in another
 * part is known by its id when its time came with the reply (`ImportComment.parentCreatedAt`: the comment's
 * `parentId` is then none of the part's ids), else only by source id until the last part arrives.
 */
export interface PreparedPart {
  index: number;
  count: number;
  sourceIds: string[];
  parentSourceIds: (string | null)[];
}

/** A Sala export's settings without the parts that need secrets (Turnstile, Akismet, webhooks: the target's stay). */
export type ImportedSettings = Omit<SiteSettings, 'turnstile' | 'akismet' | 'webhooks'>;

/** An email or name ban from a Sala export, checked as the admin ban route checks one. */
export interface ImportedBan {
  kind: 'email' | 'name';
  value: string;
  reason: string | null;
  createdAt: string;
  expiresAt: string | null;
}

export interface PreparedImport {
  source: ImportSource;
  threads: PreparedThread[];
  /** Absent: the request carries no settings. */
  settings?: ImportedSettings;
  replaceSettings: boolean;
  /** Only those still in force. */
  bans: ImportedBan[];
  /** `ImportRequest.run`: the import run this request belongs to; absent when the client does not say. */
  run?: string;
}

/** What mapping needs besides the request: the avatar key, the site (for the owner's avatar), the time. */
export interface ImportFacts {
  secret: string;
  siteId: string;
  now: Date;
}

function asObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    if (field === '') throw new ApiError('invalid_json', 400, 'The request body must be a JSON object.');
    throw invalidField(field, `${field} must be an object.`);
  }
  return value as Record<string, unknown>;
}

function optionalBoolean(value: unknown, field: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw invalidField(field, `${field} must be true or false.`);
  return value;
}

function readDate(value: unknown, field: string, now: Date): string {
  if (typeof value !== 'string' || !ISO_DATE.test(value.trim())) {
    throw invalidField(field, `${field} must be an ISO 8601 date, e.g. 2024-05-01T09:30:00Z.`);
  }
  const ms = Date.parse(value.trim());
  if (!Number.isFinite(ms) || ms < 0) throw invalidField(field, `${field} is not a date from 1970 on.`);
  if (ms > now.getTime() + FUTURE_SLACK_MS) throw invalidField(field, `${field} is in the future.`);
  return new Date(ms).toISOString();
}

function readSourceId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw invalidField(field, `${field} is required.`);
  if (value.length > IMPORT_LIMITS.sourceId) {
    throw invalidField(field, `${field} is longer than ${IMPORT_LIMITS.sourceId} characters.`);
  }
  if (hasControlCharacters(value)) throw invalidField(field, `${field} must not contain control characters.`);
  return value;
}

function readTitle(value: unknown, field: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw invalidField(field, `${field} must be a string.`);
  const title = value.trim();
  if (title.length > IMPORT_LIMITS.title) {
    throw invalidField(field, `${field} is longer than ${IMPORT_LIMITS.title} characters.`);
  }
  if (hasControlCharacters(title)) throw invalidField(field, `${field} must not contain control characters.`);
  return title === '' ? null : title;
}

/** A comment's fields checked, its parent still named by source id. */
interface CheckedComment {
  sourceId: string;
  parentSourceId: string | null;
  /** With `parentSourceId`, in a part: the parent's time when it is in another part (`ImportComment.parentCreatedAt`). */
  parentCreatedAt: string | null;
  name: string;
  email: string | null;
  website: string | null;
  createdAt: string;
  editedAt: string | null;
  body: string;
  status: ImportStatus;
  owner: boolean;
  pinned: boolean;
  /** A deleted placeholder: no name, email, address or text. */
  deletedAt: string | null;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** A deleted placeholder's fields: only what places it in the thread, as the Worker keeps a deleted comment. */
function checkDeleted(fields: Partial<Record<keyof ImportComment, unknown>>, field: string, now: Date): CheckedComment {
  const createdAt = readDate(fields.createdAt, `${field}.createdAt`, now);
  const deletedAt = readDate(fields.deletedAt, `${field}.deletedAt`, now);
  if (deletedAt < createdAt)
    throw invalidField(`${field}.deletedAt`, `${field}.deletedAt is before ${field}.createdAt.`);
  for (const name of ['authorName', 'authorEmail', 'authorUrl', 'body', 'editedAt'] as const) {
    if (!isEmpty(fields[name])) {
      throw invalidField(`${field}.${name}`, `${field}.${name} must be empty: the comment is deleted (deletedAt).`);
    }
  }
  for (const name of ['owner', 'pinned'] as const) {
    if (optionalBoolean(fields[name], `${field}.${name}`)) {
      throw invalidField(`${field}.${name}`, `${field}.${name} must not be true: the comment is deleted (deletedAt).`);
    }
  }
  const parent = fields.parentSourceId;
  return {
    sourceId: readSourceId(fields.sourceId, `${field}.sourceId`),
    parentSourceId: isEmpty(parent) ? null : readSourceId(parent, `${field}.parentSourceId`),
    parentCreatedAt: readParentCreatedAt(fields, field, now),
    name: '',
    email: null,
    website: null,
    createdAt,
    editedAt: null,
    body: '',
    status: fields.status as ImportStatus,
    owner: false,
    pinned: false,
    deletedAt,
  };
}

/** `parentCreatedAt`, a date as `createdAt` is, only beside a `parentSourceId` (a part is checked in `checkThread`). */
function readParentCreatedAt(
  fields: Partial<Record<keyof ImportComment, unknown>>,
  field: string,
  now: Date,
): string | null {
  if (isEmpty(fields.parentCreatedAt)) return null;
  if (isEmpty(fields.parentSourceId)) {
    throw invalidField(
      `${field}.parentCreatedAt`,
      `${field}.parentCreatedAt is given but ${field}.parentSourceId is not.`,
    );
  }
  return readDate(fields.parentCreatedAt, `${field}.parentCreatedAt`, now);
}

function checkComment(raw: unknown, field: string, now: Date): CheckedComment {
  const fields = asObject(raw, field) as Partial<Record<keyof ImportComment, unknown>>;
  const parent = fields.parentSourceId;
  const status = fields.status;
  if (typeof status !== 'string' || !IMPORT_STATUSES.includes(status as ImportStatus)) {
    throw invalidField(`${field}.status`, `${field}.status must be one of ${IMPORT_STATUSES.join(', ')}.`);
  }
  if (!isEmpty(fields.deletedAt)) return checkDeleted(fields, field, now);
  const createdAt = readDate(fields.createdAt, `${field}.createdAt`, now);
  const editedAt =
    fields.editedAt === undefined || fields.editedAt === null
      ? null
      : readDate(fields.editedAt, `${field}.editedAt`, now);
  if (editedAt !== null && editedAt < createdAt) {
    throw invalidField(`${field}.editedAt`, `${field}.editedAt is before ${field}.createdAt.`);
  }
  return {
    sourceId: readSourceId(fields.sourceId, `${field}.sourceId`),
    parentSourceId:
      parent === undefined || parent === null || parent === '' ? null : readSourceId(parent, `${field}.parentSourceId`),
    parentCreatedAt: readParentCreatedAt(fields, field, now),
    name: readAuthorName(fields.authorName, `${field}.authorName`),
    email: readAuthorEmail(fields.authorEmail, `${field}.authorEmail`),
    website: readAuthorWebsite(fields.authorUrl, `${field}.authorUrl`),
    createdAt,
    editedAt,
    body: readCommentBody(fields.body, `${field}.body`),
    status: status as ImportStatus,
    owner: optionalBoolean(fields.owner, `${field}.owner`),
    pinned: optionalBoolean(fields.pinned, `${field}.pinned`),
    deletedAt: null,
  };
}

interface CheckedThread {
  pageId: string;
  pageUrl: string | null;
  title: string | null;
  closed: boolean;
  closedAt: string | null;
  comments: CheckedComment[];
  part: { index: number; count: number } | null;
}

function readPart(raw: unknown, field: string): { index: number; count: number } | null {
  if (raw === undefined || raw === null) return null;
  const fields = asObject(raw, field);
  const { index, count } = fields;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 2 || count > IMPORT_LIMITS.parts) {
    throw invalidField(`${field}.count`, `${field}.count must be a whole number from 2 to ${IMPORT_LIMITS.parts}.`);
  }
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count) {
    throw invalidField(`${field}.index`, `${field}.index must be a whole number from 0 to ${count - 1}.`);
  }
  return { index, count };
}

/**
 * A thread's comments checked, with the two rules a thread adds: source ids are unique in it, and a reply's parent
 * comes before it (which also rules out cycles). A parent missing from the thread altogether (the source skipped
 * it: deleted, spam, a draft) leaves its reply at the top level rather than losing it.
 */
function checkThread(raw: unknown, field: string, now: Date): CheckedThread {
  const fields = asObject(raw, field) as Partial<Record<keyof ImportThread, unknown>>;
  const pageId = readPageId(fields.pageId, `${field}.pageId`);
  const comments = fields.comments;
  if (!Array.isArray(comments)) throw invalidField(`${field}.comments`, `${field}.comments must be a list.`);
  const checked = comments.map((comment, j) => checkComment(comment, `${field}.comments[${j}]`, now));
  const part = readPart(fields.part, `${field}.part`);

  const seen = new Set<string>();
  const everyId = new Set(checked.map((comment) => comment.sourceId));
  checked.forEach((comment, j) => {
    const at = `${field}.comments[${j}]`;
    if (seen.has(comment.sourceId)) {
      throw invalidField(`${at}.sourceId`, `${at}.sourceId repeats an earlier comment's in this thread.`);
    }
    seen.add(comment.sourceId);
    if (comment.parentCreatedAt !== null && part === null) {
      throw invalidField(`${at}.parentCreatedAt`, `${at}.parentCreatedAt is only for a part of a post (part).`);
    }
    if (comment.parentSourceId === null) return;
    if (!seen.has(comment.parentSourceId) && everyId.has(comment.parentSourceId)) {
      throw invalidField(`${at}.parentSourceId`, `${at}.parentSourceId must name a comment listed before it.`);
    }
    // A parent in this part is known by its own id: a time given for it changes nothing.
    if (everyId.has(comment.parentSourceId)) comment.parentCreatedAt = null;
    // In a part, a parent not listed here may be in another part: the last part checks (storage/import-stage.ts).
    if (!everyId.has(comment.parentSourceId) && part === null) comment.parentSourceId = null;
    if (comment.pinned && comment.parentSourceId !== null) {
      throw invalidField(`${at}.pinned`, `${at}.pinned: only a top-level comment can be pinned.`);
    }
  });
  const closed = optionalBoolean(fields.closed, `${field}.closed`);
  if (!closed && !isEmpty(fields.closedAt)) {
    throw invalidField(`${field}.closedAt`, `${field}.closedAt is given but ${field}.closed is not true.`);
  }
  return {
    pageId,
    pageUrl: readPageUrl(fields.pageUrl, pageId, `${field}.pageUrl`),
    title: readTitle(fields.title, `${field}.title`),
    closed,
    closedAt: closed && !isEmpty(fields.closedAt) ? readDate(fields.closedAt, `${field}.closedAt`, now) : null,
    comments: checked,
    part,
  };
}

/** The request's fields checked, in order; throws the first failure, naming its field. */
/**
 * An export's settings checked by the admin settings route's own rules (site-settings.ts readSiteSettings), each
 * failure named under `settings.`; Turnstile, Akismet and webhooks are not read: the export has no secrets for them.
 */
function checkSettings(raw: unknown): ImportedSettings {
  const fields = asObject(raw, 'settings');
  try {
    const {
      turnstile: _t,
      akismet: _a,
      webhooks: _w,
      ...settings
    } = readSiteSettings({
      ...fields,
      turnstile: null,
      akismet: null,
      webhooks: [],
      notifyEmail: fields.notifyEmail ?? null,
    });
    return { ...settings, notifyEmail: settings.notifyEmail ?? null };
  } catch (error) {
    if (error instanceof ApiError && error.field !== undefined) {
      throw invalidField(`settings.${error.field}`, `settings.${error.message}`);
    }
    throw error;
  }
}

/** An export's bans checked as the admin ban route checks a new one; those expired are dropped. */
function checkBans(raw: unknown, now: Date): ImportedBan[] {
  if (!Array.isArray(raw)) throw invalidField('bans', 'bans must be a list.');
  if (raw.length > IMPORT_LIMITS.bans) {
    throw invalidField('bans', `bans lists at most ${IMPORT_LIMITS.bans} bans per request; send the rest in another.`);
  }
  return raw.flatMap((entry, i): ImportedBan[] => {
    const field = `bans[${i}]`;
    const fields = asObject(entry, field) as Partial<Record<keyof ExportBan, unknown>>;
    const kind = fields.kind;
    if (kind !== 'email' && kind !== 'name') {
      throw invalidField(`${field}.kind`, `${field}.kind must be email or name (IP bans are not exported).`);
    }
    const ban: ImportedBan = {
      kind,
      value: readBanValue(kind, fields.value, `${field}.value`),
      reason: readBanReason(fields.reason, `${field}.reason`),
      createdAt: readDate(fields.createdAt, `${field}.createdAt`, now),
      expiresAt: null,
    };
    if (fields.expiresAt !== null) {
      // A ban may run for years: only its start is held to the past.
      const expiresAt = readDate(fields.expiresAt, `${field}.expiresAt`, new Date(8.64e15));
      if (expiresAt < ban.createdAt) {
        throw invalidField(`${field}.expiresAt`, `${field}.expiresAt is before ${field}.createdAt.`);
      }
      if (Date.parse(expiresAt) <= now.getTime()) return [];
      ban.expiresAt = expiresAt;
    }
    return [ban];
  });
}

/** Comments a thread lists, before it is checked (a thread that is not one counts none: checkThread names it). */
function commentCount(thread: unknown): number {
  const comments = (thread as { comments?: unknown } | null)?.comments;
  return Array.isArray(comments) ? comments.length : 0;
}

export function checkImportRequest(
  json: unknown,
  now: Date,
): Omit<PreparedImport, 'threads'> & { threads: CheckedThread[] } {
  const fields = asObject(json, '');
  const source = fields.source;
  if (typeof source !== 'string' || !IMPORT_SOURCES.includes(source as ImportSource)) {
    throw invalidField('source', `source must be one of ${IMPORT_SOURCES.join(', ')}.`);
  }
  const threads = fields.threads;
  // A Sala export's settings or bans may come alone (an export of a site without comments).
  const onlySite = source === 'sala' && (isEmpty(fields.settings) === false || Array.isArray(fields.bans));
  if (!Array.isArray(threads) || (threads.length === 0 && !onlySite)) {
    throw invalidField('threads', 'threads must list at least one thread.');
  }
  if (threads.length > IMPORT_LIMITS.threads) {
    throw new ApiError(
      'too_many_threads',
      400,
      `An import request takes at most ${IMPORT_LIMITS.threads} threads; this one has ${threads.length}. Send the rest in another request.`,
      'threads',
    );
  }
  const comments = threads.reduce<number>((sum, thread) => sum + commentCount(thread), 0);
  if (comments > LIMITS.importComments) {
    throw new ApiError(
      'too_many_comments',
      400,
      `An import request takes at most ${LIMITS.importComments} comments; this one has ${comments}. Send the rest in another request (a bigger thread in parts of whole reply trees).`,
      'threads',
    );
  }
  const pages = new Set<string>();
  const checked = threads.map((thread, i) => {
    const result = checkThread(thread, `threads[${i}]`, now);
    if (pages.has(result.pageId)) {
      throw invalidField(`threads[${i}].pageId`, `threads[${i}].pageId names a page an earlier thread names.`);
    }
    pages.add(result.pageId);
    return result;
  });
  const site = { settings: fields.settings, replaceSettings: fields.replaceSettings, bans: fields.bans };
  if (source !== 'sala') {
    for (const [name, value] of Object.entries(site)) {
      if (value !== undefined) throw invalidField(name, `${name} comes only with source "sala" (a Sala export).`);
    }
  }
  const prepared: Omit<PreparedImport, 'threads'> & { threads: CheckedThread[] } = {
    source: source as ImportSource,
    threads: checked,
    replaceSettings: optionalBoolean(site.replaceSettings, 'replaceSettings'),
    bans: site.bans === undefined || site.bans === null ? [] : checkBans(site.bans, now),
  };
  if (site.settings !== undefined && site.settings !== null) prepared.settings = checkSettings(site.settings);
  if (fields.run !== undefined && fields.run !== null) prepared.run = checkRun(fields.run);
  return prepared;
}

/** `ImportRequest.run`: kept in each imported document the run writes, so it stays short. */
function checkRun(value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(value)) {
    throw invalidField('run', 'run must be 1 to 64 letters, digits, - or _.');
  }
  return value;
}

/**
 * The id an imported comment gets: a Sala export's own id as it was (a round trip keeps ids, and so the owner's
 * decisions and readers' links), anything else derived from the source and its id (comment-id.ts).
 */
function commentIdOf(source: ImportSource, comment: Pick<CheckedComment, 'sourceId' | 'createdAt'>): Promise<string> {
  if (source === 'sala' && isCommentId(comment.sourceId)) return Promise.resolve(comment.sourceId);
  return importedCommentId(Date.parse(comment.createdAt), source, comment.sourceId);
}

/**
 * The request checked and mapped to stored comments: private fields kept as a new comment keeps them (the email
 * on the record, never served), no IP, no edit token (nobody can edit an imported comment with one), avatars
 * seeded as a new comment's (the owner's own seed for the owner's comments).
 */
export async function readImportRequest(json: unknown, facts: ImportFacts): Promise<PreparedImport> {
  const { threads, ...site } = checkImportRequest(json, facts.now);
  const source = site.source;
  // Many comments share an author: one HMAC per author, not per comment.
  const avatars = new Map<string, Promise<string>>();
  const avatarOf = (comment: CheckedComment): Promise<string> => {
    const subject = comment.owner ? 'owner' : `${comment.email?.toLowerCase() ?? ''}\n${comment.name}`;
    let seed = avatars.get(subject);
    if (seed === undefined) {
      seed = comment.owner
        ? ownerAvatarSeed(facts.secret, facts.siteId)
        : avatarSeed(facts.secret, { name: comment.name, email: comment.email });
      avatars.set(subject, seed);
    }
    return seed;
  };

  const prepared = await Promise.all(
    threads.map(async (thread): Promise<PreparedThread> => {
      const ids = await Promise.all(thread.comments.map((comment) => commentIdOf(source, comment)));
      const idOf = new Map(thread.comments.map((comment, j) => [comment.sourceId, ids[j]!]));
      // A parent in another part, named by its time and source id: its id is written now, as the part is staged.
      const otherPartParents = await Promise.all(
        thread.comments.map((comment) =>
          comment.parentSourceId === null || comment.parentCreatedAt === null
            ? null
            : commentIdOf(source, { sourceId: comment.parentSourceId, createdAt: comment.parentCreatedAt }),
        ),
      );
      const comments = await Promise.all(
        thread.comments.map(async (comment, j): Promise<StoredComment> => {
          const author: StoredComment['author'] = {
            name: comment.name,
            // A deleted placeholder keeps no avatar, as the Worker's own erasure leaves it (stored-comment.ts erased).
            avatar: comment.deletedAt === null ? await avatarOf(comment) : '',
          };
          if (comment.email !== null) author.email = comment.email;
          if (comment.website !== null) author.website = comment.website;
          if (comment.owner) author.owner = true;
          const stored: StoredComment = {
            id: ids[j]!,
            pageId: thread.pageId,
            // A parent in another part is written now when its time came with it (the last part checks it is in the
            // post), else resolved by the last part (storage/import-stage.ts).
            parentId:
              comment.parentSourceId === null
                ? null
                : (idOf.get(comment.parentSourceId) ?? otherPartParents[j] ?? null),
            status: comment.status,
            author,
            body: comment.body,
            createdAt: comment.createdAt,
            tokenHash: '',
          };
          if (thread.pageUrl !== null) stored.pageUrl = thread.pageUrl;
          if (comment.pinned) stored.pinned = true;
          if (comment.editedAt !== null) stored.editedAt = comment.editedAt;
          if (comment.deletedAt !== null) stored.deletedAt = comment.deletedAt;
          return stored;
        }),
      );
      const result: PreparedThread = { pageId: thread.pageId, closed: thread.closed, comments };
      if (thread.pageUrl !== null) result.pageUrl = thread.pageUrl;
      if (thread.title !== null) result.title = thread.title;
      if (thread.closedAt !== null) result.closedAt = thread.closedAt;
      if (thread.part !== null) {
        result.part = {
          ...thread.part,
          sourceIds: thread.comments.map((comment) => comment.sourceId),
          parentSourceIds: thread.comments.map((comment) => comment.parentSourceId),
        };
      }
      return result;
    }),
  );
  return { ...site, threads: prepared };
}
