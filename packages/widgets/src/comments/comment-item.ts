/** One comment of the thread, its actions and inline forms, and its replies below it. */
import { html, nothing, type TemplateResult } from 'lit';
import type { PublicComment } from '@sala/protocol';
import type { ApiError } from '../internal/api-client.js';
import { avatar } from '../internal/avatar.js';
import type { Translator } from '../internal/i18n/locale.js';
import { commentBlocks, link, renderMarkdown } from '../internal/markdown.js';
import type { SalaCommentComposer } from './composer.js';
import type { ThreadNode } from './thread.js';

/** What a comment can have open: one at a time across the thread. */
export type CommentAction = 'reply' | 'edit' | 'delete';

/** What a comment needs from the thread around it to render and to act. */
export interface CommentView {
  i18n: Translator;
  /** The thread as shown, in reading order: own comments that read alike are numbered by it (own-actions.ts). */
  thread: ThreadNode[];
  now: number;
  active: { id: string; action: CommentAction } | null;
  /** The thread takes no new comments. */
  closed: boolean;
  busy: boolean;
  error: { id: string; error: ApiError } | null;
  /** Edit and Delete while the reader's own comment may still change (own-actions.ts, with the reader's comments). */
  ownActions(comment: PublicComment): TemplateResult[] | typeof nothing;
  open(comment: PublicComment, action: CommentAction): void;
  close(comment: PublicComment): void;
  confirmDelete(comment: PublicComment): void;
  /** The question an open Delete asks (own-actions.ts, loaded with the reader's own comments). */
  deleteQuestion(comment: PublicComment): TemplateResult | typeof nothing;
  /** The inline reply or edit form: one element while it stays open, which moves with its comment. */
  composer(comment: PublicComment, mode: 'reply' | 'edit'): SalaCommentComposer;
}

export function commentId(id: string): string {
  return `comment-${id}`;
}

export function renderThread(nodes: ThreadNode[], view: CommentView): TemplateResult {
  // Items are reused by position when comments come in: nothing in them keeps state but the open form, an element
  // of its own that moves with its comment (see CommentView.composer).
  return html`${nodes.map(
    (node) =>
      html`<li>
        ${renderComment(node, view)}
        ${
          node.replies.length > 0
            ? html`<ul class="replies" role="list">
                ${renderThread(node.replies, view)}
              </ul>`
            : nothing
        }
      </li>`,
  )}`;
}

function renderComment({ comment, mention }: ThreadNode, view: CommentView): TemplateResult {
  const { i18n } = view;
  if (comment.deleted) {
    return html`<article part="comment deleted" id=${commentId(comment.id)} tabindex="-1">
      <p class="placeholder">${i18n.t('deleted')}</p>
    </article>`;
  }
  const action = view.active?.id === comment.id ? view.active.action : undefined;
  // The name isolated, as the author's is (dir="auto"): a stored U+202E in it must not reverse the reply's words.
  const lead = mention ? html`<span class="mention" part="mention">@<bdi>${mention}</bdi></span> ` : undefined;
  return html`<article part="comment" id=${commentId(comment.id)} tabindex="-1">
    ${avatar(comment.author.avatar || comment.author.name)}
    <div class="main">
      <div class="meta row">
        <span class="author" part="author" dir="auto">${link(comment.author.website, comment.author.name)}</span>
        <time part="time" datetime=${comment.createdAt} title=${i18n.fullDate(comment.createdAt)}>
          ${i18n.relativeTime(comment.createdAt, view.now)}
        </time>
        ${comment.editedAt ? html`<span>(${i18n.t('edited')})</span>` : nothing}
        ${comment.author.owner ? badge(i18n, 'owner') : nothing} ${comment.pinned ? badge(i18n, 'pinned') : nothing}
        ${comment.status === 'pending' ? badge(i18n, 'pending') : nothing}
      </div>
      ${
        action === 'edit'
          ? view.composer(comment, 'edit')
          : html`<div class="body" part="body" dir="auto">${renderMarkdown(commentBlocks(comment), lead)}</div>`
      }
      ${action === 'delete' ? view.deleteQuestion(comment) : action === 'edit' ? nothing : actions(comment, view)}
      ${action === 'reply' ? view.composer(comment, 'reply') : nothing}
    </div>
  </article>`;
}

function badge(i18n: Translator, kind: 'owner' | 'pinned' | 'pending'): TemplateResult {
  return html`<span class="badge" part="badge ${kind}">${i18n.t(kind)}</span>`;
}

/** Why an action on `comment` failed, if it did. */
export function failure(comment: PublicComment, view: CommentView): TemplateResult | typeof nothing {
  const failed = view.error?.id === comment.id ? view.error.error : undefined;
  return failed ? html`<p class="error" part="error" role="alert">${view.i18n.error(failed)}</p>` : nothing;
}

/** A button of a comment's actions: `text` shows, `label` (when given) is what a screen reader names it. */
export function actionButton(
  comment: PublicComment,
  view: CommentView,
  action: CommentAction,
  text: string,
  label?: string,
): TemplateResult {
  return html`<button
    type="button"
    part="button"
    class="link"
    data-action=${action}
    aria-label=${label ?? nothing}
    @click=${() => view.open(comment, action)}
  >
    ${text}
  </button>`;
}

function actions(comment: PublicComment, view: CommentView): TemplateResult {
  const { i18n } = view;
  return html`<div class="actions row" part="actions">
    ${
      // A comment held for moderation is not in the thread yet, so it cannot be answered.
      view.closed || comment.status === 'pending'
        ? nothing
        : actionButton(comment, view, 'reply', i18n.t('reply'), i18n.t('replyTo', { name: comment.author.name }))
    }
    ${view.ownActions(comment)} ${failure(comment, view)}
  </div>`;
}
