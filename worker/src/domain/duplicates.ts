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

/** Whether a comment in the snapshot has the same text and was posted within the window. */
export function duplicatesVisible(body: string, comments: readonly PublicComment[], now: number): boolean {
  if (isRepeatable(body)) return false;
  const text = normalizeBody(body);
  return comments.some(
    (comment) =>
      comment.deleted !== true &&
      now - Date.parse(comment.createdAt) < WINDOW_MS &&
      normalizeBody(comment.body) === text,
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
