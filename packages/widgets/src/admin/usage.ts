/**
 * <sala-admin-usage>: one line on today's estimated use of the Cloudflare free plan's daily limits, and a warning
 * before one runs out (at 100% comments pause until 00:00 UTC). Advisory: a Worker without the route shows nothing.
 */
import { html, LitElement, nothing, type TemplateResult, type PropertyDeclarations } from 'lit';
import type { PlanAllowance, UsageResponse } from '@sala/protocol';
import { define } from '../internal/define.js';
import { partStyles } from './admin.styles.js';
import type { AdminContext } from './context.js';
import { SiteData } from './site-data.js';
import type { AdminStringKey } from './strings/en.js';

/** The allowances shown, most likely to run out first. */
const ALLOWANCES: [keyof UsageResponse & `${string}s`, AdminStringKey][] = [
  ['kvWrites', 'usageWrites'],
  ['requests', 'usageRequests'],
  ['kvReads', 'usageReads'],
  ['kvLists', 'usageLists'],
  ['kvDeletes', 'usageDeletes'],
];

export class SalaAdminUsage extends LitElement {
  static override styles = partStyles;
  static override properties: PropertyDeclarations = {
    context: { attribute: false },
    usage: { state: true },
  };

  context!: AdminContext;

  private usage: UsageResponse | null = null;

  readonly #data = new SiteData(this, () => void this.#load());

  async #load(): Promise<void> {
    try {
      const usage = await this.#data.request.run((signal) => this.context.api.usage(signal));
      if (usage) this.usage = usage;
    } catch {
      // An older Worker has no such route, and the page works without the estimate.
      this.usage = null;
    }
  }

  protected override render(): TemplateResult | typeof nothing {
    const { usage } = this;
    if (!usage) return nothing;
    const { i18n } = this.context;
    const number = new Intl.NumberFormat(i18n.lang);
    const percent = new Intl.NumberFormat(i18n.lang, { style: 'percent', maximumFractionDigits: 0 });
    const allowances = ALLOWANCES.map(([field, label]) => ({ label, ...(usage[field] as PlanAllowance) }));
    const near = allowances.filter(({ used, limit }) => used >= limit * usage.warnAt);
    const time = new Intl.DateTimeFormat(i18n.lang, { hour: '2-digit', minute: '2-digit' }).format(
      Date.parse(usage.resetsAt),
    );
    return html`<aside aria-label=${i18n.t('usageLabel')} part="usage">
      ${near.map(
        ({ label, used, limit }) =>
          html`<p class="alert" role="alert">
            ${i18n.t('usageWarning', {
              what: i18n.t(label),
              percent: percent.format(used / limit),
              limit: number.format(limit),
              time,
            })}
          </p>`,
      )}
      <p class="muted">
        ${i18n.t('usageLine')}
        ${allowances.map(
          ({ label, used, limit }, index) =>
            html`${index > 0 ? ' · ' : ''}<span
                >${i18n.t('usageOf', { used: number.format(used), limit: number.format(limit), what: i18n.t(label) })}</span
              >`,
        )}
      </p>
      <details>
        <summary>${i18n.t('usageHow')}</summary>
        <p class="muted">${i18n.t('usageMethod')}</p>
      </details>
    </aside>`;
  }
}

define('sala-admin-usage', SalaAdminUsage);

declare global {
  interface HTMLElementTagNameMap {
    'sala-admin-usage': SalaAdminUsage;
  }
}
