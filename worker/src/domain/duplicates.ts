/**
 * Duplicate comments: the same text posted to the same page again within a day (a double click, a retrying bot).
 * Checked against the page snapshot the POST reads anyway, and against this isolate's memory of bodies it
 * accepted lately, which also covers held comments and the second or two before a rebuild.
 */
import type { PublicComment } from '@sala/protocol';

/** How long a text posted to a page is a duplicate there. */
export const DUPLICATE_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Shorter texts ("Thanks!", "+1") are said by many people and are not duplicates of each other. */
const MIN_LENGTH = 12;
const REMEMBERED = 2000;

/** Case and spacing do not make a text different. */
export function normalizeBody(body: string): string {
  return body.toLowerCase().replace(/\s+/g, ' ').trim();
}

export function isRepeatable(body: string): boolean {
  return isShort(normalizeBody(body));
}

/** Whether a text already normalised (`normalizeBody`) is too short to be a duplicate. */
function isShort(normalized: string): boolean {
  return normalized.length < MIN_LENGTH;
}

/** What `\s` (and so `trim`) counts as space: the code units normalizeBody collapses and trims. */
function isSpace(code: number): boolean {
  return (
    (code >= 9 && code <= 13) ||
    code === 32 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/**
 * `normalizeBody(body) === normalized`, without building the normalised copy: stops at the first character that
 * differs, which for two different comments is nearly always within the first few. A 1,000-comment thread
 * posted to within a day made the POST normalise 300 KB of text.
 */
export function normalizesTo(body: string, normalized: string): boolean {
  // ASCII lowercases letter by letter (A-Z only, no context): most comments differ before any copy is made.
  // At the first other character the whole text is lowercased and compared as below.
  let at = 0;
  let i = 0;
  while (i < body.length && body.charCodeAt(i) < 128 && isSpace(body.charCodeAt(i))) i++;
  while (i < body.length) {
    const code = body.charCodeAt(i);
    if (code >= 128) return normalizesLowercased(body.toLowerCase(), normalized);
    if (isSpace(code)) {
      while (i < body.length && body.charCodeAt(i) < 128 && isSpace(body.charCodeAt(i))) i++;
      if (i === body.length) break; // trailing space is trimmed
      if (body.charCodeAt(i) >= 128) return normalizesLowercased(body.toLowerCase(), normalized);
      if (normalized.charCodeAt(at++) !== 32) return false;
      continue;
    }
    if (normalized.charCodeAt(at++) !== (code >= 65 && code <= 90 ? code + 32 : code)) return false;
    i++;
  }
  return at === normalized.length;
}

function normalizesLowercased(lower: string, normalized: string): boolean {
  let at = 0;
  let i = 0;
  while (i < lower.length && isSpace(lower.charCodeAt(i))) i++;
  while (i < lower.length) {
    const code = lower.charCodeAt(i);
    if (isSpace(code)) {
      while (i < lower.length && isSpace(lower.charCodeAt(i))) i++;
      if (i === lower.length) break; // trailing space is trimmed
      if (normalized.charCodeAt(at++) !== 32) return false;
      continue;
    }
    if (normalized.charCodeAt(at++) !== code) return false;
    i++;
  }
  return at === normalized.length;
}

/** Whether a comment in the snapshot has the same text and was posted within the window. */
export function duplicatesVisible(body: string, comments: readonly PublicComment[], now: number): boolean {
  if (isRepeatable(body)) return false;
  const text = normalizeBody(body);
  return comments.some(
    (comment) =>
      comment.deleted !== true &&
      normalizesTo(comment.body, text) &&
      now - Date.parse(comment.createdAt) < DUPLICATE_WINDOW_MS,
  );
}

/** How long every fingerprint that is not empty is (`bodyFingerprint`). */
export const FINGERPRINT_LENGTH = 15;

/**
 * A comment's text and time in 15 characters, for the duplicate check of a big thread without its comments (a split
 * snapshot's parts are not read for it, storage/threads.ts): the FNV-1a hash of its normalised text (8 hex digits)
 * and its time in seconds (7 base-36 digits). Empty for a text that is never a duplicate.
 */
export function bodyFingerprint(body: string, createdAt: string): string {
  // Normalised once: the sealing of a part another isolate's head holds hashes about 80 texts in a first run.
  const normalized = normalizeBody(body);
  if (isShort(normalized)) return '';
  const seconds = Math.floor(Date.parse(createdAt) / 1000);
  return `${fnv1a(normalized)}${seconds.toString(36).padStart(7, '0')}`;
}

/** 32-bit FNV-1a of the text's UTF-16 code units, as 8 hex digits. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * Whether fingerprints (`bodyFingerprint`, joined) hold the same text posted within the window. Two texts may share
 * a hash: one post in about four billion per comment compared would be refused as a repeat it is not.
 */
export function duplicatesFingerprinted(body: string, fingerprints: readonly string[], now: number): boolean {
  if (fingerprints.length === 0) return false;
  const normalized = normalizeBody(body);
  if (isShort(normalized)) return false;
  const hash = fnv1a(normalized);
  return fingerprints.some((joined) => {
    for (let at = joined.indexOf(hash); at !== -1; at = joined.indexOf(hash, at + 1)) {
      if (at % FINGERPRINT_LENGTH !== 0) continue;
      const seconds = parseInt(joined.slice(at + 8, at + FINGERPRINT_LENGTH), 36);
      if (now - seconds * 1000 < DUPLICATE_WINDOW_MS) return true;
    }
    return false;
  });
}

/** Texts this isolate accepted lately, per page; bounded, oldest forgotten first. */
export class RecentBodies {
  readonly #seen = new Map<string, number>();

  #key(pageKey: string, body: string): string {
    return `${pageKey}\n${normalizeBody(body)}`;
  }

  /** Forgets every text, as a new isolate has seen none (the startup warm-up's, domain/isolate-state.ts). */
  clear(): void {
    this.#seen.clear();
  }

  has(pageKey: string, body: string, now: number): boolean {
    if (isRepeatable(body)) return false;
    const at = this.#seen.get(this.#key(pageKey, body));
    return at !== undefined && now - at < DUPLICATE_WINDOW_MS;
  }

  remember(pageKey: string, body: string, now: number): void {
    if (isRepeatable(body)) return;
    const key = this.#key(pageKey, body);
    this.#seen.delete(key);
    this.#seen.set(key, now);
    if (this.#seen.size > REMEMBERED) this.#seen.delete(this.#seen.keys().next().value!);
  }
}
