/**
 * The form that writes: a new comment, a reply or an edit, validated here and sent to the API from here.
 * It has its own shadow root and styles; <sala-comments> re-exports its parts (COMPOSER_PARTS there) and shows it
 * with the thread's first answer. What posting takes beyond showing the form (sending.ts) is fetched once the
 * reader starts on it.
 */
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { LIMITS, type CreateCommentResponse, type PublicComment } from '@sala/protocol';
import { errorEvent } from '../events.js';
import { toApiError, type ApiClient } from '../internal/api-client.js';
import type { StringKey } from '../internal/i18n/en.js';
import { enForm } from '../internal/i18n/en-form.js';
import type { Translator } from '../internal/i18n/locale.js';
import { renderMarkdown } from '../internal/markdown.js';
import { composerStyles } from './composer.styles.js';
import { loadCommenter, type Draft, type DraftField } from './draft.js';

type Sending = typeof import('./sending.js');

/** What a form saved: a new comment (with its edit token) or an edited one. */
export type ComposerResult = { created: CreateCommentResponse } | { edited: PublicComment };

/** Width of Turnstile's normal widget, in CSS pixels; its compact one is 150px. */
const TURNSTILE_NORMAL_WIDTH = 300;

/** When this page first showed a comment form (performance.now()). */
let firstFormShownAt: number | undefined;

let sendingLoading: Promise<Sending> | undefined;

/** The code posting takes: asked for when a reader starts on a form, and again on posting should that have failed. */
function loadSending(): Promise<Sending> {
  sendingLoading ??= import('./sending.js').catch((error: unknown) => {
    sendingLoading = undefined; // a later attempt may be online
    throw error;
  });
  return sendingLoading;
}

/**
 * @internal Part of <sala-comments>.
 * @tagname sala-comment-composer
 */
export class SalaCommentComposer extends LitElement {
  static override styles = composerStyles;

  @property({ attribute: false }) i18n!: Translator;
  @property({ attribute: false }) api!: ApiClient;
  @property({ attribute: false }) pageId = '';
  /** The page's address to link to; null when none is known. */
  @property({ attribute: false }) pageUrl: string | null = null;
  /** The comment being answered; null for a top-level comment. */
  @property({ attribute: false }) parent: PublicComment | null = null;
  /** The comment being edited, with the token that allows it; an edit form has only the text field. */
  @property({ attribute: false }) editing: PublicComment | null = null;
  @property({ attribute: false }) token = '';
  /** Called once the API has saved the comment. */
  @property({ attribute: false }) saved: (result: ComposerResult) => unknown = () => {};
  /** Closes a reply or edit form; the top-level form has none. */
  @property({ attribute: false }) cancel?: (() => void) | undefined;

  @state() private draft: Draft = { name: '', email: '', website: '', body: '' };
  @state() private errors: Partial<Record<DraftField, string>> = {};
  @state() private formError = '';
  @state() private previewing = false;
  @state() private sending = false;
  /** The API asked for a Turnstile check before it takes this comment. */
  @state() private checking = false;

  /** `i18n` with the form's English strings, which the pack every element shares leaves to the form (and to sending.ts). */
  #i18n!: Translator;
  #openedAt = 0;
  #check: { widget: string; token?: string } | undefined;
  /** sending.ts, once loaded. */
  #sending: Sending | undefined;

  get #fields(): DraftField[] {
    return this.editing ? ['body'] : ['name', 'email', 'website', 'body'];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('i18n')) this.#i18n = this.i18n.withDefaults({ ...enForm, ...this.#sending?.enPosting });
    if (!this.hasUpdated) this.draft = { ...loadCommenter(), body: this.editing?.body ?? '' };
  }

  protected override firstUpdated(): void {
    // The page's first form starts the clock: a reader who opens a reply box and answers "Thanks!" at once has
    // still spent longer on the page than a bot, which the API's minimum time is there to catch.
    firstFormShownAt ??= performance.now();
    this.#openedAt = firstFormShownAt;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#removeCheck();
  }

  #removeCheck(): void {
    if (this.#check) window.turnstile?.remove(this.#check.widget);
    this.#check = undefined;
    this.checking = false;
  }

  /** Focus where typing starts: the name when it is still empty, else the text. */
  async focusFirstField(): Promise<void> {
    await this.updateComplete;
    this.#control(!this.editing && !this.draft.name.trim() ? 'name' : 'body')?.focus();
  }

  #control(field: DraftField): HTMLElement | null | undefined {
    return this.renderRoot.querySelector<HTMLElement>(`#${field}`);
  }

  #onInput(field: DraftField, event: Event): void {
    this.draft = { ...this.draft, [field]: (event.target as HTMLInputElement).value };
    if (this.errors[field]) this.errors = { ...this.errors, [field]: undefined };
  }

  /** Fetches sending.ts before the reader posts, so posting does not wait for it. */
  #prepare(): void {
    loadSending().catch(() => {}); // tried again on posting, which says when it fails
  }

  async #submit(event: Event): Promise<void> {
    event.preventDefault();
    if (this.sending) return;
    this.sending = true; // the button says so while sending.ts arrives
    try {
      if (!this.#sending) {
        this.#sending = await loadSending();
        this.#i18n = this.#i18n.withDefaults(this.#sending.enPosting);
      }
    } catch {
      this.sending = false;
      this.formError = this.#i18n.error('network');
      return;
    }
    const invalid = this.#sending.invalidFields(this.draft, this.#fields);
    this.formError = '';
    this.errors = Object.fromEntries(invalid.map((field) => [field, this.#invalid(field)]));
    if (invalid[0]) {
      this.sending = false;
      return this.#focusError(invalid[0]);
    }
    await this.#send(this.#sending);
  }

  async #send(sending: Sending): Promise<void> {
    this.sending = true;
    const { api, draft, editing, pageId, pageUrl } = this;
    const proof = {
      hp: this.renderRoot.querySelector<HTMLInputElement>('[name="homepage"]')?.value ?? '',
      elapsedMs: Math.round(performance.now() - this.#openedAt),
      captchaToken: this.#check?.token,
      commenterKey: editing ? undefined : sending.commenterKey(api.origin),
    };
    try {
      const result: ComposerResult = editing
        ? { edited: (await api.editComment(editing.id, this.token, { page: pageId, body: draft.body })).comment }
        : {
            created: await api.createComment(sending.createRequest(draft, { pageId, pageUrl }, this.parent?.id ?? null, proof)),
          };
      if (!editing) sending.saveCommenter(draft);
      this.draft = { ...draft, body: '' };
      this.previewing = false;
      this.#removeCheck(); // passed; the next comment starts afresh
      await this.saved(result);
    } catch (caught) {
      const error = toApiError(caught);
      this.dispatchEvent(errorEvent(error));
      const field = this.#fields.find((candidate) => candidate === error.field);
      if (field) {
        this.errors = { [field]: error.code === 'invalid_field' ? this.#invalid(field) : this.#i18n.error(error) };
        await this.#focusError(field);
      } else {
        this.formError = this.#i18n.error(error);
      }
      if (error.code === 'captcha_required' && error.siteKey) await this.#showCheck(error.siteKey, sending);
      else if (this.#check) window.turnstile?.reset(this.#check.widget);
    } finally {
      this.sending = false;
      if (this.#check) this.#check.token = undefined; // a token is good for one try
    }
  }

  /** Shows the Turnstile check the API asked for, and sends the comment again once it passes. */
  async #showCheck(siteKey: string, sending: Sending): Promise<void> {
    this.checking = true;
    if (this.#check) {
      // Asked again (the last token was spent): the solved widget must run again to fire its callback.
      window.turnstile?.reset(this.#check.widget);
      return;
    }
    await this.updateComplete;
    try {
      const turnstile = await sending.loadTurnstile();
      const container = this.renderRoot.querySelector<HTMLElement>('.check');
      if (!container || this.#check) return;
      const widget = turnstile.render(container, {
        sitekey: siteKey,
        language: this.#i18n.lang,
        // The normal widget is a fixed 300px: a reply form on a phone gets the 150px one rather than overflow.
        size: container.clientWidth < TURNSTILE_NORMAL_WIDTH ? 'compact' : 'normal',
        callback: (token) => {
          this.#check = { widget, token };
          void this.#send(sending);
        },
      });
      this.#check = { widget };
    } catch {
      this.formError = this.#i18n.error('network');
    }
  }

  #invalid(field: DraftField): string {
    return this.#i18n.t(`invalid.${field}`, { max: LIMITS[field] });
  }

  async #focusError(field: DraftField): Promise<void> {
    // The text to fix must be on screen, not hidden behind the preview.
    this.previewing = false;
    await this.updateComplete;
    this.#control(field)?.focus();
  }

  #keydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') this.cancel?.();
  }

  /** aria-describedby for a field: its note and its error, whichever it has. */
  #describedBy(field: DraftField, note: boolean): string | typeof nothing {
    return [note && `${field}-note`, this.errors[field] && `${field}-error`].filter(Boolean).join(' ') || nothing;
  }

  #field(field: DraftField, label: StringKey, control: TemplateResult, note?: StringKey): TemplateResult {
    const error = this.errors[field];
    return html`<div class="field">
      <label part="label" for=${field}>${this.#i18n.t(label)}</label>
      ${control} ${note ? html`<p class="note" id="${field}-note">${this.#i18n.t(note)}</p>` : nothing}
      ${error ? html`<p class="error" part="field-error" id="${field}-error">${error}</p>` : nothing}
    </div>`;
  }

  #textInput(field: 'name' | 'email' | 'website', label: StringKey, type: string, note?: StringKey): TemplateResult {
    const control = html`<input
      id=${field}
      part="input"
      type=${type}
      autocomplete=${type === 'text' ? 'name' : type}
      ?required=${field === 'name'}
      .value=${this.draft[field]}
      aria-invalid=${this.errors[field] ? 'true' : nothing}
      aria-describedby=${this.#describedBy(field, note !== undefined)}
      @input=${(event: Event) => this.#onInput(field, event)}
    />`;
    return this.#field(field, label, control, note);
  }

  protected override render(): TemplateResult {
    const { editing, parent, previewing } = this;
    const i18n = this.#i18n;
    const label = editing ? 'editLabel' : parent ? 'replyLabel' : 'composerLabel';
    const submit = editing ? 'save' : parent ? 'submitReply' : 'submit';
    const textarea = html`<textarea
        id="body"
        part="textarea"
        rows="4"
        required
        ?hidden=${previewing}
        .value=${this.draft.body}
        aria-invalid=${this.errors.body ? 'true' : nothing}
        aria-describedby=${this.#describedBy('body', true)}
        @input=${(event: Event) => this.#onInput('body', event)}
      ></textarea>
      ${
        previewing
          ? html`<div class="preview body" part="preview">
              ${this.draft.body.trim() ? renderMarkdown(this.draft.body) : html`<p class="note">${i18n.t('previewEmpty')}</p>`}
            </div>`
          : nothing
      }`;
    return html`<form
      part="composer"
      novalidate
      aria-label=${i18n.t(label, { name: parent?.author.name ?? '' })}
      @submit=${this.#submit}
      @keydown=${this.#keydown}
      @focusin=${this.#prepare}
    >
      ${
        editing
          ? nothing
          : html`<div class="identity">
              ${this.#textInput('name', 'nameLabel', 'text')}
              ${this.#textInput('email', 'emailLabel', 'email', 'emailNote')}
              ${this.#textInput('website', 'websiteLabel', 'url')}
            </div>`
      }
      ${this.#field('body', 'bodyLabel', textarea, 'markdownNote')}
      <label class="hp" aria-hidden="true">
        ${i18n.t('honeypot')} <input name="homepage" tabindex="-1" autocomplete="off" />
      </label>
      ${this.checking ? html`<div class="check"></div>` : nothing}
      ${this.formError ? html`<p class="error" part="error" role="alert">${this.formError}</p>` : nothing}
      <div class="row">
        <button type="submit" part="button submit" class="primary" aria-disabled=${this.sending ? 'true' : nothing}>
          ${i18n.t(this.sending ? 'sending' : submit)}
        </button>
        <button
          type="button"
          part="button"
          aria-pressed=${previewing ? 'true' : 'false'}
          @click=${() => (this.previewing = !previewing)}
        >
          ${i18n.t('preview')}
        </button>
        ${this.cancel ? html`<button type="button" part="button" @click=${this.cancel}>${i18n.t('cancel')}</button>` : nothing}
      </div>
    </form>`;
  }
}
