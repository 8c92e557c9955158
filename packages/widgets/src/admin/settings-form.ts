/**
 * The settings form's model: a draft of plain strings and flags (what the fields hold), its conversion to and from
 * the API's SiteSettings, and validation that names fields the way the Worker does (`webhooks[0].url`), so the
 * page's own checks and the server's answers land next to the same field.
 */
import type { ModerationMode, SiteSettings, WebhookEvent, WebhookFormat } from '@sala/protocol';
import type { AdminStringKey } from './strings/admin-strings.js';

export interface WebhookDraft {
  id: string;
  url: string;
  format: WebhookFormat;
  events: WebhookEvent[];
  secret: string;
}

export interface SettingsDraft {
  extraOrigins: string;
  moderation: ModerationMode;
  rejectWords: string;
  holdWords: string;
  maxLinks: string;
  ownerName: string;
  turnstileOn: boolean;
  turnstileSiteKey: string;
  turnstileSecretKey: string;
  akismetOn: boolean;
  akismetApiKey: string;
  akismetBlogUrl: string;
  webhooks: WebhookDraft[];
  /** Where held comments are emailed; empty: no mail. */
  notifyEmail: string;
}

/** A message for one field: a string key and the values it needs. */
export interface FieldMessage {
  key: AdminStringKey;
  values?: Record<string, string | number>;
}

/** Field name (the Worker's naming) -> what is wrong with it. */
export type FieldErrors = Record<string, FieldMessage>;

/** The Worker's limits (worker/src/domain/site-settings.ts); it checks again, and its answer wins. */
export const SETTINGS_LIMITS = {
  origins: 50,
  words: 500,
  wordLength: 100,
  maxLinks: 20,
  webhooks: 10,
  ownerName: 64,
  secret: [16, 200],
} as const;

export const WEBHOOK_EVENTS: readonly WebhookEvent[] = ['comment.created', 'comment.held', 'comment.approved'];

/**
 * Same shape as the Worker's check: scheme, host labels or `*`, optional port or `*`. A path after it (an address
 * pasted from the address bar) is let through: the Worker keeps only the origin, and the saved list shows it.
 */
const ORIGIN_PATTERN = /^https?:\/\/([a-z0-9.*-]+)(?::(\d{1,5}|\*))?(?:[/?#].*)?$/;

export function isOriginPattern(value: string): boolean {
  const match = ORIGIN_PATTERN.exec(value.trim().toLowerCase());
  return match !== null && match[1]!.split('.').every((label) => label === '*' || /^[a-z0-9-]+$/.test(label));
}

/** The non-empty lines of a textarea, with their line numbers (1-based) for messages. */
export function lines(text: string): { value: string; line: number }[] {
  return text
    .split('\n')
    .map((value, i) => ({ value: value.trim(), line: i + 1 }))
    .filter(({ value }) => value !== '');
}

export function draftOf(settings: SiteSettings): SettingsDraft {
  return {
    extraOrigins: settings.extraOrigins.join('\n'),
    moderation: settings.moderation,
    rejectWords: settings.rejectWords.join('\n'),
    holdWords: settings.holdWords.join('\n'),
    maxLinks: String(settings.maxLinks),
    ownerName: settings.ownerName,
    turnstileOn: settings.turnstile !== null,
    turnstileSiteKey: settings.turnstile?.siteKey ?? '',
    turnstileSecretKey: settings.turnstile?.secretKey ?? '',
    akismetOn: settings.akismet !== null,
    akismetApiKey: settings.akismet?.apiKey ?? '',
    akismetBlogUrl: settings.akismet?.blogUrl ?? '',
    webhooks: settings.webhooks.map((webhook) => ({ ...webhook, events: [...webhook.events] })),
    notifyEmail: settings.notifyEmail ?? '',
  };
}

function checkWords(text: string, field: string, errors: FieldErrors): void {
  const entries = lines(text);
  if (entries.length > SETTINGS_LIMITS.words)
    errors[field] = { key: 'invalid.lines', values: { max: SETTINGS_LIMITS.words } };
  const long = entries.find(({ value }) => value.length > SETTINGS_LIMITS.wordLength);
  if (long) errors[field] = { key: 'invalid.word', values: { line: long.line, max: SETTINGS_LIMITS.wordLength } };
}

function isWebhookUrl(value: string): boolean {
  try {
    const url = new URL(value);
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    return url.protocol === 'https:' || (url.protocol === 'http:' && local);
  } catch {
    return false;
  }
}

/** Everything wrong with the draft, by field; empty when it can be sent. */
export function validateDraft(draft: SettingsDraft): FieldErrors {
  const errors: FieldErrors = {};
  const origins = lines(draft.extraOrigins);
  const badOrigin = origins.find(({ value }) => !isOriginPattern(value));
  if (badOrigin) errors['extraOrigins'] = { key: 'invalid.origin', values: { line: badOrigin.line } };
  else if (origins.length > SETTINGS_LIMITS.origins)
    errors['extraOrigins'] = { key: 'invalid.lines', values: { max: SETTINGS_LIMITS.origins } };
  checkWords(draft.rejectWords, 'rejectWords', errors);
  checkWords(draft.holdWords, 'holdWords', errors);

  const maxLinks = Number(draft.maxLinks.trim());
  if (
    draft.maxLinks.trim() === '' ||
    !Number.isInteger(maxLinks) ||
    maxLinks < 0 ||
    maxLinks > SETTINGS_LIMITS.maxLinks
  ) {
    errors['maxLinks'] = { key: 'invalid.maxLinks' };
  }
  const ownerName = draft.ownerName.trim();
  if (ownerName === '' || ownerName.length > SETTINGS_LIMITS.ownerName)
    errors['ownerName'] = { key: 'invalid.ownerName' };

  if (draft.turnstileOn) {
    if (!draft.turnstileSiteKey.trim()) errors['turnstile.siteKey'] = { key: 'invalid.required' };
    if (!draft.turnstileSecretKey.trim()) errors['turnstile.secretKey'] = { key: 'invalid.required' };
  }
  if (draft.akismetOn) {
    if (!draft.akismetApiKey.trim()) errors['akismet.apiKey'] = { key: 'invalid.required' };
    if (!/^https?:\/\/\S+$/.test(draft.akismetBlogUrl.trim())) errors['akismet.blogUrl'] = { key: 'invalid.blogUrl' };
  }

  const email = draft.notifyEmail.trim();
  if (email && (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)))
    errors['notifyEmail'] = { key: 'invalid.email' };

  draft.webhooks.forEach((webhook, i) => {
    if (!isWebhookUrl(webhook.url.trim())) errors[`webhooks[${i}].url`] = { key: 'invalid.webhookUrl' };
    if (webhook.events.length === 0) errors[`webhooks[${i}].events`] = { key: 'invalid.events' };
    const secret = webhook.secret.trim().length;
    if (secret < SETTINGS_LIMITS.secret[0] || secret > SETTINGS_LIMITS.secret[1])
      errors[`webhooks[${i}].secret`] = { key: 'invalid.secret' };
  });
  return errors;
}

/** The document a PUT sends (validate first). */
export function settingsOf(draft: SettingsDraft): SiteSettings {
  return {
    extraOrigins: lines(draft.extraOrigins).map(({ value }) => value),
    moderation: draft.moderation,
    rejectWords: lines(draft.rejectWords).map(({ value }) => value),
    holdWords: lines(draft.holdWords).map(({ value }) => value),
    maxLinks: Number(draft.maxLinks.trim()),
    ownerName: draft.ownerName.trim(),
    turnstile: draft.turnstileOn
      ? { siteKey: draft.turnstileSiteKey.trim(), secretKey: draft.turnstileSecretKey.trim() }
      : null,
    akismet: draft.akismetOn ? { apiKey: draft.akismetApiKey.trim(), blogUrl: draft.akismetBlogUrl.trim() } : null,
    webhooks: draft.webhooks.map((webhook) => ({ ...webhook, url: webhook.url.trim(), secret: webhook.secret.trim() })),
    notifyEmail: draft.notifyEmail.trim() || null,
  };
}

/**
 * What "Save mine over them" saves after another tab saved meanwhile: the settings as saved now (`current`), with
 * each setting the owner changed in this form (`mine` differs from `loaded`, what the form opened with) put over
 * them. A setting only the other tab changed keeps its change.
 */
export function mergeOver(loaded: SiteSettings, mine: SiteSettings, current: SiteSettings): SiteSettings {
  // Through the form and back, so a setting the owner left alone compares equal however the server wrote it.
  const opened = settingsOf(draftOf(loaded));
  const merged: SiteSettings = { ...current };
  for (const key of Object.keys(mine) as (keyof SiteSettings)[]) {
    if (JSON.stringify(mine[key]) !== JSON.stringify(opened[key])) Object.assign(merged, { [key]: mine[key] });
  }
  return merged;
}

/** Textareas whose lines the Worker names one by one (`extraOrigins[3]`). */
const LINE_FIELDS = ['extraOrigins', 'rejectWords', 'holdWords'] as const;

/**
 * Where the Worker's `invalid_field` answer belongs in the form, and what to say. Returns null for a field the
 * form does not show, which the form reports above itself.
 */
export function serverFieldError(field: string, message: string, draft: SettingsDraft): [string, FieldMessage] | null {
  const line = /^(\w+)\[(\d+)\]$/.exec(field);
  const lineField = LINE_FIELDS.find((name) => name === (line?.[1] ?? field));
  if (lineField) {
    const entry = line ? lines(draft[lineField])[Number(line[2])] : undefined;
    if (lineField === 'extraOrigins' && entry)
      return [lineField, { key: 'invalid.origin', values: { line: entry.line } }];
    return [lineField, { key: 'invalid.other', values: { message } }];
  }
  const webhook = /^webhooks\[(\d+)\]\.(\w+)/.exec(field);
  if (webhook) {
    // The id is made by this page, so a problem with it is shown on the address that identifies the webhook.
    const part = webhook[2] === 'id' ? 'url' : webhook[2];
    return [`webhooks[${webhook[1]}].${part}`, { key: 'invalid.other', values: { message } }];
  }
  if (field === 'turnstile') return ['turnstile.siteKey', { key: 'invalid.other', values: { message } }];
  if (field === 'akismet') return ['akismet.apiKey', { key: 'invalid.other', values: { message } }];
  const known = [
    'maxLinks',
    'ownerName',
    'notifyEmail',
    'turnstile.siteKey',
    'turnstile.secretKey',
    'akismet.apiKey',
    'akismet.blogUrl',
  ];
  return known.includes(field) ? [field, { key: 'invalid.other', values: { message } }] : null;
}

/** A webhook id the Worker accepts (`[a-z0-9-]`, at most 32), unique in the list. */
export function newWebhookId(existing: readonly WebhookDraft[]): string {
  for (let n = existing.length + 1; ; n++) {
    const id = `hook-${n}`;
    if (!existing.some((webhook) => webhook.id === id)) return id;
  }
}

/** A random signing secret: 32 hex characters from the browser's CSPRNG. */
export function newSecret(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
