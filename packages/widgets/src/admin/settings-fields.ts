/**
 * The settings form's fields as templates: each with its label, note and error, the error tied to the control by
 * aria-describedby and aria-invalid; and a webhook's fieldset. The element owns the draft; these only draw it.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { WebhookEvent, WebhookFormat } from '@sala/protocol';
import { newSecret, WEBHOOK_EVENTS, type FieldErrors, type SettingsDraft, type WebhookDraft } from './settings-form.js';
import type { AdminStringKey, AdminTranslator } from './strings/admin-strings.js';

/** What the fields read and how they change the draft. */
export interface FieldsView {
  i18n: AdminTranslator;
  draft: SettingsDraft;
  errors: FieldErrors;
  set(change: Partial<SettingsDraft>): void;
  setWebhook(index: number, change: Partial<WebhookDraft>): void;
  removeWebhook(index: number): void;
}

export type TextField =
  | 'extraOrigins'
  | 'rejectWords'
  | 'holdWords'
  | 'maxLinks'
  | 'ownerName'
  | 'turnstileSiteKey'
  | 'turnstileSecretKey'
  | 'akismetApiKey'
  | 'akismetBlogUrl'
  | 'notifyEmail';

const FORMATS: { format: WebhookFormat; label: AdminStringKey }[] = [
  { format: 'json', label: 'formatJson' },
  { format: 'slack', label: 'formatSlack' },
  { format: 'discord', label: 'formatDiscord' },
];
const EVENT_LABELS: Record<WebhookEvent, AdminStringKey> = {
  'comment.created': 'eventCreated',
  'comment.held': 'eventHeld',
  'comment.approved': 'eventApproved',
};

/** A field name (`webhooks[0].url`) as an element id. */
export function idOf(field: string): string {
  return field.replace(/[^a-zA-Z0-9]+/g, '-').replace(/-$/, '');
}

/** The note and error paragraphs of a field, and the ids its control is described by. */
function described(
  view: FieldsView,
  field: string,
  note?: AdminStringKey,
): {
  error: TemplateResult | typeof nothing;
  noteHtml: TemplateResult | typeof nothing;
  ids: string | typeof nothing;
  invalid: 'true' | 'false';
} {
  const { i18n } = view;
  const id = idOf(field);
  const message = view.errors[field];
  const ids = [note ? `${id}-note` : '', message ? `${id}-error` : ''].filter(Boolean).join(' ');
  return {
    noteHtml: note ? html`<p class="note" id="${id}-note">${i18n.t(note)}</p>` : nothing,
    error: message ? html`<p class="error" id="${id}-error">${i18n.t(message.key, message.values)}</p>` : nothing,
    ids: ids || nothing,
    invalid: message ? 'true' : 'false',
  };
}

export function textareaField(
  view: FieldsView,
  field: 'extraOrigins' | 'rejectWords' | 'holdWords',
  label: AdminStringKey,
  note: AdminStringKey,
): TemplateResult {
  const { error, noteHtml, ids, invalid } = described(view, field, note);
  return html`<div class="field">
    <label for=${idOf(field)}>${view.i18n.t(label)}</label>
    <textarea
      id=${idOf(field)}
      rows="4"
      spellcheck="false"
      .value=${view.draft[field]}
      aria-invalid=${invalid}
      aria-describedby=${ids}
      @input=${(event: Event) => view.set({ [field]: (event.target as HTMLTextAreaElement).value })}
    ></textarea>
    ${noteHtml} ${error}
  </div>`;
}

export function inputField(
  view: FieldsView,
  field: TextField,
  label: AdminStringKey,
  options: {
    type?: string;
    note?: AdminStringKey;
    error?: string;
    min?: number;
    max?: number;
    maxlength?: number;
  } = {},
): TemplateResult {
  const errorField = options.error ?? field;
  const { error, noteHtml, ids, invalid } = described(view, errorField, options.note);
  return html`<div class="field">
    <label for=${idOf(errorField)}>${view.i18n.t(label)}</label>
    <input
      id=${idOf(errorField)}
      type=${options.type ?? 'text'}
      min=${options.min ?? nothing}
      max=${options.max ?? nothing}
      maxlength=${options.maxlength ?? nothing}
      autocomplete="off"
      spellcheck="false"
      .value=${String(view.draft[field])}
      aria-invalid=${invalid}
      aria-describedby=${ids}
      @input=${(event: Event) => view.set({ [field]: (event.target as HTMLInputElement).value })}
    />
    ${noteHtml} ${error}
  </div>`;
}

export function toggleField(
  view: FieldsView,
  field: 'turnstileOn' | 'akismetOn',
  label: AdminStringKey,
): TemplateResult {
  return html`<div class="choice">
    <input
      type="checkbox"
      id=${field}
      .checked=${view.draft[field]}
      @change=${(event: Event) => view.set({ [field]: (event.target as HTMLInputElement).checked })}
    />
    <label for=${field}>${view.i18n.t(label)}</label>
  </div>`;
}

export function webhookFieldset(view: FieldsView, webhook: WebhookDraft, index: number): TemplateResult {
  const { i18n } = view;
  const number = index + 1;
  const field = (part: string) => `webhooks[${index}].${part}`;
  const url = described(view, field('url'));
  const secret = described(view, field('secret'), 'webhookSecretNote');
  const events = described(view, field('events'));
  return html`<fieldset>
    <legend>${i18n.t('webhookLegend', { number })}</legend>
    <div class="field">
      <label for=${idOf(field('url'))}>${i18n.t('webhookUrl')}</label>
      <input
        id=${idOf(field('url'))}
        type="url"
        inputmode="url"
        placeholder="https://hooks.slack.com/services/…"
        .value=${webhook.url}
        aria-invalid=${url.invalid}
        aria-describedby=${url.ids}
        @input=${(event: Event) => view.setWebhook(index, { url: (event.target as HTMLInputElement).value })}
      />
      ${url.error}
    </div>
    <div class="field">
      <label for=${idOf(field('format'))}>${i18n.t('webhookFormat')}</label>
      <select
        id=${idOf(field('format'))}
        @change=${(event: Event) => view.setWebhook(index, { format: (event.target as HTMLSelectElement).value as WebhookFormat })}
      >
        ${FORMATS.map(({ format, label }) => html`<option value=${format} ?selected=${webhook.format === format}>${i18n.t(label)}</option>`)}
      </select>
    </div>
    <fieldset class="webhook-events" aria-describedby=${events.ids}>
      <legend>${i18n.t('webhookEvents')}</legend>
      ${WEBHOOK_EVENTS.map((event) => {
        const id = `${idOf(field('events'))}-${idOf(event)}`;
        return html`<div class="choice">
          <input
            type="checkbox"
            id=${id}
            .checked=${webhook.events.includes(event)}
            aria-invalid=${events.invalid}
            @change=${(change: Event) => {
              const on = (change.target as HTMLInputElement).checked;
              const chosen = WEBHOOK_EVENTS.filter((candidate) =>
                candidate === event ? on : webhook.events.includes(candidate),
              );
              view.setWebhook(index, { events: chosen });
            }}
          />
          <label for=${id}>${i18n.t(EVENT_LABELS[event])}</label>
        </div>`;
      })}
      ${events.error}
    </fieldset>
    <div class="field">
      <label for=${idOf(field('secret'))}>${i18n.t('webhookSecret')}</label>
      <input
        id=${idOf(field('secret'))}
        type="text"
        autocomplete="off"
        spellcheck="false"
        .value=${webhook.secret}
        aria-invalid=${secret.invalid}
        aria-describedby=${secret.ids}
        @input=${(event: Event) => view.setWebhook(index, { secret: (event.target as HTMLInputElement).value })}
      />
      ${secret.noteHtml} ${secret.error}
      <div class="row">
        <button type="button" @click=${() => view.setWebhook(index, { secret: newSecret() })}>
          ${i18n.t('generateSecret')}
        </button>
        <button type="button" class="danger-button" @click=${() => view.removeWebhook(index)}>
          ${i18n.t('removeWebhook', { number })}
        </button>
      </div>
    </div>
  </fieldset>`;
}
