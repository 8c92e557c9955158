/** <sala-admin-bans>: the bans in force (lift one) and the closed threads (reopen one) of a site. */
import { html, LitElement, nothing, type TemplateResult, type PropertyDeclarations } from 'lit';
import type { Ban, ThreadState } from '@sala/protocol';
import { define } from '../internal/define.js';
import { partStyles } from './admin.styles.js';
import { banLabel } from './ban-dialog.js';
import { cellLabel } from './cell-label.js';
import { isolate, spoken } from './strings/admin-strings.js';
import type { AdminContext } from './context.js';
import { pageAddressLink } from './page-address.js';
import { focusLost } from './shortcuts.js';
import { SiteData } from './site-data.js';

export class SalaAdminBans extends LitElement {
  static override styles = partStyles;
  static override properties: PropertyDeclarations = {
    context: { attribute: false },
    bans: { state: true },
    threads: { state: true },
    bansError: { state: true },
    threadsError: { state: true },
  };

  context!: AdminContext;

  private bans: Ban[] | null = null;
  private threads: ThreadState[] | null = null;
  private bansError = '';
  private threadsError = '';

  // Loads the bans for the chosen site, and again when the owner switches site.
  readonly #data = new SiteData(this, () => void this.#load());

  async #load(): Promise<void> {
    const { api, site } = this.context;
    this.bansError = this.threadsError = '';
    // An answer for a site the owner has since left is dropped.
    const current = () => this.context.site === site;
    await Promise.all([
      api.bans(site).then(
        ({ bans }) => void (current() && (this.bans = bans)),
        (error: unknown) => void (current() && (this.bansError = this.context.failed(error))),
      ),
      api.closedThreads(site).then(
        ({ threads }) => void (current() && (this.threads = threads.filter((thread) => thread.closed))),
        (error: unknown) => void (current() && (this.threadsError = this.context.failed(error))),
      ),
    ]);
  }

  async #lift(ban: Ban): Promise<void> {
    const { api, site, i18n } = this.context;
    try {
      await api.liftBan(site, ban.id);
      this.bans = (this.bans ?? []).filter((candidate) => candidate.id !== ban.id);
      void this.context.toast({ message: i18n.t('banLifted', { label: isolate(banLabel(ban, i18n)) }) });
      this.#focusHeading('bans-heading');
    } catch (error) {
      this.bansError = this.context.failed(error);
    }
  }

  async #reopen(thread: ThreadState): Promise<void> {
    const { api, site, i18n } = this.context;
    try {
      await api.setThreadClosed(site, thread.pageId, false);
      this.threads = (this.threads ?? []).filter((candidate) => candidate.pageId !== thread.pageId);
      void this.context.toast({
        message: i18n.t('threadReopened', { page: isolate(spoken(thread.pageId)) }),
        // Closing it again can fail: the toast says so, and the focus that went with Undo goes to the table's heading.
        undo: async () => {
          const closed = await api.setThreadClosed(site, thread.pageId, true, thread.pageUrl).then(
            () => true,
            (error: unknown) => {
              void this.context.toast({ message: this.context.failed(error) });
              if (focusLost()) this.#focusHeading('closed-heading');
              return false;
            },
          );
          await this.#load();
          return closed;
        },
      });
      this.#focusHeading('closed-heading');
    } catch (error) {
      this.threadsError = this.context.failed(error);
    }
  }

  /** The row's button is gone with its row; its table's heading takes focus instead. */
  #focusHeading(id: string): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#${id}`)?.focus());
  }

  protected override render(): TemplateResult {
    const { i18n } = this.context;
    return html`<section aria-labelledby="bans-heading">
        <h2 id="bans-heading" tabindex="-1">${i18n.t('bansHeading')}</h2>
        ${this.bansError ? html`<p class="alert" role="alert">${this.bansError}</p>` : nothing} ${this.#renderBans()}
      </section>
      <section aria-labelledby="closed-heading">
        <h2 id="closed-heading" tabindex="-1">${i18n.t('closedHeading')}</h2>
        ${this.threadsError ? html`<p class="alert" role="alert">${this.threadsError}</p>` : nothing}
        ${this.#renderThreads()}
      </section>`;
  }

  #renderBans(): TemplateResult | typeof nothing {
    const { i18n } = this.context;
    if (this.bans === null)
      return this.bansError ? nothing : html`<p class="muted" aria-busy="true">${i18n.t('loading')}</p>`;
    if (this.bans.length === 0) return html`<p>${i18n.t('bansEmpty')}</p>`;
    return html`<div class="scroll" role="region" aria-labelledby="bans-caption" tabindex="0">
      <table class="stacked" role="table">
        <caption id="bans-caption">
          ${i18n.t('bansTable')}
        </caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">${i18n.t('colWho')}</th>
            <th scope="col" role="columnheader">${i18n.t('colKind')}</th>
            <th scope="col" role="columnheader">${i18n.t('colReason')}</th>
            <th scope="col" role="columnheader">${i18n.t('colUntil')}</th>
            <th scope="col" role="columnheader"><span class="visually-hidden">${i18n.t('lift')}</span></th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          ${this.bans.map((ban) => {
            const label = banLabel(ban, i18n);
            return html`<tr role="row">
              <td role="cell" class="value">${cellLabel(i18n, 'colWho')}<bdi>${label}</bdi></td>
              <td role="cell">${cellLabel(i18n, 'colKind')}${i18n.t(`kind.${ban.kind}`)}</td>
              <td role="cell" class="value">
                ${ban.reason ? html`${cellLabel(i18n, 'colReason')}${ban.reason}` : nothing}
              </td>
              <td role="cell">
                ${cellLabel(i18n, 'colUntil')}${ban.expiresAt ? html`<time datetime=${ban.expiresAt}>${i18n.fullDate(ban.expiresAt)}</time>` : i18n.t('forever')}
              </td>
              <td role="cell">
                <button
                  type="button"
                  aria-label=${i18n.t('liftLabel', { label: spoken(label) })}
                  @click=${() => void this.#lift(ban)}
                >
                  ${i18n.t('lift')}
                </button>
              </td>
            </tr>`;
          })}
        </tbody>
      </table>
    </div>`;
  }

  #renderThreads(): TemplateResult | typeof nothing {
    const { i18n } = this.context;
    if (this.threads === null)
      return this.threadsError ? nothing : html`<p class="muted" aria-busy="true">${i18n.t('loading')}</p>`;
    if (this.threads.length === 0) return html`<p>${i18n.t('closedEmpty')}</p>`;
    return html`<div class="scroll" role="region" aria-labelledby="closed-caption" tabindex="0">
      <table class="stacked" role="table">
        <caption id="closed-caption">
          ${i18n.t('closedTable')}
        </caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">${i18n.t('colPage')}</th>
            <th scope="col" role="columnheader">${i18n.t('colClosedAt')}</th>
            <th scope="col" role="columnheader"><span class="visually-hidden">${i18n.t('reopen')}</span></th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          ${this.threads.map((thread) => {
            // Nothing at all in a cell without a date (an :empty cell): on a phone it would be an empty line.
            const closedAt = thread.closedAt
              ? html`${cellLabel(i18n, 'colClosedAt')}<time datetime=${thread.closedAt}
                    >${i18n.fullDate(thread.closedAt)}</time
                  >`
              : nothing;
            return html`<tr role="row">
              <td role="cell" class="value">${cellLabel(i18n, 'colPage')}${pageAddressLink(thread)}</td>
              <td role="cell">${closedAt}</td>
              <td role="cell">
                <button
                  type="button"
                  aria-label=${i18n.t('reopenLabel', { page: spoken(thread.pageId) })}
                  @click=${() => void this.#reopen(thread)}
                >
                  ${i18n.t('reopen')}
                </button>
              </td>
            </tr>`;
          })}
        </tbody>
      </table>
    </div>`;
  }
}

define('sala-admin-bans', SalaAdminBans);

declare global {
  interface HTMLElementTagNameMap {
    'sala-admin-bans': SalaAdminBans;
  }
}
