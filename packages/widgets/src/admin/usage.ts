/**
 * <sala-admin-usage>: one line on today's estimated use of the Cloudflare free plan's daily limits, and a warning
 * before one runs out (at 100% comments pause until 00:00 UTC). Advisory: a Worker without the route shows nothing.
 * The page asks for it with the sites and shows it with the section below (admin.component.ts): a warning arriving
 * after the section pushed it down, and what the owner was about to click with it. An answer that fails or does not
 * come within USAGE_WAIT_MS is said in one line, with Try again.
 */
import { html, LitElement, nothing, type TemplateResult, type PropertyDeclarations } from 'lit';
import type { PlanAllowance, UsageResponse } from '@sala/protocol';
import { toApiError } from '../internal/api-client.js';
import { define } from '../internal/define.js';
import type { AdminApi } from './admin-api.js';
import { partStyles } from './admin.styles.js';
import type { AdminStringKey, AdminTranslator } from './strings/admin-strings.js';

/** How long the page waits for today's use before it shows without it: a request that never answers held it. */
export const USAGE_WAIT_MS = 4_000;

/** Today's use; null when the Worker has no such route; `unread` when it failed or did not answer in time. */
export type UsageState = UsageResponse | 'unread' | null;

/** Asks for today's use, waiting USAGE_WAIT_MS at most (the request is then given up). */
export async function readUsage(api: AdminApi): Promise<UsageState> {
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'unread'>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve('unread');
    }, USAGE_WAIT_MS);
  });
  try {
    return await Promise.race([api.usage(abort.signal), late]);
  } catch (error) {
    // An older Worker answers 404: it has no estimate to give, which is nothing to report.
    return toApiError(error).code === 'not_found' ? null : 'unread';
  } finally {
    clearTimeout(timer);
  }
}

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
    api: { attribute: false },
    usage: { attribute: false },
    reading: { state: true },
  };

  i18n!: AdminTranslator;
  api!: AdminApi;
  /** What the page's request gave, then what Try again gives. */
  usage: UsageState = null;
  private reading = false;

  protected override render(): TemplateResult | typeof nothing {
    const { usage, i18n } = this;
    if (!usage) return nothing;
    // A polite status, not an alert: the figures are advisory, and the rest of the page works without them.
    if (usage === 'unread') {
      return html`<aside aria-label=${i18n.t('usageLabel')} part="usage">
        <p class="muted">
          <span role="status">${i18n.t(this.reading ? 'usageReading' : 'usageUnread')}</span>
          <button type="button" aria-disabled=${this.reading ? 'true' : nothing} @click=${() => void this.#readAgain()}>
            ${i18n.t('retry')}
          </button>
        </p>
      </aside>`;
    }
    return html`<aside aria-label=${i18n.t('usageLabel')} part="usage" tabindex="-1">
      ${this.#renderWarnings(usage)}
      <p class="muted">${this.#renderLine(usage)}</p>
      <details>
        <summary>${i18n.t('usageHow')}</summary>
        <p class="muted">${i18n.t('usageMethod')}</p>
      </details>
    </aside>`;
  }

  async #readAgain(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    this.usage = await readUsage(this.api);
    this.reading = false;
    await this.updateComplete;
    // Try again went with its line: the figures take the focus rather than nothing.
    if (document.activeElement === document.body) this.renderRoot.querySelector<HTMLElement>('aside')?.focus();
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
