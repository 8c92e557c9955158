/**
 * <sala-admin-usage>: one line on today's estimated use of the Cloudflare free plan's daily limits, and a warning
 * before one runs out (at 100% comments pause until 00:00 UTC). Advisory: a Worker without the route shows nothing.
 * The page asks for it with the sites and shows it with the section below (admin.component.ts): a warning arriving
 * after the section pushed it down, and what the owner was about to click with it.
 */
import { html, LitElement, nothing, type TemplateResult, type PropertyDeclarations } from 'lit';
import type { PlanAllowance, UsageResponse } from '@sala/protocol';
import { define } from '../internal/define.js';
import { partStyles } from './admin.styles.js';
import type { AdminStringKey, AdminTranslator } from './strings/admin-strings.js';

type Allowances = Pick<UsageResponse, 'kvWrites' | 'requests' | 'kvReads' | 'kvLists' | 'kvDeletes'>;

/** The allowances shown, most likely to run out first. */
const ALLOWANCES: [keyof Allowances, AdminStringKey][] = [
  ['kvWrites', 'usageWrites'],
  ['requests', 'usageRequests'],
  ['kvReads', 'usageReads'],
  ['kvLists', 'usageLists'],
  ['kvDeletes', 'usageDeletes'],
];

export class SalaAdminUsage extends LitElement {
  static override styles = partStyles;
  static override properties: PropertyDeclarations = {
    i18n: { attribute: false },
    usage: { attribute: false },
  };

  i18n!: AdminTranslator;
  /** Today's use; null when the Worker has no such route, or gave no answer in time. */
  usage: UsageResponse | null = null;

  protected override render(): TemplateResult | typeof nothing {
    const { usage, i18n } = this;
    if (!usage) return nothing;
    return html`<aside aria-label=${i18n.t('usageLabel')} part="usage">
      ${this.#renderWarnings(usage)}
      <p class="muted">${this.#renderLine(usage)}</p>
      <details>
        <summary>${i18n.t('usageHow')}</summary>
        <p class="muted">${i18n.t('usageMethod')}</p>
      </details>
    </aside>`;
  }

  #allowances(usage: Allowances): ({ label: AdminStringKey } & PlanAllowance)[] {
    return ALLOWANCES.map(([field, label]) => ({ label, ...usage[field] }));
  }

  #renderWarnings(usage: UsageResponse): TemplateResult[] {
    const { i18n } = this;
    const number = new Intl.NumberFormat(i18n.lang);
    const percent = new Intl.NumberFormat(i18n.lang, { style: 'percent', maximumFractionDigits: 0 });
    const near = this.#allowances(usage).filter(({ used, limit }) => used >= limit * usage.warnAt);
    const time = new Intl.DateTimeFormat(i18n.lang, { hour: '2-digit', minute: '2-digit' }).format(
      Date.parse(usage.resetsAt),
    );
    return near.map(
      ({ label, used, limit }) =>
        html`<p class="alert" role="alert">
          ${i18n.t('usageWarning', {
            what: i18n.t(label),
            percent: percent.format(used / limit),
            limit: number.format(limit),
            time,
          })}
        </p>`,
    );
  }

  #renderLine(usage: Allowances): TemplateResult {
    const { i18n } = this;
    const number = new Intl.NumberFormat(i18n.lang);
    return html`${i18n.t('usageLine')}
    ${this.#allowances(usage).map(
      ({ label, used, limit }, index) =>
        html`${index > 0 ? ' · ' : ''}<span
            >${i18n.t('usageOf', { used: number.format(used), limit: number.format(limit), what: i18n.t(label) })}</span
          >`,
    )}`;
  }
}

define('sala-admin-usage', SalaAdminUsage);

declare global {
  interface HTMLElementTagNameMap {
    'sala-admin-usage': SalaAdminUsage;
  }
}
