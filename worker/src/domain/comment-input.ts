/**
 * Reads untrusted request JSON into the inputs the comment routes act on. Each failure names its field, so the
 * widget can point at it; nothing here trims or rewrites the comment body, which is kept exactly as typed.
 */
import { hasBidiControls, LIMITS, normalizePageId, pageLink, safeHref } from '@sala/protocol';
import { ApiError, invalidField } from '../errors.js';
import { isCommentId } from './comment-id.js';

export interface NewCommentInput {
  pageId: string;
  parentId: string | null;
  name: string;
  email: string | null;
  website: string | null;
  body: string;
  /** The page's address as a link (`readPageUrl`); absent or null when not sent or not this page's. */
  pageUrl?: string | null;
}

export interface CommentEditInput {
  pageId: string;
  body: string;
}

// C0 and C1 controls and the Unicode line separators: never part of a name.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** True when `text` holds a character that has no place in a one-line field (a name, an id, a title). */
export function hasControlCharacters(text: string): boolean {
  return CONTROL_CHARACTERS.test(text);
}

const PLAUSIBLE_EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;

function asObject(json: unknown): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ApiError('invalid_json', 400, 'The request body must be a JSON object.');
  }
  return json as Record<string, unknown>;
}

/** A string field, or null when absent, null or empty: forms send '' for a field left blank. */
function optionalString(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalidField(field, `${field} must be a string.`);
  return value.trim() === '' ? null : value;
}

function requiredString(value: unknown, field: string): string {
  const text = optionalString(value, field);
  if (text === null) throw invalidField(field, `${field} is required.`);
  return text;
}

function checkLength(field: string, value: string, max: number): void {
  if (value.length > max) throw invalidField(field, `${field} is longer than ${max} characters.`);
}

/** A normalised page id from a body field or query parameter named `field`. */
export function readPageId(raw: unknown, field = 'page'): string {
  if (raw === undefined || raw === null || raw === '') throw invalidField(field, `${field} is required.`);
  if (typeof raw !== 'string') throw invalidField(field, `${field} must be a string.`);
  if (raw.length > LIMITS.pageId) throw invalidField(field, `${field} is longer than ${LIMITS.pageId} characters.`);
  // A page id travels into mails, webhooks and KV metadata: line breaks there would let it forge text.
  if (CONTROL_CHARACTERS.test(raw)) throw invalidField(field, `${field} must not contain control characters.`);
  const pageId = normalizePageId(raw);
  if (pageId === null) throw invalidField(field, `${field} is required.`);
  return pageId;
}

/**
 * The page's address to link to, from a body field: it keeps the `.html` the page id drops, because Blogger serves
 * `walk.html` and never `walk`. Malformed input is a 400 naming `field`; an address of another page is ignored
 * (null), so a forger can only choose between the forms of the page's own address, and a comment is never lost
 * over a link.
 */
export function readPageUrl(raw: unknown, pageId: string, field = 'pageUrl'): string | null {
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw !== 'string') throw invalidField(field, `${field} must be a string.`);
  if (raw.length > LIMITS.pageId) throw invalidField(field, `${field} is longer than ${LIMITS.pageId} characters.`);
  if (CONTROL_CHARACTERS.test(raw)) throw invalidField(field, `${field} must not contain control characters.`);
  const link = pageLink(raw);
  if (link === null) throw invalidField(field, `${field} must be an http or https URL.`);
  return normalizePageId(link) === pageId ? link : null;
}

/**
 * The rules every comment's fields meet, whoever sends them (a reader's POST, an import); `field` is the name a
 * failure reports, e.g. `body` or `threads[3].comments[7].body`.
 */
export function readCommentBody(raw: unknown, field = 'body'): string {
  const body = requiredString(raw, field);
  checkLength(field, body, LIMITS.body);
  return body;
}

export function readAuthorName(raw: unknown, field = 'name'): string {
  const name = requiredString(raw, field).trim();
  checkLength(field, name, LIMITS.name);
  if (CONTROL_CHARACTERS.test(name)) throw invalidField(field, `${field} must not contain control characters.`);
  return name;
}

/**
 * The name a reader types: as `readAuthorName`, and refused with a bidi control in it. Imported names keep theirs (a
 * comment is not lost over a name): every place that shows a name isolates it.
 */
function readCommenterName(raw: unknown, field = 'name'): string {
  const name = readAuthorName(raw, field);
  if (hasBidiControls(name)) throw invalidField(field, `${field} must not contain control characters.`);
  return name;
}

export function readAuthorEmail(raw: unknown, field = 'email'): string | null {
  const email = optionalString(raw, field)?.trim() ?? null;
  if (email === null) return null;
  checkLength(field, email, LIMITS.email);
  if (!PLAUSIBLE_EMAIL.test(email) || CONTROL_CHARACTERS.test(email)) {
    throw invalidField(field, `${field} is not an email address.`);
  }
  return email;
}

export function readAuthorWebsite(raw: unknown, field = 'website'): string | null {
  const website = optionalString(raw, field)?.trim() ?? null;
  if (website === null) return null;
  checkLength(field, website, LIMITS.website);
  const href = safeHref(website);
  if (href === null || !/^https?:/.test(href)) throw invalidField(field, `${field} must be an http or https URL.`);
  return href;
}

function readParentId(fields: Record<string, unknown>): string | null {
  const parentId = optionalString(fields.parentId, 'parentId');
  if (parentId === null) return null;
  // A malformed id cannot name a comment on this page; say so the same way as for a missing one.
  if (!isCommentId(parentId)) {
    throw new ApiError('parent_not_found', 400, 'The comment replied to does not exist on this page.', 'parentId');
  }
  return parentId;
}

/**
 * The optional fields others read (spam.ts, screen-comment.ts), of their type or absent (null counts as absent): a
 * wrong type is refused naming it, not taken as absent (`elapsedMs: "9000"` would count as a form never timed).
 * `hp` is not here: a honeypot filled with anything counts as filled, and a refusal would tell the bot so.
 */
const OPTIONAL_TYPES = {
  elapsedMs: 'number',
  notifyReplies: 'boolean',
  captchaToken: 'string',
  lang: 'string',
} as const;

function checkOptionalTypes(fields: Record<string, unknown>): void {
  for (const [field, type] of Object.entries(OPTIONAL_TYPES)) {
    const value = fields[field];
    if (value !== undefined && value !== null && typeof value !== type) {
      throw invalidField(field, `${field} must be a ${type}.`);
    }
  }
}

/** POST /comments body. Unknown extra fields are ignored. */
export function readNewComment(json: unknown): NewCommentInput {
  const fields = asObject(json);
  checkOptionalTypes(fields);
  const pageId = readPageId(fields.page);
  return {
    pageId,
    parentId: readParentId(fields),
    name: readCommenterName(fields.name),
    email: readAuthorEmail(fields.email),
    website: readAuthorWebsite(fields.website),
    body: readCommentBody(fields.body),
    pageUrl: readPageUrl(fields.pageUrl, pageId),
  };
}

/** PATCH /comments/:id body. */
export function readCommentEdit(json: unknown): CommentEditInput {
  const fields = asObject(json);
  return { pageId: readPageId(fields.page), body: readCommentBody(fields.body) };
}
