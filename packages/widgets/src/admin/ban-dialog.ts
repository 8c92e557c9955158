/** <sala-admin-ban-dialog>: bans a comment's author by email, network or name, for a chosen time, with undo. */
import { html, LitElement, nothing, type TemplateResult, type PropertyDeclarations } from 'lit';
import type { AdminComment, Ban, BanKind, CreateBanRequest } from '@sala/protocol';
import { define } from '../internal/define.js';
import { partStyles } from './admin.styles.js';
import type { AdminContext } from './context.js';
import { focusLost } from './shortcuts.js';
import { isolate, isolatedHtml, type AdminStringKey, type AdminTranslator } from './strings/admin-strings.js';

const HOUR = 3_600;
const DURATIONS: { seconds: number | null; label: AdminStringKey }[] = [
  { seconds: HOUR, label: 'duration1h' },
  { seconds: 24 * HOUR, label: 'duration1d' },
  { seconds: 7 * 24 * HOUR, label: 'duration1w' },
  { seconds: 30 * 24 * HOUR, label: 'duration30d' },
  { seconds: 365 * 24 * HOUR, label: 'duration1y' },
  { seconds: null, label: 'durationForever' },
];
const DEFAULT_DURATION = 7 * 24 * HOUR;

/** The ways this comment's author can be banned, most precise first, with the value each bans. */
function banOptions(
  comment: AdminComment,
  i18n: AdminTranslator,
): { kind: BanKind; value: string; label: TemplateResult }[] {
  const options: { kind: BanKind; value: string; label: TemplateResult }[] = [];
  const { email, name } = comment.author;
  if (email) options.push({ kind: 'email', value: email, label: isolatedHtml(i18n, 'banByEmail', { email }) });
  if (comment.ipHash) options.push({ kind: 'ip', value: comment.ipHash, label: html`${i18n.t('banByNetwork')}` });
  if (name) options.push({ kind: 'name', value: name, label: isolatedHtml(i18n, 'banByName', { name }) });
  return options;
}

/** What the toast calls the banned person. */
export function banLabel(ban: Ban, i18n: AdminTranslator): string {
  return ban.kind === 'ip' ? `${i18n.t('kind.ip')} ${ban.label.slice(0, 8)}…` : ban.label;
}

export class SalaAdminBanDialog extends LitElement {
  static override styles = partStyles;
  static override properties: PropertyDeclarations = {
    context: { attribute: false },
    comment: { state: true },
    busy: { state: true },
    error: { state: true },
  };

  context!: AdminContext;

  private comment: AdminComment | null = null;
  private busy = false;
  private error = '';
  #opener: HTMLElement | null = null;

  get open(): boolean {
    return this.#dialog?.open ?? false;
  }

  get #dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  async show(comment: AdminComment, opener: HTMLElement | null): Promise<void> {
    this.comment = comment;
    this.error = '';
    this.#opener = opener;
    await this.updateComplete;
    this.renderRoot.querySelector('form')?.reset();
    this.#dialog?.showModal();
  }

  #closed(): void {
    this.#opener?.focus();
    this.#opener = null;
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const comment = this.comment;
    if (!comment || this.busy) return;
    const data = new FormData(form);
    const option = banOptions(comment, this.context.i18n).find((candidate) => candidate.kind === data.get('kind'));
    if (!option) return;
    const duration = String(data.get('duration') ?? '');
    const reason = String(data.get('reason') ?? '').trim();
    const request: CreateBanRequest = {
      kind: option.kind,
      value: option.value,
      durationSeconds: duration === '' ? null : Number(duration),
      ...(reason ? { reason } : {}),
    };
    this.busy = true;
    this.error = '';
    try {
      const { ban } = await this.context.api.ban(this.context.site, request);
      const opener = this.#opener;
      this.#dialog?.close();
      this.#toast(ban, opener);
    } catch (error) {
      this.error = this.context.failed(error);
    } finally {
      this.busy = false;
    }
  }

  /** The ban's toast; its Undo lifts it, and when that fails, the focus gone with the toast goes back to `opener`. */
  #toast(ban: Ban, opener: HTMLElement | null): void {
    const { i18n, api, site } = this.context;
    const label = isolate(banLabel(ban, i18n));
    const message = ban.expiresAt
      ? i18n.t('bannedUntil', { label, until: i18n.fullDate(ban.expiresAt) })
      : i18n.t('bannedForever', { label });
    void this.context.toast({
      message,
      undo: async () => {
        try {
          await api.liftBan(site, ban.id);
        } catch (error) {
          void this.context.toast({ message: this.context.failed(error) });
          if (focusLost()) opener?.focus();
          return false;
        }
      },
    });
  }

  protected override render(): TemplateResult {
    const { comment } = this;
    const { i18n } = this.context;
    const options = comment ? banOptions(comment, i18n) : [];
    return html`<dialog aria-labelledby="ban-heading" @close=${this.#closed}>
      <form @submit=${this.#submit}>
        <h2 id="ban-heading">${isolatedHtml(i18n, 'banHeading', { name: comment?.author.name ?? '' })}</h2>
        <p class="muted">${i18n.t('banIntro')}</p>
        <fieldset>
          <legend>${i18n.t('banBy')}</legend>
          ${options.map(
            (option, index) =>
              html`<div class="choice">
                <input type="radio" name="kind" id="kind-${option.kind}" value=${option.kind} ?checked=${index === 0} />
                <label for="kind-${option.kind}">${option.label}</label>
              </div>`,
          )}
        </fieldset>
        <div class="field">
          <label for="duration">${i18n.t('banDuration')}</label>
          <select id="duration" name="duration">
            ${DURATIONS.map(
              ({ seconds, label }) =>
                html`<option value=${seconds ?? ''} ?selected=${seconds === DEFAULT_DURATION}>
                  ${i18n.t(label)}
                </option>`,
            )}
          </select>
        </div>
        <div class="field">
          <label for="reason">${i18n.t('banReason')}</label>
          <input id="reason" name="reason" maxlength="200" />
        </div>
        ${this.error ? html`<p class="alert" role="alert">${this.error}</p>` : nothing}
        <div class="row">
          <button type="submit" class="primary" aria-disabled=${this.busy ? 'true' : nothing}>
            ${i18n.t('banSubmit')}
          </button>
          <button type="button" @click=${() => this.#dialog?.close()}>${i18n.t('cancel')}</button>
        </div>
      </form>
    </dialog>`;
  }
}

define('sala-admin-ban-dialog', SalaAdminBanDialog);

declare global {
  interface HTMLElementTagNameMap {
    'sala-admin-ban-dialog': SalaAdminBanDialog;
  }
}
