/**
 * The form that writes: a new comment, a reply or an edit, checked and sent by sending.ts, which is fetched once the
 * reader starts on the form (a reader who only reads never downloads it). It has its own shadow root and styles; <sala-comments> re-exports its parts (COMPOSER_PARTS there) and shows it
 * with the thread's first answer.
 */
import { html, LitElement, nothing, type PropertyValues, type TemplateResult, type PropertyDeclarations } from 'lit';
import type { CreateCommentResponse, PublicComment } from '@sala/protocol';
import type { ApiClient } from '../internal/api-client.js';
import type { StringKey } from '../internal/i18n/en.js';
import { enForm } from '../internal/i18n/en-form.js';
import type { Translator } from '../internal/i18n/locale.js';
import { loadParser, parsedSource, renderMarkdown } from '../internal/markdown.js';
import { composerStyles } from './composer.styles.js';
import { loadCommenter, type Draft, type DraftField } from './draft.js';

type Sending = typeof import('./sending.js');
type Posting = InstanceType<Sending['Posting']>;

/** What a form saved: a new comment (with its edit token) or an edited one. */
export type ComposerResult = { created: CreateCommentResponse } | { edited: PublicComment };

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
  static override properties: PropertyDeclarations = {
    i18n: { attribute: false },
    api: { attribute: false },
    pageId: { attribute: false },
    pageUrl: { attribute: false },
    parent: { attribute: false },
    editing: { attribute: false },
    token: { attribute: false },
    saved: { attribute: false },
    cancel: { attribute: false },
    draft: { state: true },
    errors: { state: true },
    formError: { state: true },
    previewing: { state: true },
    sending: { state: true },
    checking: { state: true },
  };

  i18n!: Translator;
  api!: ApiClient;
  pageId = '';
  /** The page's address to link to; null when none is known. */
  pageUrl: string | null = null;
  /** The comment being answered; null for a top-level comment. */
  parent: PublicComment | null = null;
  /** The comment being edited, with the token that allows it; an edit form has only the text field. */
  editing: PublicComment | null = null;
  token = '';
  /** Called once the API has saved the comment. */
  saved: (result: ComposerResult) => unknown = () => {};
  /** Closes a reply or edit form; the top-level form has none. */
  cancel?: (() => void) | undefined;

  // What the reader typed and what posting shows; read and set by sending.ts (PostingForm there) too.
  draft: Draft = { name: '', email: '', website: '', body: '' };
  errors: Partial<Record<DraftField, string>> = {};
  formError = '';
  previewing = false;
  sending = false;
  /** The API asked for a Turnstile check before it takes this comment. */
  checking = false;

  /** When the reader could start on this form (performance.now()), for the API's minimum time. */
  openedAt = 0;
  /** `i18n` with the form's English strings, which the pack every element shares leaves to the form (and to sending.ts). */
  #i18n!: Translator;
  /** Checks and sends this form, once sending.ts is loaded. */
  #posting: Posting | undefined;

  /** The fields this form has, in order. */
  get fields(): DraftField[] {
    return this.editing ? ['body'] : ['name', 'email', 'website', 'body'];
  }

  /** The form's strings: the element's, over the form's English (and posting's, once loaded). */
  get translator(): Translator {
    return this.#i18n;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('i18n')) {
      this.#i18n = this.i18n.withDefaults(enForm);
      if (this.#posting) this.#i18n = this.#i18n.withDefaults(this.#posting.strings);
    }
    if (!this.hasUpdated) this.draft = { ...loadCommenter(), body: this.editing?.body ?? '' };
  }

  protected override firstUpdated(): void {
    // The page's first form starts the clock: a reader who opens a reply box and answers "Thanks!" at once has
    // still spent longer on the page than a bot, which the API's minimum time is there to catch.
    firstFormShownAt ??= performance.now();
    this.openedAt = firstFormShownAt;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#posting?.removeCheck();
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

  /** Fetches sending.ts before the reader posts, so posting does not wait for it, and the preview's parser. */
  #prepare(): void {
    loadSending().catch(() => {}); // tried again on posting, which says when it fails
    void loadParser();
  }

  /** Shows or hides the preview; the draft shows as plain text until the parser has arrived. */
  #togglePreview(): void {
    this.previewing = !this.previewing;
    if (this.previewing) void loadParser().then(() => this.requestUpdate());
  }

  async #submit(event: Event): Promise<void> {
    event.preventDefault();
    if (this.sending) return;
    this.sending = true; // the button says so while sending.ts arrives
    try {
      if (!this.#posting) {
        const { Posting } = await loadSending();
        this.#posting = new Posting(this);
        this.#i18n = this.#i18n.withDefaults(this.#posting.strings);
      }
    } catch {
      this.sending = false;
      this.formError = this.#i18n.error('network');
      return;
    }
    await this.#posting.submit();
  }

  /** Focus on a field to fix, with its text on screen rather than hidden behind the preview. */
  async focusField(field: DraftField): Promise<void> {
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
              ${
                this.draft.body.trim()
                  ? renderMarkdown(parsedSource(this.draft.body) ?? [this.draft.body])
                  : html`<p class="note">${i18n.t('previewEmpty')}</p>`
              }
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
        <button type="button" part="button" aria-pressed=${previewing ? 'true' : 'false'} @click=${this.#togglePreview}>
          ${i18n.t('preview')}
        </button>
        ${this.cancel ? html`<button type="button" part="button" @click=${this.cancel}>${i18n.t('cancel')}</button>` : nothing}
      </div>
    </form>`;
  }
}
