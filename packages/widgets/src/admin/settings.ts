/** <sala-admin-settings>: one site's settings: who may embed it, moderation, word lists, spam checks, webhooks. */
import { css, html, LitElement, nothing, type TemplateResult, type PropertyDeclarations } from 'lit';
import type { AdminSite, ModerationMode, SiteSettings } from '@sala/protocol';
import { toApiError } from '../internal/api-client.js';
import { define } from '../internal/define.js';
import { partStyles } from './admin.styles.js';
import type { AdminContext } from './context.js';
import { idOf, inputField, textareaField, toggleField, webhookFieldset, type FieldsView } from './settings-fields.js';
import {
  draftOf,
  mergeOver,
  newSecret,
  newWebhookId,
  serverFieldError,
  settingsOf,
  validateDraft,
  type FieldErrors,
  type SettingsDraft,
  type WebhookDraft,
} from './settings-form.js';
import type { AdminStringKey } from './strings/admin-strings.js';
import { SiteData } from './site-data.js';

const MODES: { mode: ModerationMode; label: AdminStringKey; note: AdminStringKey }[] = [
  { mode: 'publish', label: 'modePublish', note: 'modePublishNote' },
  { mode: 'hold-first-time', label: 'modeHoldFirstTime', note: 'modeHoldFirstTimeNote' },
  { mode: 'hold-links', label: 'modeHoldLinks', note: 'modeHoldLinksNote' },
  { mode: 'hold-all', label: 'modeHoldAll', note: 'modeHoldAllNote' },
];
export class SalaAdminSettings extends LitElement {
  static override styles = [
    partStyles,
    css`
      .origins {
        margin: 0 0 1rem;
        padding-inline-start: 1.25rem;
      }
      .webhook-events {
        margin: 0.5rem 0 1rem;
      }
      .save {
        position: sticky;
        bottom: 0;
        padding: 0.75rem 0;
        background: var(--_page);
        border-top: 1px solid var(--_border);
      }
    `,
  ];
  static override properties: PropertyDeclarations = {
    context: { attribute: false },
    site: { state: true },
    draft: { state: true },
    errors: { state: true },
    loadError: { state: true },
    formError: { state: true },
    saving: { state: true },
    conflict: { state: true },
  };

  context!: AdminContext;

  private site: AdminSite | null = null;
  private draft: SettingsDraft | null = null;
  private errors: FieldErrors = {};
  private loadError = '';
  private formError = '';
  private saving = false;
  /** The save was refused: the settings were saved elsewhere since this form loaded them. */
  private conflict = false;

  /** The version of the saved settings this form was loaded from; the save sends it back. */
  #version = '';
  /** The saved settings that version names: what the owner's changes are changes from. */
  #loaded: SiteSettings | null = null;

  readonly #data = new SiteData(this, () => void this.#load());

  async #load(): Promise<void> {
    this.draft = null;
    this.loadError = '';
    try {
      const result = await this.#data.request.run((signal) => this.context.api.settings(this.context.site, signal));
      if (!result) return;
      this.site = result.site;
      this.draft = draftOf(result.settings);
      this.#version = result.version;
      this.#loaded = result.settings;
      this.errors = {};
      this.conflict = false;
    } catch (error) {
      this.loadError = this.context.failed(error);
    }
  }

  #set(change: Partial<SettingsDraft>): void {
    if (this.draft) this.draft = { ...this.draft, ...change };
  }

  #setWebhook(index: number, change: Partial<WebhookDraft>): void {
    if (!this.draft) return;
    this.#set({
      webhooks: this.draft.webhooks.map((webhook, i) => (i === index ? { ...webhook, ...change } : webhook)),
    });
  }

  async #addWebhook(): Promise<void> {
    if (!this.draft) return;
    const webhook: WebhookDraft = {
      id: newWebhookId(this.draft.webhooks),
      url: '',
      format: 'json',
      events: ['comment.held'],
      secret: newSecret(),
    };
    this.#set({ webhooks: [...this.draft.webhooks, webhook] });
    await this.updateComplete;
    this.renderRoot
      .querySelector<HTMLInputElement>(`#${idOf(`webhooks[${this.draft.webhooks.length - 1}].url`)}`)
      ?.focus();
  }

  async #removeWebhook(index: number): Promise<void> {
    if (!this.draft) return;
    this.#set({ webhooks: this.draft.webhooks.filter((_, i) => i !== index) });
    // Webhook fields are named by position, so their messages no longer fit.
    this.errors = Object.fromEntries(Object.entries(this.errors).filter(([field]) => !field.startsWith('webhooks[')));
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('#add-webhook')?.focus();
  }

  async #save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const draft = this.draft;
    if (!draft || this.saving) return;
    this.formError = '';
    this.errors = validateDraft(draft);
    if (Object.keys(this.errors).length > 0) return this.#showErrors();
    await this.#store(draft);
  }

  /**
   * After a conflict, at the owner's word: saves the settings they changed over the ones saved elsewhere, keeping
   * the other save's changes to the settings they left alone.
   */
  async #saveOver(): Promise<void> {
    const draft = this.draft;
    const loaded = this.#loaded;
    if (!draft || !loaded || this.saving) return;
    this.saving = true;
    let merged: SettingsDraft;
    try {
      const saved = await this.context.api.settings(this.context.site);
      merged = draftOf(mergeOver(loaded, settingsOf(draft), saved.settings));
      this.#version = saved.version;
      this.#loaded = saved.settings;
    } catch (error) {
      this.formError = this.context.failed(error);
      return;
    } finally {
      this.saving = false;
    }
    this.conflict = false;
    this.draft = merged;
    await this.#store(merged);
  }

  async #store(draft: SettingsDraft): Promise<void> {
    const { i18n, api, site } = this.context;
    this.saving = true;
    try {
      // No ownerLanguage: the page tells its language at sign-in and on a switch, and one sent with a save would
      // overwrite a site's mail language the owner or a script chose on purpose.
      const result = await api.saveSettings(site, settingsOf(draft), this.#version);
      this.site = result.site;
      this.draft = draftOf(result.settings);
      this.#version = result.version;
      this.#loaded = result.settings;
      void this.context.toast({ message: i18n.t('settingsSaved') });
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.code === 'settings_conflict') {
        // What the owner typed stays in the form; they choose to save it over the other save or to drop it.
        this.conflict = true;
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLButtonElement>('#save-over')?.focus();
        return;
      }
      const placed =
        apiError.code === 'invalid_field' && apiError.field
          ? serverFieldError(apiError.field, apiError.message, draft)
          : null;
      if (placed) {
        this.errors = { [placed[0]]: placed[1] };
        await this.#showErrors();
      } else {
        this.formError =
          apiError.code === 'invalid_field'
            ? i18n.t('invalid.other', { message: apiError.message })
            : this.context.failed(error);
      }
    } finally {
      this.saving = false;
    }
  }

  /** Says that fields need fixing, and takes the owner to the first. */
  async #showErrors(): Promise<void> {
    this.context.announce(this.context.i18n.t('settingsInvalid'));
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  protected override render(): TemplateResult {
    const { i18n } = this.context;
    // The heading stays put while the form loads, so focus given to it is not lost.
    return html`<section aria-labelledby="settings-heading">
      <h2 id="settings-heading">${i18n.t('settingsHeading')}${this.site ? ` · ${this.site.name}` : ''}</h2>
      ${this.#renderBody()}
    </section>`;
  }

  #renderBody(): TemplateResult {
    const { i18n } = this.context;
    if (this.loadError) {
      return html`<p class="alert" role="alert">${this.loadError}</p>
        <button type="button" @click=${() => void this.#load()}>${i18n.t('retry')}</button>`;
    }
    if (!this.draft) return html`<p class="muted" aria-busy="true">${i18n.t('loading')}</p>`;
    const draft = this.draft;
    const fields: FieldsView = {
      i18n,
      draft,
      errors: this.errors,
      set: (change) => this.#set(change),
      setWebhook: (index, change) => this.#setWebhook(index, change),
      removeWebhook: (index) => void this.#removeWebhook(index),
    };
    return html`<form @submit=${this.#save} novalidate>
      ${this.formError ? html`<p class="alert" role="alert">${this.formError}</p>` : nothing}
      ${
        this.conflict
          ? html`<div class="alert" role="alert">
              <p>${i18n.t('settingsConflict')}</p>
              <button type="button" id="save-over" @click=${() => void this.#saveOver()}>
                ${i18n.t('settingsKeepMine')}
              </button>
              <button type="button" @click=${() => void this.#load()}>${i18n.t('settingsShowSaved')}</button>
            </div>`
          : nothing
      }

      <h3>${i18n.t('originsHeading')}</h3>
      <p class="muted">${i18n.t('fixedOrigins')}</p>
      <ul class="origins">
        ${(this.site?.origins ?? []).map((origin) => html`<li><code>${origin}</code></li>`)}
      </ul>
      ${textareaField(fields, 'extraOrigins', 'extraOriginsLabel', 'extraOriginsNote')}

      <h3>${i18n.t('moderationHeading')}</h3>
      <fieldset>
        <legend>${i18n.t('moderationLegend')}</legend>
        ${MODES.map(
          ({ mode, label, note }) =>
            html`<div class="choice">
              <input
                type="radio"
                name="moderation"
                id="mode-${mode}"
                value=${mode}
                .checked=${draft.moderation === mode}
                aria-describedby="mode-${mode}-note"
                @change=${() => this.#set({ moderation: mode })}
              />
              <div>
                <label for="mode-${mode}">${i18n.t(label)}</label>
                <p class="note" id="mode-${mode}-note">${i18n.t(note)}</p>
              </div>
            </div>`,
        )}
      </fieldset>
      ${textareaField(fields, 'rejectWords', 'rejectWordsLabel', 'wordsNote')}
      ${textareaField(fields, 'holdWords', 'holdWordsLabel', 'wordsNote')}
      ${inputField(fields, 'maxLinks', 'maxLinksLabel', { type: 'number', note: 'maxLinksNote', min: 0, max: 20 })}
      ${inputField(fields, 'ownerName', 'ownerNameLabel', { maxlength: 64 })}

      <h3>${i18n.t('spamHeading')}</h3>
      ${toggleField(fields, 'turnstileOn', 'turnstileOn')}
      ${
        draft.turnstileOn
          ? html`${inputField(fields, 'turnstileSiteKey', 'turnstileSiteKey', { error: 'turnstile.siteKey' })}
            ${inputField(fields, 'turnstileSecretKey', 'turnstileSecretKey', { error: 'turnstile.secretKey' })}`
          : nothing
      }
      ${toggleField(fields, 'akismetOn', 'akismetOn')}
      ${
        draft.akismetOn
          ? html`${inputField(fields, 'akismetApiKey', 'akismetApiKey', { error: 'akismet.apiKey' })}
            ${inputField(fields, 'akismetBlogUrl', 'akismetBlogUrl', { error: 'akismet.blogUrl', type: 'url' })}`
          : nothing
      }

      <h3>${i18n.t('notificationsHeading')}</h3>
      ${inputField(fields, 'notifyEmail', 'notifyEmailLabel', { type: 'email', note: 'notifyEmailNote' })}

      <h3>${i18n.t('webhooksHeading')}</h3>
      <p class="muted">${i18n.t('webhooksNote')}</p>
      ${draft.webhooks.length === 0 ? html`<p>${i18n.t('webhooksEmpty')}</p>` : nothing}
      ${draft.webhooks.map((webhook, index) => webhookFieldset(fields, webhook, index))}
      <button type="button" id="add-webhook" @click=${() => void this.#addWebhook()}>${i18n.t('addWebhook')}</button>

      <div class="save">
        <button type="submit" class="primary" aria-disabled=${this.saving ? 'true' : nothing}>
          ${this.saving ? i18n.t('saving') : i18n.t('saveSettings')}
        </button>
      </div>
    </form>`;
  }
}

define('sala-admin-settings', SalaAdminSettings);

declare global {
  interface HTMLElementTagNameMap {
    'sala-admin-settings': SalaAdminSettings;
  }
}
