/** What the composer holds, and what this browser remembers of the commenter to fill it in again. */
import { readJson } from '../internal/storage.js';

export interface Draft {
  name: string;
  email: string;
  website: string;
  body: string;
}

export type DraftField = keyof Draft;

/** Where the name, email and website are remembered (sending.ts saves them after a post). */
export const COMMENTER_KEY = 'sala:commenter';

/** Name, email and website remembered in this browser so the next comment is quicker to write. */
export function loadCommenter(): Pick<Draft, 'name' | 'email' | 'website'> {
  const stored = readJson(COMMENTER_KEY) as Partial<Record<string, unknown>> | undefined;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return { name: text(stored?.['name']), email: text(stored?.['email']), website: text(stored?.['website']) };
}

/**
 * The text of each thread's new comment not sent yet, by page id, while the page stays loaded: an app that moves the
 * thread to another post (a new `page-id`) shows that post's own, and the first again on the way back.
 */
export const unsent = new Map<string, string>();
