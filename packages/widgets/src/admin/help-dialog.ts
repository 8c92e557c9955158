/** <sala-admin-help>: the dialog listing the queue's keyboard shortcuts (opened with `?` or its button). */
import { css, html, LitElement, type TemplateResult, type PropertyDeclarations } from 'lit';
import { define } from '../internal/define.js';
import { partStyles } from './admin.styles.js';
import { SHORTCUTS } from './shortcuts.js';
import type { AdminTranslator } from './strings/admin-strings.js';

export class SalaAdminHelp extends LitElement {
  static override styles = [
    partStyles,
    css`
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0.5rem 1rem;
        margin: 0 0 1rem;
      }
      dt {
        text-align: center;
      }
      kbd {
        display: inline-block;
        min-width: 1.5rem;
        padding: 0 0.375rem;
        border: 1px solid var(--_border);
        border-bottom-width: 2px;
        border-radius: 4px;
        font:
          0.9375em ui-monospace,
          Menlo,
          Consolas,
          monospace;
      }
      dd {
        margin: 0;
      }
    `,
  ];
  static override properties: PropertyDeclarations = {
    i18n: { attribute: false },
  };

  i18n!: AdminTranslator;

  /** The element that had focus, given back on close (a native modal dialog does this too, but not across shadow roots). */
  #opener: HTMLElement | null = null;

  get open(): boolean {
    return this.#dialog?.open ?? false;
  }

  get #dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  show(opener: HTMLElement | null): void {
    this.#opener = opener;
    this.#dialog?.showModal();
  }

  #closed(): void {
    this.#opener?.focus();
    this.#opener = null;
  }

  protected override render(): TemplateResult {
    const { i18n } = this;
    return html`<dialog aria-labelledby="help-heading" @close=${this.#closed}>
      <h2 id="help-heading">${i18n.t('helpHeading')}</h2>
      <p class="muted">${i18n.t('helpIntro')}</p>
      <dl>
        ${SHORTCUTS.map(
          ({ key, label }) =>
            html`<dt><kbd>${key}</kbd></dt>
              <dd>${i18n.t(label)}</dd>`,
        )}
      </dl>
      <form method="dialog"><button type="submit" class="primary" autofocus>${i18n.t('close')}</button></form>
    </dialog>`;
  }
}

define('sala-admin-help', SalaAdminHelp);

declare global {
  interface HTMLElementTagNameMap {
    'sala-admin-help': SalaAdminHelp;
  }
}
