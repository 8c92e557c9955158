/**
 * <sala-admin-usage>: one line on today's estimated use of the Cloudflare free plan's daily limits, and a warning
 * before one runs out (at 100% comments pause until 00:00 UTC). Advisory: a Worker without the route shows nothing.
 * The line's room is kept from the first render: its answer comes after the tab below is shown, and pushing that tab
 * down then moved what the owner was about to click (a checkbox under the pointer became the text beside it).
 */
import { css, html, LitElement, nothing, type TemplateResult, type PropertyDeclarations } from 'lit';
import type { PlanAllowance, UsageResponse } from '@sala/protocol';
import { define } from '../internal/define.js';
import { partStyles } from './admin.styles.js';
import type { AdminContext } from './context.js';
import { SiteData } from './site-data.js';
import type { AdminStringKey } from './strings/en.js';

type Allowances = Pick<UsageResponse, 'kvWrites' | 'requests' | 'kvReads' | 'kvLists' | 'kvDeletes'>;

/** The allowances shown, most likely to run out first. */
const ALLOWANCES: [keyof Allowances, AdminStringKey][] = [
  ['kvWrites', 'usageWrites'],
  ['requests', 'usageRequests'],
  ['kvReads', 'usageReads'],
  ['kvLists', 'usageLists'],
  ['kvDeletes', 'usageDeletes'],
];

/**
 * The free plan's limits, used only to size the room kept for the line before the Worker answers: each allowance
 * written as its limit of its limit, as wide as the line gets while nothing is over a limit.
 */
const ROOM: Allowances = {
  kvWrites: { used: 1_000, limit: 1_000 },
  requests: { used: 100_000, limit: 100_000 },
  kvReads: { used: 100_000, limit: 100_000 },
  kvLists: { used: 1_000, limit: 1_000 },
  kvDeletes: { used: 1_000, limit: 1_000 },
};

export class SalaAdminUsage extends LitElement {
  static override styles = [
    partStyles,
    css`
      /* The line is drawn over its widest form, which stays hidden: the same height before and after the answer. */
      .line {
        display: grid;
      }
      .line > * {
        grid-area: 1 / 1;
      }
      .room,
      aside.waiting {
        visibility: hidden;
      }
    `,
  ];
  static override properties: PropertyDeclarations = {
    context: { attribute: false },
    usage: { state: true },
  };

  context!: AdminContext;

  /** Today's use; undefined until the Worker answers (the room is kept), null when it has no such route. */
  private usage: UsageResponse | null | undefined = undefined;

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
    if (usage === null) return nothing;
    const { i18n } = this.context;
    // Until the answer the aside is there, unseen and unheard, to hold its room.
    return html`<aside
      aria-label=${i18n.t('usageLabel')}
      part="usage"
      class=${usage ? '' : 'waiting'}
      aria-hidden=${usage ? nothing : 'true'}
    >
      ${usage ? this.#renderWarnings(usage) : nothing}
      <div class="line">
        <p class="muted room" aria-hidden="true">${this.#renderLine(ROOM)}</p>
        ${usage ? html`<p class="muted">${this.#renderLine(usage)}</p>` : nothing}
      </div>
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
    const { i18n } = this.context;
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
    const { i18n } = this.context;
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
