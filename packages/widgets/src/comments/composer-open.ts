/**
 * The comment form once the reader starts on it (composer.ts shows it closed, its text field alone): the name, email
 * and website fields, the notes, the preview, the buttons, and sending. It travels in the posting chunk, so the first
 * focus on a form fetches all that writing takes in one request, and a reader who only reads none of it.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import type { StringKey } from '../internal/i18n/en.js';
import { loadParser, parsedSource, renderMarkdown } from '../internal/markdown.js';
import type { SalaCommentComposer } from './composer.js';
import { escaped, inlineFormKey, unsent, type DraftField } from './draft.js';
import { Posting } from './sending.js';

export { enPosting } from '../internal/i18n/en-posting.js';
export { loadCommenter } from './draft.js';

/** What only the open form has: who writes, the preview, the honeypot, fields to fix. */
export const styles = css`
  /* Fields side by side share their rows (label, input, note, error), so a label that wraps in a narrow column
     (Spanish's "Correo electrónico (opcional)") lowers its neighbours' inputs with its own. Margins and padding, not
     gaps, space them: a subgrid's rows take the grid's gaps, which would put room around a field's empty rows. */
  .identity {
    grid-template-columns: repeat(auto-fit, minmax(min(11em, 100%), 1fr));
    row-gap: 0;
    margin-bottom: -0.75em;
  }
  .identity .field {
    grid-row: span 4;
    grid-template-rows: subgrid;
    row-gap: 0;
    padding-bottom: 0.75em;
  }
  .identity input,
  .identity p {
    margin-top: 0.25em;
  }
  .preview {
    padding: 0 0.5em;
    border: 1px dashed var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  /* The honeypot: out of sight and out of the accessibility tree; only bots fill it in. */
  .hp {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
  }
  [aria-invalid='true'] {
    border-color: var(--_danger);
  }
  .notify label {
    display: flex;
    gap: 0.5em;
    align-items: baseline;
    font-weight: normal;
  }
  /* Room for its focus ring, which sits outside it, at the thread's edge. */
  .notify input {
    width: auto;
    margin: 0;
    margin-inline-start: 3px;
  }
  .notify [aria-disabled='true'] {
    cursor: not-allowed;
  }
`;

/** Checks and sends each open form, made on its first post. */
const postings = new WeakMap<SalaCommentComposer, Posting>();

/** Sends the form's comment, or marks what to fix. */
export function submit(form: SalaCommentComposer, event: Event): void {
  event.preventDefault();
  if (form.sending) return;
  let posting = postings.get(form);
  if (!posting) postings.set(form, (posting = new Posting(form, () => offersReplyMails(form))));
  void posting.submit();
}

/**
 * Escape in a reply or edit form does what its Cancel does: closes it and gives focus back to the button that opened
 * it. What the reader wrote in it is kept for when they open it again. An Escape that ends an IME's composition is
 * the IME's.
 */
export function keydown(form: SalaCommentComposer, event: KeyboardEvent): void {
  const target = form.editing ?? form.parent;
  if (event.key !== 'Escape' || event.isComposing || !form.cancel || !target) return;
  const key = inlineFormKey(target, !!form.editing);
  if (form.draft.body.trim() === (form.editing?.body ?? '').trim()) escaped.delete(key);
  else escaped.set(key, form.draft.body);
  form.cancel();
}

/**
 * On each update: when the form's thread moved from the page `left` to another (an app's new `page-id`), what was
 * typed stays with `left`, and the new page's shows, without the errors the other text had.
 */
export function switchPage(form: SalaCommentComposer, left: string | undefined): void {
  if (!left) return;
  unsent.set(left, form.draft.body);
  form.draft = { ...form.draft, body: unsent.get(form.pageId) ?? '' };
  [form.errors, form.formError] = [{}, ''];
}

/**
 * The form's rest has come: focus goes where the Tabs the reader pressed in the text meanwhile (composer.ts held them)
 * would have taken it had the fields been there, unless the reader has left the text since.
 */
export async function landTabs(form: SalaCommentComposer): Promise<void> {
  const tabs = form.tabs;
  form.tabs = 0;
  await form.updateComplete;
  const root = form.renderRoot as ShadowRoot;
  const next = root.querySelectorAll<HTMLElement>('input:not([tabindex]), button');
  if (tabs && root.activeElement?.id === 'body') next[Math.min(tabs, next.length) - 1]?.focus();
}

/** A form went away: so does its Turnstile check. */
export function closeForm(form: SalaCommentComposer): void {
  postings.get(form)?.removeCheck();
}

/** aria-describedby for a field: its note and its error, whichever it has. */
export function describedBy(form: SalaCommentComposer, field: DraftField, note: boolean): string | typeof nothing {
  return [note && `${field}-note`, form.errors[field] && `${field}-error`].filter(Boolean).join(' ') || nothing;
}

/** A field's note and error, below its control. */
function below(form: SalaCommentComposer, field: DraftField, note?: StringKey): TemplateResult {
  const error = form.errors[field];
  return html`${note ? html`<p class="note" id="${field}-note">${form.translator.t(note)}</p>` : nothing}
  ${error ? html`<p class="error" part="field-error" id="${field}-error">${error}</p>` : nothing}`;
}

/** What follows the text field: the preview that stands in for it, and its note and error. */
export function afterText(form: SalaCommentComposer): TemplateResult {
  const { draft, previewing, translator: i18n } = form;
  return html`${
    previewing
      ? html`<div class="preview body" part="preview" dir="auto">
          ${
            draft.body.trim()
              ? renderMarkdown(parsedSource(draft.body) ?? [draft.body])
              : html`<p class="note">${i18n.t('previewEmpty')}</p>`
          }
        </div>`
      : nothing
  }
  ${below(form, 'body', 'markdownNote')}`;
}

function textInput(
  form: SalaCommentComposer,
  field: 'name' | 'email' | 'website',
  type: string,
  note?: StringKey,
): TemplateResult {
  return html`<div class="field">
    <label part="label" for=${field}>${form.translator.t(`${field}Label`)}</label>
    <input
      id=${field}
      part="input"
      type=${type}
      autocomplete=${type === 'text' ? 'name' : type}
      ?required=${field === 'name'}
      .value=${form.draft[field]}
      aria-invalid=${form.errors[field] ? 'true' : nothing}
      aria-describedby=${describedBy(form, field, note !== undefined)}
      @input=${(event: Event) => form.input(field, event)}
    />
    ${below(form, field, note)}
  </div>`;
}

/**
 * Whether the form offers reply mails: not for an edit, and only where its thread's answer said the Worker sends them
 * (`replyMails`, which <sala-comments>, whose shadow root holds every form of its thread, keeps from that answer).
 */
export function offersReplyMails(form: SalaCommentComposer): boolean {
  const root = form.getRootNode();
  const thread = root instanceof ShadowRoot ? (root.host as { replyMails?: true }) : undefined;
  return !form.editing && thread?.replyMails === true;
}

/**
 * "Email me replies to this comment". Without an email it cannot be ticked and says why; it stays focusable
 * (aria-disabled rather than disabled), so a keyboard or screen reader user meets it and hears why.
 */
function replyMailsChoice(form: SalaCommentComposer): TemplateResult | typeof nothing {
  if (!offersReplyMails(form)) return nothing;
  const { draft, translator: i18n } = form;
  const noEmail = draft.email.trim() === '';
  return html`<div class="field notify">
    <label>
      <input
        id="notify-replies"
        type="checkbox"
        .checked=${draft.notifyReplies === true && !noEmail}
        aria-disabled=${noEmail ? 'true' : nothing}
        aria-describedby=${noEmail ? 'notify-replies-note' : nothing}
        @click=${(event: Event) => noEmail && event.preventDefault()}
        @change=${(event: Event) =>
          (form.draft = { ...form.draft, notifyReplies: (event.target as HTMLInputElement).checked })}
      />
      <span>${i18n.t('notifyReplies')}</span>
    </label>
    ${noEmail ? html`<p class="note" id="notify-replies-note">${i18n.t('notifyRepliesNoEmail')}</p>` : nothing}
  </div>`;
}

/** Shows or hides the preview; the draft shows as plain text until the parser has arrived. */
function togglePreview(form: SalaCommentComposer): void {
  form.previewing = !form.previewing;
  if (form.previewing) void loadParser().then(() => form.requestUpdate());
}

/** Below the text: who writes (not on an edit), the honeypot, the check and failures, and the buttons. */
export function rest(form: SalaCommentComposer): TemplateResult {
  const { editing, parent, previewing, translator: i18n } = form;
  const submitLabel = editing ? 'save' : parent ? 'submitReply' : 'submit';
  return html`${
      editing
        ? nothing
        : html`<div class="identity">
              ${textInput(form, 'name', 'text')} ${textInput(form, 'email', 'email', 'emailNote')}
              ${textInput(form, 'website', 'url')}
            </div>
            ${replyMailsChoice(form)}`
    }
    <label class="hp" aria-hidden="true">
      ${i18n.t('honeypot')} <input name="homepage" tabindex="-1" autocomplete="off" />
    </label>
    ${form.checking ? html`<div class="check"></div>` : nothing}
    ${form.formError ? html`<p class="error" part="error" role="alert">${form.formError}</p>` : nothing}
    <div class="row">
      <button type="submit" part="button submit" class="primary" aria-disabled=${form.sending ? 'true' : nothing}>
        ${i18n.t(form.sending ? 'sending' : submitLabel)}
      </button>
      <button
        type="button"
        part="button"
        aria-pressed=${previewing ? 'true' : 'false'}
        @click=${() => togglePreview(form)}
      >
        ${i18n.t('preview')}
      </button>
      ${form.cancel ? html`<button type="button" part="button" @click=${form.cancel}>${i18n.t('cancel')}</button>` : nothing}
    </div>`;
}
