/** <sala-admin-sign-in>: the password form. The Worker sets the HttpOnly session cookie; this page never sees it. */
import type { AdminSessionResponse } from '@sala/protocol';
import { html, LitElement, nothing, type TemplateResult, type PropertyDeclarations } from 'lit';
import { toApiError } from '../internal/api-client.js';
import { define } from '../internal/define.js';
import type { AdminApi } from './admin-api.js';
import { partStyles } from './admin.styles.js';
import type { AdminTranslator } from './strings/admin-strings.js';

export class SalaAdminSignIn extends LitElement {
  static override styles = partStyles;
  static override properties: PropertyDeclarations = {
    api: { attribute: false },
    i18n: { attribute: false },
    notice: { attribute: false },
    onSignedIn: { attribute: false },
    busy: { state: true },
    fieldError: { state: true },
    formError: { state: true },
  };

  api!: AdminApi;
  i18n!: AdminTranslator;
  /** Why the form shows, if not for the first time ("You signed out."). */
  notice = '';
  /** Called with the sign-in's answer, which says the language the Worker now keeps for the owner's mail. */
  onSignedIn: (session: AdminSessionResponse) => void = () => {};

  private busy = false;
  /** A message about the password itself, shown next to the field. */
  private fieldError = '';
  /** Any other failure, shown above the form. */
  private formError = '';

  protected override firstUpdated(): void {
    this.#password?.focus();
  }

  get #password(): HTMLInputElement | null {
    return this.renderRoot.querySelector('#password');
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const password = this.#password?.value ?? '';
    this.fieldError = '';
    this.formError = '';
    if (password === '') {
      this.fieldError = this.i18n.t('passwordRequired');
      this.#password?.focus();
      return;
    }
    this.busy = true;
    try {
      // The page's language goes with it: the owner's mail about held comments speaks it from now on.
      this.onSignedIn(await this.api.signIn(password, this.i18n.lang));
    } catch (error) {
      const { code, field, resumesAt } = toApiError(error);
      if (code === 'unauthorized' && field === 'password') this.fieldError = this.i18n.t('wrongPassword');
      else if (code === 'unauthorized') this.formError = this.i18n.t('signInNotSetUp');
      // A session is a KV write: "Changes are paused" would not say that signing in is what waits, or until when.
      else if (code === 'daily_limit_reached') this.formError = this.i18n.error({ code: 'sign_in_paused', resumesAt });
      else this.formError = this.i18n.error(code);
      await this.updateComplete;
      this.#password?.select();
      this.#password?.focus();
    } finally {
      this.busy = false;
    }
  }

  protected override render(): TemplateResult {
    const { i18n, fieldError, formError } = this;
    return html`<form @submit=${this.#submit} novalidate aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading">${i18n.t('signInHeading')}</h2>
      ${this.notice ? html`<p role="status">${this.notice}</p>` : nothing}
      <p class="muted">${i18n.t('signInIntro')}</p>
      ${formError ? html`<p class="alert" role="alert">${formError}</p>` : nothing}
      <!-- Lets password managers file the password under a name; the server only checks the password. -->
      <input type="text" name="username" autocomplete="username" value="owner" hidden />
      <div class="field">
        <label for="password">${i18n.t('passwordLabel')}</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          aria-invalid=${fieldError ? 'true' : 'false'}
          aria-describedby=${fieldError ? 'password-error' : nothing}
        />
        ${fieldError ? html`<p class="error" id="password-error" role="alert">${fieldError}</p>` : nothing}
      </div>
      <button type="submit" class="primary" aria-disabled=${this.busy ? 'true' : nothing}>
        ${this.busy ? i18n.t('signingIn') : i18n.t('signIn')}
      </button>
    </form>`;
  }
}

define('sala-admin-sign-in', SalaAdminSignIn);

declare global {
  interface HTMLElementTagNameMap {
    'sala-admin-sign-in': SalaAdminSignIn;
  }
}
