/** One comment in the moderation queue: who, where, the text, why it was held, and the owner's actions on it. */
import { html, nothing, type TemplateResult } from 'lit';
import { packMarkdown, type AdminComment, type AdminCommentStatus } from '@sala/protocol';
import { avatar } from '../internal/avatar.js';
import { link, renderMarkdown } from '../internal/markdown.js';
import { formatNumber, holdReasonText, signedPoints, spamReasonText } from './held-reasons.js';
import { pageAddressLink } from './page-address.js';
import { ACTION_LABELS, actionClass, statusActions, type StatusAction } from './queue-actions.js';
import { bidiText, isolatedHtml, spoken, type AdminStringKey, type AdminTranslator } from './strings/admin-strings.js';

export type QueueForm = 'edit' | 'reply';

/** Everything a row needs from the queue: its state and what its buttons do. */
export interface QueueItemView {
  i18n: AdminTranslator;
  /** The status the queue lists, which every shown comment has. */
  status: AdminCommentStatus;
  selected: boolean;
  current: boolean;
  /** The comment's page has its thread closed. */
  closed: boolean;
  form: QueueForm | null;
  busy: boolean;
  error: string;
  onSelect(selected: boolean): void;
  onFocus(): void;
  onStatus(action: StatusAction): void;
  onPin(): void;
  onForm(form: QueueForm, opener: HTMLElement): void;
  onBan(opener: HTMLElement): void;
  onThread(): void;
  onSubmitForm(body: string): void;
  onCancelForm(): void;
}

export function articleId(comment: AdminComment): string {
  return `comment-${comment.id}`;
}

/**
 * Whether the comment was ever held: the Worker records why it holds one (`heldBecause`), and a pending one is held
 * whatever older data says. Every comment has a spam score, so a score alone says nothing: one published at once
 * has one too.
 */
function wasHeld(comment: AdminComment): boolean {
  return (comment.heldBecause ?? []).length > 0 || comment.status === 'pending';
}

/**
 * A held comment's reasons: the moderation rules that held it, then the spam score's parts. Not a landmark: one
 * per comment would fill the landmark list with regions of one name.
 */
function whyHeld(comment: AdminComment, i18n: AdminTranslator): TemplateResult | typeof nothing {
  const because = comment.heldBecause ?? [];
  const spam = comment.spam;
  if (!wasHeld(comment) || (because.length === 0 && !spam?.reasons.length)) return nothing;
  return html`<div class="why">
    <h4 class="why-title">${i18n.t('whyHeld')}</h4>
    ${
      because.length
        ? html`<ul class="because">
            ${because.map((reason) => html`<li>${holdReasonText(reason, i18n)}</li>`)}
          </ul>`
        : nothing
    }
    ${
      spam
        ? html`<p class="score">${i18n.t('spamScore', { score: formatNumber(spam.score, i18n) })}</p>
            <ul class="reasons">
              ${spam.reasons.map(
                (reason) =>
                  html`<li>
                    <span class="points">${signedPoints(reason.points, i18n)}</span>
                    ${spamReasonText(reason, i18n)}
                  </li>`,
              )}
            </ul>`
        : nothing
    }
  </div>`;
}

/**
 * The reply button's text, or null where the server takes no reply: it answers approved comments only, so a
 * held one is approved on the way (as WordPress's "Approve and Reply" does), and rejected, spam or deleted ones
 * offer none.
 */
function replyButtonLabel(comment: AdminComment): AdminStringKey | null {
  if (comment.deleted) return null;
  if (comment.status === 'approved') return 'reply';
  return comment.status === 'pending' ? 'approveAndReply' : null;
}

/** The server pins top-level comments only (replies answer a conflict, deleted ones not_found). */
function canPin(comment: AdminComment): boolean {
  return comment.parentId === null && !comment.deleted;
}

function submitLabel(comment: AdminComment, form: QueueForm | null): AdminStringKey {
  if (form === 'edit') return 'save';
  return comment.status === 'pending' ? 'approveAndPostReply' : 'postReply';
}

function renderForm(comment: AdminComment, view: QueueItemView): TemplateResult {
  const { i18n, form } = view;
  const id = `${form}-${comment.id}`;
  const label = form === 'edit' ? 'editLabel' : 'replyLabel';
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const body = (event.target as HTMLFormElement).querySelector('textarea')?.value.trim() ?? '';
    if (body) view.onSubmitForm(body);
  };
  return html`<form class="inline-form" @submit=${submit}>
    <label for=${id}>${isolatedHtml(i18n, label, { name: comment.author.name })}</label>
    <textarea id=${id} dir="auto" required .value=${form === 'edit' ? comment.body : ''}></textarea>
    <div class="row">
      <button type="submit" class="primary" aria-disabled=${view.busy ? 'true' : nothing}>
        ${view.busy ? i18n.t('saving') : i18n.t(submitLabel(comment, form))}
      </button>
      <button type="button" @click=${view.onCancelForm}>${i18n.t('cancel')}</button>
    </div>
  </form>`;
}

export function renderQueueItem(comment: AdminComment, view: QueueItemView): TemplateResult {
  const { i18n } = view;
  const { author } = comment;
  const name = author.name || i18n.t('deletedBody');
  const reply = replyButtonLabel(comment);
  const classes = ['item', view.current ? 'current' : '', view.selected ? 'selected' : ''].join(' ');
  const button = (label: AdminStringKey, onClick: (event: Event) => void, extra = '') =>
    html`<button type="button" class=${extra} @click=${onClick}>${i18n.t(label)}</button>`;

  // The comment's words run their own way (dir="auto"), as in the reader widget: an English one on an Arabic page
  // ends with its "!" at its right, not before its first word; the edit and reply fields (renderForm) too.
  return html`<li>
    <article
      id=${articleId(comment)}
      class=${classes}
      tabindex="-1"
      aria-label=${i18n.t('commentLabel', { name: spoken(name) })}
      aria-busy=${view.busy ? 'true' : 'false'}
      @focusin=${view.onFocus}
    >
      <div class="select">
        <input
          type="checkbox"
          .checked=${view.selected}
          aria-label=${i18n.t('selectComment', { name: spoken(name) })}
          @change=${(event: Event) => view.onSelect((event.target as HTMLInputElement).checked)}
        />
      </div>
      <div class="content">
        <header class="meta">
          ${avatar(author.avatar || comment.id)}
          <div>
            <h3 class="author">
              ${author.website ? link(author.website, html`<bdi>${name}</bdi>`) : html`<bdi>${name}</bdi>`}
              ${author.owner ? html`<span class="badge">${i18n.t('ownerBadge')}</span>` : nothing}
              ${comment.pinned ? html`<span class="badge">${i18n.t('pinnedBadge')}</span>` : nothing}
              ${view.closed ? html`<span class="badge">${i18n.t('closedBadge')}</span>` : nothing}
            </h3>
            <p class="details muted">
              <time datetime=${comment.createdAt} title=${i18n.fullDate(comment.createdAt)}
                >${i18n.relativeTime(comment.createdAt)}</time
              >
              ${comment.editedAt ? html` · ${i18n.t('edited')}` : nothing}
              ${author.email ? html` · <span class="visually-hidden">${i18n.t('emailLabel')}</span> ${author.email}` : nothing}
              ${
                comment.ipHash
                  ? html` ·
                      <span title=${comment.ipHash}>${i18n.t('networkLabel')} ${comment.ipHash.slice(0, 8)}</span>`
                  : nothing
              }
            </p>
            <p class="page muted">${i18n.t('onPage')} ${pageAddressLink(comment)}</p>
          </div>
        </header>
        <div class="body" dir="auto">
          ${comment.deleted ? html`<p class="muted"><em>${i18n.t('deletedBody')}</em></p>` : renderMarkdown(packMarkdown(comment.body))}
        </div>
        ${whyHeld(comment, i18n)}
        <div class="actions" role="group" aria-label=${i18n.t('actionsLabel', { name: spoken(name) })}>
          ${statusActions(view.status).map((action) =>
            button(ACTION_LABELS[action], () => view.onStatus(action), actionClass(action)),
          )}
          ${comment.deleted ? nothing : button('edit', (event) => view.onForm('edit', event.currentTarget as HTMLElement))}
          ${reply ? button(reply, (event) => view.onForm('reply', event.currentTarget as HTMLElement)) : nothing}
          ${comment.pinned ? button('unpin', view.onPin) : canPin(comment) ? button('pin', view.onPin) : nothing}
          ${author.owner ? nothing : button('ban', (event) => view.onBan(event.currentTarget as HTMLElement))}
          ${button(view.closed ? 'reopenThread' : 'closeThread', view.onThread)}
        </div>
        ${view.form ? renderForm(comment, view) : nothing}
        ${view.error ? html`<p class="alert" role="alert">${bidiText(view.error)}</p>` : nothing}
      </div>
    </article>
  </li>`;
}
