/**
 * The form that writes: a new comment, a reply or an edit. The first paint shows it closed, its text field alone;
 * once the reader starts on it (or opens a reply or edit form), composer-open.ts arrives in the posting chunk with the
 * rest (name, email, website, preview, buttons) and the code that checks and sends, so a reader who only reads never
 * downloads them. The text field stays the same element as the form opens, so nothing typed meanwhile is lost. It has
 * its own shadow root and styles; <sala-comments> re-exports its parts (COMPOSER_PARTS there) and shows it with the
 * thread's first answer.
 */
import {
  adoptStyles,
  html,
  LitElement,
  nothing,
  type PropertyValues,
  type TemplateResult,
  type PropertyDeclarations,
} from 'lit';
import type { CreateCommentResponse, PublicComment } from '@sala/protocol';
import type { ApiClient } from '../internal/api-client.js';
import { enForm } from '../internal/i18n/en-form.js';
import type { Translator } from '../internal/i18n/locale.js';
import { loadParser } from '../internal/markdown.js';
import { composerStyles } from './composer.styles.js';
import type { Draft, DraftField } from './draft.js';

type OpenForm = typeof import('./composer-open.js');

/**
 * What a form saved: a new comment (with its edit token) or an edited one, with when the edit was sent (this browser's
 * clock: OwnComments.update).
 */
export type ComposerResult = { created: CreateCommentResponse } | { edited: PublicComment; sent?: number };

/** When this page first showed a comment form (performance.now()). */
let firstFormShownAt: number | undefined;

let openFormLoading: Promise<OpenForm> | undefined;

/** The open form's code, asked for when a reader starts on a form, and again later should that have failed. */
function loadOpenForm(): Promise<OpenForm> {
  openFormLoading ??= import('./composer-open.js').catch((error: unknown) => {
    openFormLoading = undefined; // a later attempt may be online
    throw error;
  });
  return openFormLoading;
}

/**
 * @internal Part of <sala-comments>.
 * @tagname sala-comment-composer
 */
export class SalaCommentComposer extends LitElement {
  static override styles = composerStyles;
  static override properties: PropertyDeclarations = {
    i18n: { attribute: false },
    parent: { attribute: false },
    editing: { attribute: false },
    cancel: { attribute: false },
    pageId: { attribute: false },
    draft: { state: true },
    errors: { state: true },
    formError: { state: true },
    previewing: { state: true },
    sending: { state: true },
    checking: { state: true },
    opened: { state: true },
  };

  i18n!: Translator;
  /** The comment being answered; null for a top-level comment. */
  parent: PublicComment | null = null;
  /** The comment being edited, with the token that allows it; an edit form has only the text field. */
  editing: PublicComment | null = null;
  /** Closes a reply or edit form; the top-level form has none. */
  cancel?: (() => void) | undefined;

  // Where and how to send, read only as the comment is sent: plain fields, as a change shows nothing; but the page's
  // changes the text shown (composer-open.ts, switchPage).
  api!: ApiClient;
  pageId = '';
  /** The page's address to link to; null when none is known. */
  pageUrl: string | null = null;
  token = '';
  /** Called once the API has saved the comment. */
  saved: (result: ComposerResult) => unknown = () => {};

  // What the reader typed and what posting shows; read and set by composer-open.ts and sending.ts too.
  draft: Draft = { name: '', email: '', website: '', body: '' };
  errors: Partial<Record<DraftField, string>> = {};
  formError = '';
  previewing = false;
  sending = false;
  /** The API asked for a Turnstile check before it takes this comment. */
  checking = false;
  /** The rest of the form and the code that sends it (composer-open.ts), once arrived. */
  opened: OpenForm | undefined;

  /** Tabs pressed in the text while the rest of the form comes (#hold), where composer-open.ts takes focus; set by #open. */
  tabs!: number;
  /** When the reader could start on this form (performance.now()), for the API's minimum time. */
  openedAt = 0;
  /** `i18n` with the form's English strings, which the pack every element shares leaves to the form (and posting's). */
  #i18n!: Translator;

  /** The form's strings: the element's, over the form's English (and posting's, once the form is open). */
  get translator(): Translator {
    return this.#i18n;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // A reply or edit form is opened by the reader: it opens at once.
    if (this.parent || this.editing) this.#open();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('i18n') || changed.has('opened')) {
      this.#i18n = this.i18n.withDefaults({ ...enForm, ...this.opened?.enPosting });
    }
    if (changed.has('opened') && this.opened) {
      adoptStyles(this.renderRoot as ShadowRoot, [...SalaCommentComposer.elementStyles, this.opened.styles]);
      // Who writes shows only now: with what this browser remembers of them.
      this.draft = { ...this.draft, ...this.opened.loadCommenter() };
      void this.opened.landTabs(this);
    }
    if (!this.hasUpdated && this.editing) this.draft = { ...this.draft, body: this.editing.body };
    // Only an open form can hold text: starting on it opens it.
    this.opened?.switchPage(this, changed.get('pageId'));
  }

  protected override firstUpdated(): void {
    // The page's first form starts the clock: a reader who opens a reply box and answers "Thanks!" at once has
    // still spent longer on the page than a bot, which the API's minimum time is there to catch.
    firstFormShownAt ??= performance.now();
    this.openedAt = firstFormShownAt;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.opened?.closeForm(this);
  }

  /** Focus where typing starts: the text, the form's first field. */
  async focusFirstField(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#body')?.focus();
  }

  /** Takes what the reader typed into `field`; a fix clears the field's error. */
  input(field: DraftField, event: Event): void {
    this.draft = { ...this.draft, [field]: (event.target as HTMLInputElement).value };
    if (this.errors[field]) this.errors = { ...this.errors, [field]: undefined };
  }

  /**
   * Tab in the text while the rest of the form is on its way would skip the name, email and website fields, not there
   * yet, for the thread's next Reply: each is held, and focus lands where they would have taken it once the fields come
   * (composer-open.ts, landTabs). Once the form failed to come (it says so), Tab goes on as ever.
   */
  #hold(event: KeyboardEvent): void {
    if (event.key !== 'Tab' || event.shiftKey || this.formError) return;
    event.preventDefault();
    this.tabs++;
  }

  /** Fetches the rest of the form, and the preview's parser, as the reader starts on it. */
  #open(): void {
    this.tabs = 0; // a Tab held before a failed try is not for a later one
    loadOpenForm().then(
      (opened) => void ([this.opened, this.formError] = [opened, '']), // a failed first try said so
      () => (this.formError = this.#i18n.error('network')),
    );
    void loadParser();
  }

  protected override render(): TemplateResult {
    const { editing, parent, opened } = this;
    const i18n = this.#i18n;
    const label = editing ? 'editLabel' : parent ? 'replyLabel' : 'composerLabel';
    return html`<form
      part="composer"
      novalidate
      aria-label=${i18n.t(label, { name: parent?.author.name ?? '' })}
      @submit=${(event: Event) => opened?.submit(this, event)}
      @keydown=${(event: KeyboardEvent) => (opened ? opened.keydown(this, event) : this.#hold(event))}
      @focusin=${() => opened || this.#open()}
    >
      <div class="field">
        <label part="label" for="body">${i18n.t('bodyLabel')}</label>
        <textarea
          id="body"
          part="textarea"
          dir="auto"
          rows="4"
          required
          ?hidden=${this.previewing}
          .value=${this.draft.body}
          aria-invalid=${this.errors.body ? 'true' : nothing}
          aria-describedby=${opened?.describedBy(this, 'body', true) ?? nothing}
          @input=${(event: Event) => this.input('body', event)}
        ></textarea>
        ${opened?.afterText(this)}
      </div>
      ${opened ? opened.rest(this) : this.formError ? html`<p class="error" part="error" role="alert">${this.formError}</p>` : nothing}
    </form>`;
  }
}
