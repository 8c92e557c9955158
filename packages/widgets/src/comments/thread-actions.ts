/**
 * What the thread does once a reader acts on a comment: opens its reply form, edit form or delete question, takes in
 * what a form saved, and deletes. It travels in the posting chunk with own-actions.ts (re-exported here, so the thread
 * has one module to load): a pointer or focus reaching a Reply, Edit or Delete starts fetching it, ahead of the click
 * (comments.component.ts), and then the form that opens needs that chunk anyway; a reader who only reads never
 * downloads it.
 */
import type { PublicComment } from '@sala/protocol';
import type { SalaEventMap } from '../events.js';
import { toApiError, type ApiError } from '../internal/api-client.js';
import { connectedElements } from '../internal/config.js';
import type { StringKey } from '../internal/i18n/en.js';
import { enPosting } from '../internal/i18n/en-posting.js';
import type { Translator } from '../internal/i18n/locale.js';
import { parserFor } from '../internal/markdown.js';
import type { CommentAction } from './comment-item.js';
import { COMPOSER_PARTS, type ThreadSource } from './comments.component.js';
import type { ComposerResult, SalaCommentComposer } from './composer.js';
import { escaped, inlineFormKey } from './draft.js';
import {
  deleteOwn,
  OwnComments,
  replyMailKey,
  replyMails,
  styleReplyMailNotes,
  withoutComment,
  withSaved,
} from './own-actions.js';

export * from './own-actions.js';

/**
 * The thread as these actions see it: <sala-comments> (comments.component.ts) lends its state and a few of its parts,
 * which are private to any other code.
 */
export interface ActingThread extends HTMLElement {
  comments: PublicComment[];
  total: number;
  active: { id: string; action: CommentAction } | null;
  busy: boolean;
  actionError: { id: string; error: ApiError } | null;
  announcement: string;
  /** The open reply or edit form (`reply:{id}` or `edit:{id}`), kept while it stays open. */
  inlineForm: { key: string; element: SalaCommentComposer } | undefined;
  readonly source: ThreadSource | undefined;
  readonly visible: PublicComment[];
  readonly i18n: Translator | undefined;
  readonly updateComplete: Promise<boolean>;
  readonly renderRoot: HTMLElement | DocumentFragment;
  requestUpdate(): void;
  article(id: string): HTMLElement | null;
  emitError(error: ApiError): void;
}

/** Opens a comment's reply form, edit form or delete question, and moves focus into it. */
export async function open(thread: ActingThread, comment: PublicComment, action: CommentAction): Promise<void> {
  thread.active = { id: comment.id, action };
  thread.actionError = null;
  await thread.updateComplete;
  const scope = thread.article(comment.id);
  if (action === 'delete') scope?.querySelector<HTMLElement>('[data-action="cancel"]')?.focus();
  else await scope?.querySelector<SalaCommentComposer>('sala-comment-composer')?.focusFirstField();
}

/** Closes what `open` opened and returns focus to the button that opened it. */
export async function close(thread: ActingThread, comment: PublicComment): Promise<void> {
  const action = thread.active?.action;
  thread.active = thread.actionError = null;
  await thread.updateComplete;
  thread.article(comment.id)?.querySelector<HTMLElement>(`[data-action="${action}"]`)?.focus();
}

/**
 * The open reply or edit form, one element for as long as it stays open on its comment. The thread's items are
 * reused by position, so when a new comment goes in above, this element moves to its comment, text and all.
 */
export function inlineComposer(thread: ActingThread, target: PublicComment, edit: boolean): SalaCommentComposer {
  const key = inlineFormKey(target, edit);
  if (thread.inlineForm?.key !== key) {
    const element = document.createElement('sala-comment-composer') as SalaCommentComposer;
    element.setAttribute('exportparts', COMPOSER_PARTS);
    thread.inlineForm = { key, element };
    // Escape closed this form with text in it: it comes back (an edit's first update sets its saved text, hence after).
    const body = escaped.get(key);
    escaped.delete(key);
    if (body !== undefined) void element.updateComplete.then(() => (element.draft = { ...element.draft, body }));
  }
  const source = thread.source;
  return Object.assign(thread.inlineForm.element, {
    i18n: thread.i18n,
    api: source?.api,
    pageId: source?.pageId ?? '',
    pageUrl: source?.pageUrl ?? null,
    parent: edit ? null : target,
    editing: edit ? target : null,
    token: (edit && source?.own?.tokenFor(target.id)) || '',
    saved: (result: ComposerResult) => saved(thread, result, target, source),
    cancel: () => close(thread, target),
  });
}

/**
 * A form saved a comment: show it at once, move focus to it, and say so. `source`: the thread the form sent it to,
 * which the element may have left while it was sending (an app changed its page-id): the comment is the reader's
 * there, kept with that thread's own comments and announced with that page id, and this thread does not show it.
 */
export async function saved(
  thread: ActingThread,
  result: ComposerResult,
  target: PublicComment | null,
  source = thread.source,
): Promise<void> {
  if (!source) return;
  const own = (source.own ??= new OwnComments(source.ownKey));
  await parserFor(['created' in result ? result.created.comment : result.edited]);
  const { comment, comments } = withSaved(result, own, thread.comments);
  const created = 'created' in result;
  // It asked for reply mails: what comes next (a mail to confirm, or the replies) is said below it, and announced.
  const mails = created ? result.created.replyMail : undefined;
  if (mails) replyMails.set(comment.id, mails);
  for (const other of alsoShowing(thread, source)) {
    if (!created) other.comments = other.comments.map((shown) => (shown.id === comment.id ? comment : shown));
    if (mails) styleReplyMailNotes(other.renderRoot as ShadowRoot);
    other.requestUpdate();
  }
  if (mails) styleReplyMailNotes(thread.renderRoot as ShadowRoot);
  const told = () => tell(thread, created ? 'sala-comment-posted' : 'sala-comment-edited', comment, source);
  if (source !== thread.source) return told();
  thread.comments = comments;
  if (target) thread.active = null;
  await announce(
    thread,
    !created ? 'announceSaved' : comment.status === 'pending' ? 'announcePending' : 'announcePosted',
    mails && replyMailKey[mails],
  );
  thread.article(comment.id)?.focus();
  told();
}

/** Deletes one of the reader's comments (only those have a Delete, so their comments are loaded). */
export async function deleteComment(thread: ActingThread, comment: PublicComment): Promise<void> {
  const source = thread.source!;
  const own = source.own!;
  if (thread.busy) return;
  [thread.busy, thread.actionError] = [true, null];
  let left;
  try {
    left = await deleteOwn(source.api, own, comment, source.pageId);
  } catch (caught) {
    const error = toApiError(caught);
    thread.actionError = { id: comment.id, error };
    thread.emitError(error);
    return;
  } finally {
    thread.busy = false;
  }
  for (const shown of [thread, ...alsoShowing(thread, source)]) {
    if (shown.comments.some((other) => other.id === comment.id)) shown.total = Math.max(0, shown.total - 1);
    shown.comments = withoutComment(comment, own, shown.comments, shown.visible, left);
    if (shown.active?.id === comment.id) shown.active = null;
  }
  await announce(thread, 'announceDeleted');
  // Focus stays in place: on the placeholder, else the parent, else the heading.
  const parent = comment.parentId ? thread.article(comment.parentId) : null;
  (thread.article(comment.id) ?? parent ?? thread.renderRoot.querySelector('h2'))?.focus();
  tell(thread, 'sala-comment-deleted', comment, source);
}

/**
 * The page's other <sala-comments> showing `source`'s thread (the one that took it when an app moved `thread` to another
 * post while a comment was on its way: two of one post show it once, comments.component.ts), given the reader's
 * comments of `thread`'s: what the reader posts, edits or deletes in one shows in each, not only after a reload, and
 * none writes back a stale copy of them. Found when the reader acts, by this code
 * that only acting loads, so a page that only reads pays nothing for it, among the Sala elements on the page
 * (connectedElements), which reaches a thread in an app component's shadow root, closed too, as a query of the
 * document does not; only a thread has a `source`.
 */
function alsoShowing(thread: ActingThread, source: ThreadSource): ActingThread[] {
  const threads = [...connectedElements] as unknown as Partial<ActingThread>[];
  const others = threads.filter(
    (other): other is ActingThread => other !== thread && other.source?.ownKey === source.ownKey,
  );
  for (const other of others) other.source!.own = source.own;
  return others;
}

/**
 * Tells the page what the reader did to a comment of theirs, naming the thread it was done on (which an app may have
 * left meanwhile), so the app can keep its own state in step; like every Sala event it crosses shadow roots.
 */
function tell(
  thread: ActingThread,
  name: 'sala-comment-posted' | 'sala-comment-edited' | 'sala-comment-deleted',
  comment: PublicComment,
  { pageId }: ThreadSource,
): void {
  const detail: SalaEventMap[typeof name]['detail'] = { comment, pageId };
  thread.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

/** Says something to screen readers (then `more`, if given); cleared first so the same words twice are announced twice. */
async function announce(thread: ActingThread, key: StringKey, more?: StringKey): Promise<void> {
  thread.announcement = '';
  await thread.updateComplete;
  const i18n = thread.i18n?.withDefaults(enPosting);
  thread.announcement = i18n ? [key, more].flatMap((part) => (part ? [i18n.t(part)] : [])).join(' ') : '';
  await thread.updateComplete;
}
