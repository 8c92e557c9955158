/**
 * Duplicate comments: the same text posted to the same page again within a day (a double click, a retrying bot).
 * Checked against the page snapshot the POST reads anyway, and against this isolate's memory of bodies it
 * accepted lately, which also covers held comments and the second or two before a rebuild.
 */
import type { PublicComment } from '@sala/protocol';

const WINDOW_MS = 24 * 60 * 60 * 1000;
/** Shorter texts ("Thanks!", "+1") are said by many people and are not duplicates of each other. */
const MIN_LENGTH = 12;
const REMEMBERED = 2000;

/** Case and spacing do not make a text different. */
export function normalizeBody(body: string): string {
  return body.toLowerCase().replace(/\s+/g, ' ').trim();
}

export function isRepeatable(body: string): boolean {
  return normalizeBody(body).length < MIN_LENGTH;
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
      comment.deleted !== true && normalizesTo(comment.body, text) && now - Date.parse(comment.createdAt) < WINDOW_MS,
  );
}

/** Texts this isolate accepted lately, per page; bounded, oldest forgotten first. */
export class RecentBodies {
  readonly #seen = new Map<string, number>();

  #key(pageKey: string, body: string): string {
    return `${pageKey}\n${normalizeBody(body)}`;
  }

  has(pageKey: string, body: string, now: number): boolean {
    if (isRepeatable(body)) return false;
    const at = this.#seen.get(this.#key(pageKey, body));
    return at !== undefined && now - at < WINDOW_MS;
  }

  remember(pageKey: string, body: string, now: number): void {
    if (isRepeatable(body)) return;
    const key = this.#key(pageKey, body);
    this.#seen.delete(key);
    this.#seen.set(key, now);
    if (this.#seen.size > REMEMBERED) this.#seen.delete(this.#seen.keys().next().value!);
  }
}
