/**
 * What posting a comment takes beyond showing the form: the checks that mirror the Worker's LIMITS, the POST body,
 * the commenter key, the Turnstile loader and the messages only posting meets. One chunk, fetched once the reader
 * starts on the form (composer.ts), so a reader who only reads never downloads it.
 */
import { LIMITS, safeHref, type CreateCommentRequest } from '@sala/protocol';
import type { PageIdentity } from '../internal/page-identity.js';
import { readJson, writeJson } from '../internal/storage.js';
import { COMMENTER_KEY, type Draft, type DraftField } from './draft.js';

export { enPosting } from '../internal/i18n/en-posting.js';
export { loadTurnstile } from './turnstile.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A website as the API wants it: '' when empty, a full http(s) URL, or null when it cannot be one. */
export function normalizeWebsite(input: string): string | null {
  const trimmed = input.trim();
  if (trimmed === '') return '';
  // People type "example.com"; the API takes only absolute http(s) URLs.
  const candidate = /^[a-z][a-z\d+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
  const href = safeHref(candidate);
  return href && /^https?:/.test(href) && href.length <= LIMITS.website ? href : null;
}

/** Fields of `draft` the Worker would refuse, in form order. */
export function invalidFields(draft: Draft, fields: readonly DraftField[]): DraftField[] {
  const valid: Record<DraftField, (value: string) => boolean> = {
    name: (value) => value.trim() !== '' && value.trim().length <= LIMITS.name,
    email: (value) => value.trim() === '' || (value.trim().length <= LIMITS.email && EMAIL.test(value.trim())),
    website: (value) => normalizeWebsite(value) !== null,
    body: (value) => value.trim() !== '' && value.length <= LIMITS.body,
  };
  return fields.filter((field) => !valid[field](draft[field]));
}

export function saveCommenter({ name, email, website }: Draft): void {
  writeJson(COMMENTER_KEY, { name: name.trim(), email: email.trim(), website: website.trim() });
}

/** This browser's commenter keys (beside the name and the edit tokens), one per Sala server: `sala:key:{api origin}`. */
const COMMENTER_KEY_PREFIX = 'sala:key:';

/**
 * The secret this browser sends with every comment to the Sala server at `apiOrigin`, made on first use: once the
 * owner approves a comment sent with it, comments sent with it skip the first-time and link holds. Typing a known
 * commenter's name in another browser does not. Without storage it lasts as long as the page.
 */
export function commenterKey(apiOrigin: string): string {
  const storageKey = COMMENTER_KEY_PREFIX + apiOrigin;
  const stored = readJson(storageKey);
  if (typeof stored === 'string' && /^[A-Za-z0-9_-]{22,64}$/.test(stored)) return stored;
  const key = newCommenterKey();
  writeJson(storageKey, key);
  return key;
}

/** 128 random bits, base64url: 22 characters. */
function newCommenterKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/**
 * Signals the API weighs against spam: the honeypot, how long the form was open, a passed Turnstile check, and
 * the key that shows this browser is a commenter the owner approved before.
 */
export interface Proof {
  hp: string;
  elapsedMs: number;
  captchaToken?: string | undefined;
  commenterKey?: string | undefined;
}

/** The POST body for a draft: trimmed, with empty optional fields left out. */
export function createRequest(
  draft: Draft,
  page: PageIdentity,
  parentId: string | null,
  proof: Proof,
): CreateCommentRequest {
  const email = draft.email.trim();
  const website = normalizeWebsite(draft.website);
  return {
    page: page.pageId,
    ...(page.pageUrl ? { pageUrl: page.pageUrl } : {}),
    ...(parentId ? { parentId } : {}),
    name: draft.name.trim(),
    ...(email ? { email } : {}),
    ...(website ? { website } : {}),
    body: draft.body,
    ...(proof.hp ? { hp: proof.hp } : {}),
    elapsedMs: proof.elapsedMs,
    ...(proof.captchaToken ? { captchaToken: proof.captchaToken } : {}),
    ...(proof.commenterKey ? { commenterKey: proof.commenterKey } : {}),
  };
}
