/** <sala-admin-deliveries>: the last webhook deliveries of a site and how each went. */
import { html, LitElement, nothing, type TemplateResult, type PropertyDeclarations } from 'lit';
import type { WebhookDelivery } from '@sala/protocol';
import { define } from '../internal/define.js';
import { partStyles } from './admin.styles.js';
import { cellLabel } from './cell-label.js';
import type { AdminContext } from './context.js';
import { SiteData } from './site-data.js';

export class SalaAdminDeliveries extends LitElement {
  static override styles = partStyles;
  static override properties: PropertyDeclarations = {
    context: { attribute: false },
    deliveries: { state: true },
    loadError: { state: true },
    loading: { state: true },
  };

  context!: AdminContext;

  private deliveries: WebhookDelivery[] | null = null;
  private loadError = '';
  private loading = false;

  readonly #data = new SiteData(this, () => void this.#load());

  async #load(): Promise<void> {
    this.loadError = '';
    this.loading = true;
    try {
      const result = await this.#data.request.run((signal) => this.context.api.deliveries(this.context.site, signal));
      if (!result) return;
      this.deliveries = result.deliveries;
      this.context.announce(this.context.i18n.plural(result.deliveries.length, 'deliveriesOne', 'deliveriesOther'));
    } catch (error) {
      this.loadError = this.context.failed(error);
    } finally {
      this.loading = false;
    }
  }

  protected override render(): TemplateResult {
    const { i18n } = this.context;
    return html`<section aria-labelledby="deliveries-heading">
      <h2 id="deliveries-heading">${i18n.t('deliveriesHeading')}</h2>
      <p class="muted">${i18n.t('deliveriesIntro')}</p>
      <p>
        <button type="button" aria-disabled=${this.loading ? 'true' : nothing} @click=${() => void this.#load()}>
          ${i18n.t('refresh')}
        </button>
      </p>
      ${this.loadError ? html`<p class="alert" role="alert">${this.loadError}</p>` : nothing} ${this.#renderTable()}
    </section>`;
  }

  #renderTable(): TemplateResult | typeof nothing {
    const { i18n } = this.context;
    if (this.deliveries === null)
      return this.loadError ? nothing : html`<p class="muted" aria-busy="true">${i18n.t('loading')}</p>`;
    if (this.deliveries.length === 0) return html`<p>${i18n.t('deliveriesEmpty')}</p>`;
    return html`<div class="scroll" role="region" aria-labelledby="deliveries-caption" tabindex="0">
      <table class="stacked" role="table">
        <caption id="deliveries-caption">
          ${i18n.t('deliveriesTable')}
        </caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">${i18n.t('colWhen')}</th>
            <th scope="col" role="columnheader">${i18n.t('colEvent')}</th>
            <th scope="col" role="columnheader">${i18n.t('colWebhook')}</th>
            <th scope="col" role="columnheader">${i18n.t('colPage')}</th>
            <th scope="col" role="columnheader">${i18n.t('colStatus')}</th>
            <th scope="col" role="columnheader">${i18n.t('colAttempts')}</th>
            <th scope="col" role="columnheader">${i18n.t('colAnswer')}</th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          ${this.deliveries.map((delivery) => {
            // Nothing at all in a cell with nothing to say (an :empty cell): on a phone it would be a line of its own.
            const parts = [delivery.httpStatus, delivery.error].filter((part) => part !== undefined && part !== '');
            const answer = parts.length > 0 ? html`${cellLabel(i18n, 'colAnswer')}${parts.join(' · ')}` : nothing;
            return html`<tr role="row">
              <td role="cell">
                ${cellLabel(i18n, 'colWhen')}<time
                  datetime=${delivery.lastAttemptAt}
                  title=${i18n.fullDate(delivery.lastAttemptAt)}
                  >${i18n.relativeTime(delivery.lastAttemptAt)}</time
                >
              </td>
              <td role="cell">${cellLabel(i18n, 'colEvent')}${i18n.t(`event.${delivery.event}`)}</td>
              <td role="cell">${cellLabel(i18n, 'colWebhook')}<code>${delivery.webhookId}</code></td>
              <td role="cell" class="value">${cellLabel(i18n, 'colPage')}${delivery.pageId}</td>
              <td role="cell">
                ${cellLabel(i18n, 'colStatus')}<span class="badge">${i18n.t(`delivery.${delivery.status}`)}</span>
              </td>
              <td role="cell">${cellLabel(i18n, 'colAttempts')}${delivery.attempts}</td>
              <td role="cell">${answer}</td>
            </tr>`;
          })}
        </tbody>
      </table>
    </div>`;
  }
}

define('sala-admin-deliveries', SalaAdminDeliveries);

declare global {
  interface HTMLElementTagNameMap {
    'sala-admin-deliveries': SalaAdminDeliveries;
  }
}
