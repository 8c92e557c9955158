/** <sala-admin-tokens>: API tokens for scripts: create one (shown once, with a copy button), list them, revoke. */
import { css, html, LitElement, nothing, type TemplateResult, type PropertyDeclarations } from 'lit';
import type { ApiTokenInfo, CreateApiTokenResponse } from '@sala/protocol';
import { LatestRequest, toApiError } from '../internal/api-client.js';
import { define } from '../internal/define.js';
import { partStyles } from './admin.styles.js';
import './confirm-dialog.js';
import type { SalaAdminConfirm } from './confirm-dialog.js';
import type { AdminContext } from './context.js';
import { isolate, isolatedHtml, spoken } from './strings/admin-strings.js';

export class SalaAdminTokens extends LitElement {
  static override styles = [
    partStyles,
    css`
      .new-token {
        margin: 0 0 1.5rem;
        padding: 0.75rem 1rem;
        border: 2px solid var(--_accent);
        border-radius: var(--_radius);
        max-width: 40rem;
      }
      .new-token input {
        font-family: ui-monospace, Menlo, Consolas, monospace;
        flex: 1 1 16rem;
      }
      .create {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: end;
        margin-bottom: 1.5rem;
      }
      .create .field {
        margin: 0;
        flex: 1 1 16rem;
      }
    `,
  ];
  static override properties: PropertyDeclarations = {
    context: { attribute: false },
    tokens: { state: true },
    loadError: { state: true },
    created: { state: true },
    copyNote: { state: true },
    nameError: { state: true },
    formError: { state: true },
    busy: { state: true },
  };

  context!: AdminContext;

  private tokens: ApiTokenInfo[] | null = null;
  private loadError = '';
  /** The token just created: kept only in this element's memory, and only until "Done" or leaving the tab. */
  private created: CreateApiTokenResponse | null = null;
  private copyNote = '';
  private nameError = '';
  private formError = '';
  private busy = false;

  readonly #request = new LatestRequest();

  protected override willUpdate(): void {
    if (!this.hasUpdated) void this.#load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#request.abort();
    this.created = null;
  }

  async #load(): Promise<void> {
    this.loadError = '';
    try {
      const result = await this.#request.run((signal) => this.context.api.tokens(signal));
      if (result) this.tokens = result.tokens;
    } catch (error) {
      this.loadError = this.context.failed(error);
    }
  }

  async #create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const input = this.renderRoot.querySelector<HTMLInputElement>('#token-name')!;
    const name = input.value.trim();
    this.nameError = '';
    this.formError = '';
    if (name === '' || name.length > 64) {
      this.nameError = this.context.i18n.t('invalid.tokenName');
      input.focus();
      return;
    }
    this.busy = true;
    try {
      this.created = await this.context.api.createToken(name);
      this.copyNote = '';
      input.value = '';
      this.tokens = [this.created.info, ...(this.tokens ?? [])];
      this.context.announce(this.context.i18n.t('tokenCreated'));
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('#new-token')?.select();
      this.renderRoot.querySelector<HTMLInputElement>('#new-token')?.focus();
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.code === 'invalid_field') {
        this.nameError = this.context.i18n.t('invalid.tokenName');
        input.focus();
      } else {
        this.formError = this.context.failed(error);
      }
    } finally {
      this.busy = false;
    }
  }

  async #copy(): Promise<void> {
    if (!this.created) return;
    try {
      await navigator.clipboard.writeText(this.created.token);
      this.copyNote = this.context.i18n.t('copied');
    } catch {
      this.copyNote = this.context.i18n.t('copyFailed');
      this.renderRoot.querySelector<HTMLInputElement>('#new-token')?.select();
    }
  }

  async #done(): Promise<void> {
    this.created = null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#token-name')?.focus();
  }

  async #revoke(token: ApiTokenInfo, opener: HTMLElement): Promise<void> {
    const { i18n, api } = this.context;
    const confirm = this.renderRoot.querySelector<SalaAdminConfirm>('sala-admin-confirm');
    if (
      !confirm ||
      !(await confirm.ask(isolatedHtml(i18n, 'revokeConfirm', { name: token.name }), i18n.t('revoke'), opener))
    )
      return;
    try {
      await api.revokeToken(token.id);
      this.tokens = (this.tokens ?? []).filter((candidate) => candidate.id !== token.id);
      if (this.created?.info.id === token.id) this.created = null;
      void this.context.toast({ message: i18n.t('tokenRevoked', { name: isolate(token.name) }) });
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
    } catch (error) {
      this.formError = this.context.failed(error);
    }
  }

  protected override render(): TemplateResult {
    const { i18n } = this.context;
    return html`<section aria-labelledby="tokens-heading">
      <h2 id="tokens-heading" tabindex="-1">${i18n.t('tokensHeading')}</h2>
      <p class="muted">${i18n.t('tokensIntro')}</p>
      ${this.created ? this.#renderCreated() : nothing}
      <form class="create" @submit=${this.#create} novalidate>
        <div class="field">
          <label for="token-name">${i18n.t('tokenName')}</label>
          <input
            id="token-name"
            maxlength="64"
            autocomplete="off"
            aria-invalid=${this.nameError ? 'true' : 'false'}
            aria-describedby=${this.nameError ? 'token-name-error' : nothing}
          />
          ${this.nameError ? html`<p class="error" id="token-name-error">${this.nameError}</p>` : nothing}
        </div>
        <button type="submit" class="primary" aria-disabled=${this.busy ? 'true' : nothing}>
          ${i18n.t('createToken')}
        </button>
      </form>
      ${this.formError ? html`<p class="alert" role="alert">${this.formError}</p>` : nothing} ${this.#renderList()}
      <sala-admin-confirm .i18n=${i18n}></sala-admin-confirm>
    </section>`;
  }

  #renderCreated(): TemplateResult {
    const { i18n } = this.context;
    const created = this.created!;
    return html`<section class="new-token" aria-labelledby="new-token-heading">
      <h3 id="new-token-heading">${isolatedHtml(i18n, 'newTokenHeading', { name: created.info.name })}</h3>
      <p id="new-token-note">${i18n.t('newTokenNote')}</p>
      <div class="row">
        <label class="visually-hidden" for="new-token">${i18n.t('newTokenLabel')}</label>
        <input id="new-token" readonly .value=${created.token} aria-describedby="new-token-note" />
        <button type="button" @click=${() => void this.#copy()}>${i18n.t('copy')}</button>
        <button type="button" @click=${() => void this.#done()}>${i18n.t('done')}</button>
      </div>
      <p role="status" class="note">${this.copyNote}</p>
    </section>`;
  }

  #renderList(): TemplateResult {
    const { i18n } = this.context;
    if (this.loadError) {
      return html`<p class="alert" role="alert">${this.loadError}</p>
        <button type="button" @click=${() => void this.#load()}>${i18n.t('retry')}</button>`;
    }
    if (!this.tokens) return html`<p class="muted" aria-busy="true">${i18n.t('loading')}</p>`;
    if (this.tokens.length === 0) return html`<p>${i18n.t('tokensEmpty')}</p>`;
    return html`<div class="scroll" role="region" aria-labelledby="tokens-caption" tabindex="0">
      <table>
        <caption id="tokens-caption">
          ${i18n.t('tokensTable')}
        </caption>
        <thead>
          <tr>
            <th scope="col">${i18n.t('colName')}</th>
            <th scope="col">${i18n.t('colPrefix')}</th>
            <th scope="col">${i18n.t('colCreated')}</th>
            <th scope="col"><span class="visually-hidden">${i18n.t('revoke')}</span></th>
          </tr>
        </thead>
        <tbody>
          ${this.tokens.map(
            (token) =>
              html`<tr>
                <td><bdi>${token.name}</bdi></td>
                <td><code>${token.prefix}…</code></td>
                <td><time datetime=${token.createdAt}>${i18n.fullDate(token.createdAt)}</time></td>
                <td>
                  <button
                    type="button"
                    class="danger-button"
                    aria-label=${i18n.t('revokeLabel', { name: spoken(token.name) })}
                    @click=${(event: Event) => void this.#revoke(token, event.currentTarget as HTMLElement)}
                  >
                    ${i18n.t('revoke')}
                  </button>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}

define('sala-admin-tokens', SalaAdminTokens);

declare global {
  interface HTMLElementTagNameMap {
    'sala-admin-tokens': SalaAdminTokens;
  }
}
