/** What the composer holds, and what this browser remembers of the commenter to fill it in again. */
import { readJson } from '../internal/storage.js';

export interface Draft {
  name: string;
  email: string;
  website: string;
  body: string;
  /** "Email me replies to this comment" is ticked (the form shows it where the thread says reply mails are on). */
  notifyReplies?: boolean;
}

/** The fields the reader types in. */
export type DraftField = Exclude<keyof Draft, 'notifyReplies'>;

/** Where the name, email, website and the choice of reply mails are remembered (sending.ts saves them after a post). */
export const COMMENTER_KEY = 'sala:commenter';

/**
 * What posting could not store, by key, while storage refuses writes (full, or Safari's private mode): the name typed
 * and the commenter key (sending.ts) last the page's life, not only until the next form or comment.
 */
export const unstored = new Map<string, unknown>();

/** Stores `value` under `key`, as storage.ts's writeJson does, or keeps it in `unstored` while storage refuses it. */
export function remember(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
    unstored.delete(key);
  } catch {
    unstored.set(key, value);
  }
}

/** What is remembered under `key`: kept by this page while storage refuses it, else stored. */
export function recall(key: string): unknown {
  return unstored.has(key) ? unstored.get(key) : readJson(key);
}

/** Name, email, website and reply mails remembered in this browser so the next comment is quicker to write. */
export function loadCommenter(): Omit<Draft, 'body'> {
  const stored = recall(COMMENTER_KEY) as Partial<Record<string, unknown>> | undefined;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    name: text(stored?.['name']),
    email: text(stored?.['email']),
    website: text(stored?.['website']),
    notifyReplies: stored?.['notifyReplies'] === true,
  };
}

/**
 * The text of each thread's new comment not sent yet, by page id, while the page stays loaded: an app that moves the
 * thread to another post (a new `page-id`) shows that post's own, and the first again on the way back.
 */
export const unsent = new Map<string, string>();

/**
 * The text each reply or edit form held when Escape closed it, by `inlineFormKey`, while the page stays loaded: opening
 * that form again shows it. Escape is easy to press by accident (or to end an IME's composition); Cancel throws away.
 */
export const escaped = new Map<string, string>();

/** Which reply or edit form: `reply:{id}` or `edit:{id}` of the comment it answers or edits. */
export function inlineFormKey(target: { id: string }, edit: boolean): string {
  return `${edit ? 'edit' : 'reply'}:${target.id}`;
}
