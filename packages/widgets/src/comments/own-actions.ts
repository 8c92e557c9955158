/**
 * What the thread does only for a reader with comments of their own: asks before a delete, deletes, and takes in
 * what the reader just posted or edited. It travels in the posting chunk with OwnComments, which each of these needs
 * first (Edit and Delete show only on a comment this browser holds the token of), so none of it waits on a request.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import type { DeleteCommentResponse, PublicComment, ThreadSort } from '@sala/protocol';
import type { ApiClient } from '../internal/api-client.js';
import { actionButton, commentId, failure, type CommentView } from './comment-item.js';
import type { ComposerResult } from './composer.js';
import { OwnComments, placeholder, type Left } from './own-comments.js';
import type { ThreadNode } from './thread.js';

export { enPosting } from '../internal/i18n/en-posting.js';
export { OwnComments } from './own-comments.js';

/**
 * Edit and Delete on one of the reader's comments, each named with the time it was posted ("Edit your comment posted
 * at 10:42"): a screen reader listing the page's buttons otherwise says "Edit, Delete, Edit, Delete". The visible
 * word leads the name, so a reader who says "click Edit" still reaches it.
 */
export function ownActions(comment: PublicComment, view: CommentView): TemplateResult[] {
  const { i18n } = view;
  const posted = postedAt(comment, view);
  const remove = actionButton(comment, view, 'delete', i18n.t('delete'), i18n.t('deleteOwn', posted));
  const mails = replyMails.get(comment.id);
  const note = mails ? [html`<p class="note">${i18n.t(replyMailKey[mails])}</p>`] : [];
  // On a thread the owner closed, the API refuses an edit as it refuses a new comment; taking one back it does not.
  if (view.closed) return [remove, ...note];
  return [actionButton(comment, view, 'edit', i18n.t('edit'), i18n.t('editOwn', posted)), remove, ...note];
}

/**
 * What the POST said of the reply mails each comment posted from this page asked for (`replyMail`): said below it,
 * beside its Edit and Delete, while the page stays loaded.
 */
export const replyMails = new Map<string, 'confirm' | 'on'>();

/** What the reader is told of reply mails: a mail to confirm comes first, or replies simply will. */
export const replyMailKey = { confirm: 'replyMailConfirm', on: 'replyMailOn' } as const;

/**
 * The reply-mail note's one style, given to the thread's shadow root only once a note shows (saved() in
 * thread-actions.ts), so a reader who only reads never downloads it: the actions row pulls its buttons out by their
 * padding (comments.styles.ts) so that their words line up with the comment's text; the note's words must too
 * (its em is the note's 0.875em, the buttons' padding the thread's).
 */
const noteStyles = css`
  .actions > .note {
    padding-inline-start: calc(0.375em / 0.875);
  }
`;

/** Adds the note's style to the thread's shadow root, once. */
export function styleReplyMailNotes(root: ShadowRoot): void {
  const sheet = noteStyles.styleSheet;
  if (sheet && !root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

/**
 * When the reader posted `comment`, for the strings naming it: `time`, the clock time in their locale as its time's
 * tooltip gives it, and `at`, that time with the words the language puts before it (`postedAt`), which in Spanish and
 * Portuguese agree with the hour ("a la 1:05", "a las 13:05"; "à 1:05", "às 13:05"): the pack's `postedAtOne` where
 * the hour is one by the language's plural rules. Each of the reader's comments showing Edit and Delete gets a name of
 * its own: with the seconds when another was posted in the same minute, the date (`postedOn`) when it was not
 * posted today, as an owner who lets comments change for days allows, and the start of its text (`postedSaying`)
 * when another's time reads the same, as two tabs posting in one second (or the hour a clock goes back repeats)
 * make it, as far as the two read alike (`heard`: "Walked…" and "WALKED…" do). Those whose text reads alike too (an
 * edit made one read as another; "Me too!" is short enough to post twice, or as "ME TOO!") are numbered
 * (`postedSayingNth`, "1 of 2") down the page in every sort, as a screen reader listing the buttons meets them (their
 * times read alike too, so the order they were posted in tells the reader nothing, and read "2 of 2" first on a thread
 * sorted newest first); any the thread does not show yet (a page not loaded) come last.
 */
function postedAt(comment: PublicComment, { i18n, now, thread }: CommentView): { time: string; at: string } {
  const posted = Date.parse(comment.createdAt);
  if (Number.isNaN(posted)) return { time: '', at: '' };
  const mine = OwnComments.holding(comment.id)?.editable(now) ?? [];
  const others = mine.filter((other) => other.id !== comment.id);
  const clock = new Intl.DateTimeFormat(i18n.lang, {
    timeStyle: others.some((other) => Math.floor(Date.parse(other.createdAt) / 60_000) === Math.floor(posted / 60_000))
      ? 'medium'
      : 'short',
  });
  const named = (when: number) => {
    const time = clock.format(when);
    const hour = Number(clock.formatToParts(when).find((part) => part.type === 'hour')?.value);
    let at = i18n.plural(hour, 'postedAtOne', 'postedAt', { time });
    if (new Date(when).toDateString() !== new Date(now).toDateString()) {
      const date = new Intl.DateTimeFormat(i18n.lang, { month: 'long', day: 'numeric' }).format(when);
      at = i18n.t('postedOn', { date, at });
    }
    return { time, at };
  };
  const { time, at } = named(posted);
  const twins = others.filter((other) => named(Date.parse(other.createdAt)).at === at);
  if (!twins.length) return { time, at };
  // Each as the thread shows it: the reader's stored copy over KV's older one (OwnComments.latest), but the owner's
  // placeholder where they removed it since, and the names must tell apart what the reader sees.
  const shown = shownComments(thread);
  const seen = (own: PublicComment) => plainText(shown.find((other) => other.id === own.id) ?? own);
  const text = plainText(comment);
  const alike = twins.filter((other) => heard(seen(other)) === heard(text));
  const saying = { at, text: excerpt(text, twins.filter((other) => !alike.includes(other)).map(seen)) };
  if (!alike.length) return { time, at: i18n.t('postedSaying', saying) };
  const place = (own: PublicComment) =>
    shown.findIndex((other) => other.id === own.id) + 1 ||
    shown.length + 1 + mine.findIndex((other) => other.id === own.id);
  const n = 1 + alike.filter((other) => place(other) < place(comment)).length;
  // Digits as the page's locale writes them (ar-EG: "١ من ٢"), as every other count the thread shows.
  const number = (value: number) => value.toLocaleString(i18n.lang);
  return { time, at: i18n.t('postedSayingNth', { ...saying, n: number(n), count: number(alike.length + 1) }) };
}

/** The comments of `nodes` in the order a reader meets them: each before its replies. */
function shownComments(nodes: ThreadNode[]): PublicComment[] {
  return nodes.flatMap(({ comment, replies }) => [comment, ...shownComments(replies)]);
}

/** Characters of a comment's text that name it beside a twin's, and how many more each time they still read alike. */
const EXCERPT_STEP = 24;

/**
 * The start of `text`, cut with "…" once it differs from each of `others` ("Walked to the market early,…" beside
 * "Walked to the market late."): the reader knows their comments by what they wrote. With no other, its first words.
 */
function excerpt(text: string, others: string[]): string {
  let end = 0;
  do end = wordEnd(text, end + EXCERPT_STEP);
  while (end < text.length && others.some((other) => heard(other).startsWith(heard(text.slice(0, end)))));
  return end < text.length ? `${text.slice(0, end)}…` : text;
}

/**
 * Where to cut `text` at `index`: at the end of its word when that comes soon (or the end of the text), else there,
 * as in scripts written without spaces (Japanese, Khmer), never between the halves of an emoji.
 */
function wordEnd(text: string, index: number): number {
  const space = text.indexOf(' ', index);
  const end = space < 0 ? text.length : space;
  if (end - index < 16) return end;
  return /[\ud800-\udbff]/.test(text.charAt(index - 1)) ? index + 1 : index;
}

/**
 * `text` as a screen reader says it, to tell whether two texts read alike: letters' case unsaid ("ME TOO!"), nor the
 * punctuation screen readers leave unsaid as they start ("Me too", "Me too…"; they do say "%" or "@", but two texts
 * that differ by one only gain a number), and letters that look alike the same ("ｍｅ", "é" of two code points).
 * Turkish capitals too, whatever the thread's language (none is Turkish: a page in Turkish reads English, localeOf,
 * and a Turkish reader may comment on any blog): toLowerCase() makes "KIŞ" "kiş" beside "kış", and "GELDİ" "geldi"
 * with a combining dot above, so the dotless i and that dot fold to a plain i, as Turkish's own case rules make them
 * read alike.
 */
function heard(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ı|\u0307/g, (letter) => (letter === 'ı' ? 'i' : ''))
    .replace(/\p{P}/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A comment's words as a reader sees them, without Markdown's marks or link addresses, whitespace folded. */
function plainText(comment: PublicComment): string {
  const text = Array.isArray(comment.parsed) ? blocksText(comment.parsed) : comment.body;
  return text.replace(/\s+/g, ' ').trim();
}

/** The text of blocks of the compact AST (PackedBlock, markdown.ts): a comment's, a quote's or a list item's. */
function blocksText(blocks: unknown[]): string {
  return blocks
    .map((block) => {
      if (!Array.isArray(block)) return inlineText([block]);
      const [tag, ...rest] = block;
      if (tag === 'quote') return blocksText(rest);
      if (tag === 'ul' || tag === 'ol') return blocksText((tag === 'ol' ? rest.slice(1) : rest).flat());
      return inlineText(rest); // a paragraph's inlines, or a code block's text
    })
    .join(' ');
}

/** The text of inlines of the compact AST: a link's words without its address, a line break as a space. */
function inlineText(inlines: unknown[]): string {
  return inlines
    .map((node) => {
      if (!Array.isArray(node)) return typeof node === 'string' ? node : '';
      return node[0] === 'br' ? ' ' : inlineText(node.slice(node[0] === 'a' ? 2 : 1));
    })
    .join('');
}

/** The question an open Delete asks in place of the comment's actions, naming the comment as its Delete did. */
export function deleteQuestion(comment: PublicComment, view: CommentView): TemplateResult {
  const { i18n } = view;
  const question = `${commentId(comment.id)}-confirm`;
  return html`<div
    class="row"
    role="group"
    aria-labelledby=${question}
    @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && view.close(comment)}
  >
    <p id=${question}>${i18n.t('deleteConfirm', postedAt(comment, view))}</p>
    <button
      type="button"
      part="button danger"
      class="danger"
      aria-disabled=${view.busy ? 'true' : nothing}
      @click=${() => view.confirmDelete(comment)}
    >
      ${i18n.t('delete')}
    </button>
    <button type="button" part="button" data-action="cancel" @click=${() => view.close(comment)}>
      ${i18n.t('cancel')}
    </button>
    ${failure(comment, view)}
  </div>`;
}

/**
 * Deletes one of the reader's comments with its edit token, and says what that took out of the page's count
 * (OwnComments.remove); an ApiError says why not.
 */
export async function deleteOwn(api: ApiClient, own: OwnComments, comment: PublicComment, page: string): Promise<Left> {
  const path = `/comments/${encodeURIComponent(comment.id)}`;
  // As sent: a count the Worker writes after the delete is written later than this, however late its answer comes.
  const at = Date.now();
  const answer = await api.request<DeleteCommentResponse | undefined>('DELETE', path, {
    query: { page },
    token: own.tokenFor(comment.id) ?? '',
  });
  return { at, counted: answer?.counted };
}

/**
 * The server's comments once `comment` is deleted, its copy in `own` a placeholder (OwnComments.remove): replies keep
 * their place under a placeholder, as the server does; without replies it goes.
 */
export function withoutComment(
  comment: PublicComment,
  own: OwnComments,
  comments: PublicComment[],
  visible: PublicComment[],
  left: Left,
): PublicComment[] {
  own.remove(comment.id, left);
  if (visible.some((other) => other.parentId === comment.id)) {
    return comments.map((other) => (other.id === comment.id ? placeholder(other) : other));
  }
  return comments.filter((other) => other.id !== comment.id);
}

/**
 * What a form saved, kept in `own` (other readers may see a new comment only a minute later, KV; this reader sees it
 * now and after reloads), with the server's comments as they read after an edit.
 */
export function withSaved(
  result: ComposerResult,
  own: OwnComments,
  comments: PublicComment[],
): { comment: PublicComment; comments: PublicComment[] } {
  if ('created' in result) {
    const { comment, editToken, editableUntil } = result.created;
    own.add({ comment, editToken, editableUntil });
    return { comment, comments };
  }
  const comment = result.edited;
  own.update(comment, result.sent);
  return { comment, comments: comments.map((other) => (other.id === comment.id ? comment : other)) };
}

/**
 * The heading's count: the server's `total` moved by what this browser shows over its comments (`withOwnComments`):
 * the reader's comments KV does not list yet, and one they deleted that it still lists, a placeholder while replies
 * hang from it, until the snapshot is rebuilt. Placeholders count nowhere, as in the Worker's rebuild (thread.ts).
 */
export function shownCount(total: number, shown: PublicComment[], server: PublicComment[]): number {
  const counted = (comments: PublicComment[]) => comments.filter((comment) => !comment.deleted).length;
  return total + counted(shown) - counted(server);
}

/**
 * The server's comments, the reader's own as they last left them (OwnComments.latest), plus those it does not list:
 * yet (KV shows a new comment elsewhere only after up to a minute), or no longer (an edit the Worker held for the owner
 * leaves the thread). Each goes where the server puts it, by its time among its siblings: before the first the sort
 * puts after it (roots newest or oldest first below the pinned ones, replies oldest first), so a new comment goes where
 * new ones go and a held edit stays in its conversation, in the order a screen reader reads it; one whose time is
 * beyond the pages loaded comes last, until its page loads. A comment the reader deleted goes, as the server drops it
 * once it catches up, unless a reply still hangs from it: then its placeholder stays.
 */
export function withOwnComments(server: PublicComment[], own: OwnComments, sort: ThreadSort): PublicComment[] {
  const listed = new Set(server.map((comment) => comment.id));
  const all = server.map((comment) => own.latest(comment));
  for (const mine of own.unlisted) {
    if (listed.has(mine.id)) continue;
    // Newer, or older where the newest come first. Both times are the Worker's ISO strings, which sort as they read;
    // of two alike, the later posted is the newer.
    const newest = sort === 'newest' && !mine.parentId;
    const at = all.findIndex(
      (other) => other.parentId === mine.parentId && !other.pinned && other.createdAt > mine.createdAt !== newest,
    );
    all.splice(at < 0 ? all.length : at, 0, mine);
  }
  // Backwards, so each reply is met before its parent (the server sends parents first, and the reader's go after).
  const sent = new Set(server);
  const parents = new Set<string | null>();
  const shown: PublicComment[] = [];
  for (const comment of all.reverse()) {
    if (comment.deleted && !sent.has(comment) && !parents.has(comment.id)) continue;
    parents.add(comment.parentId);
    shown.push(comment);
  }
  return shown.reverse();
}
