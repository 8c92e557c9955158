/** <sala-admin-confirm>: asks before something that cannot be undone (revoking a token), as a modal dialog. */
import { html, LitElement, type TemplateResult, type PropertyDeclarations } from 'lit';
import { define } from '../internal/define.js';
import { partStyles } from './admin.styles.js';
import type { AdminTranslator } from './strings/admin-strings.js';

export class SalaAdminConfirm extends LitElement {
  static override styles = partStyles;
  static override properties: PropertyDeclarations = {
    i18n: { attribute: false },
    question: { state: true },
    confirmLabel: { state: true },
  };

  i18n!: AdminTranslator;

  /** A template when it names someone or something in a <bdi>: the dialog's name is its text. */
  private question: string | TemplateResult = '';
  private confirmLabel = '';
  #answer: ((confirmed: boolean) => void) | null = null;
  #opener: HTMLElement | null = null;

  get #dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  /** Resolves true when the owner confirms; focus returns to `opener` either way. */
  async ask(question: string | TemplateResult, confirmLabel: string, opener: HTMLElement | null): Promise<boolean> {
    this.#answer?.(false);
    this.question = question;
    this.confirmLabel = confirmLabel;
    this.#opener = opener;
    await this.updateComplete;
    const dialog = this.#dialog;
    if (!dialog) return false;
    // Escape closes without a button: the answer must not be the last dialog's.
    dialog.returnValue = '';
    dialog.showModal();
    return new Promise((resolve) => (this.#answer = resolve));
  }

  #closed(): void {
    this.#answer?.(this.#dialog?.returnValue === 'confirm');
    this.#answer = null;
    this.#opener?.focus();
    this.#opener = null;
  }

  protected override render(): TemplateResult {
    return html`<dialog aria-labelledby="question" @close=${this.#closed}>
      <form method="dialog">
        <p id="question">${this.question}</p>
        <div class="row">
          <button type="submit" value="confirm" class="primary">${this.confirmLabel}</button>
          <button type="submit" value="cancel" autofocus>${this.i18n.t('cancel')}</button>
        </div>
      </form>
    </dialog>`;
  }
}

define('sala-admin-confirm', SalaAdminConfirm);

declare global {
  interface HTMLElementTagNameMap {
    'sala-admin-confirm': SalaAdminConfirm;
  }
}
