/**
 * A site's settings document: its defaults, and the validation of one sent by the admin page. Every failure
 * names the field (`holdWords[2]`, `webhooks[0].url`) so the page can point at it.
 */
import type { ModerationMode, SiteSettings, WebhookEvent, WebhookFormat, WebhookSettings } from '@sala/protocol';
import { ApiError, invalidField } from '../errors.js';
import { readWrittenOrigin } from './origins.js';

export const MODERATION_MODES: readonly ModerationMode[] = ['publish', 'hold-first-time', 'hold-links', 'hold-all'];
const WEBHOOK_FORMATS: readonly WebhookFormat[] = ['json', 'slack', 'discord'];
const WEBHOOK_EVENTS: readonly WebhookEvent[] = ['comment.created', 'comment.held', 'comment.approved'];

const MAX_ORIGINS = 50;
const MAX_WORDS = 500;
const MAX_WORD_LENGTH = 100;
const MAX_LINKS = 20;
const MAX_WEBHOOKS = 10;

/** What a site gets until its owner saves settings: publish at once (the spam layers still apply). */
export function defaultSiteSettings(siteName: string): SiteSettings {
  return {
    extraOrigins: [],
    moderation: 'publish',
    rejectWords: [],
    holdWords: [],
    maxLinks: 3,
    ownerName: siteName,
    turnstile: null,
    akismet: null,
    webhooks: [],
    notifyEmail: null,
  };
}

type Fields = Record<string, unknown>;

function object(value: unknown, field: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    if (field === '') throw new ApiError('invalid_json', 400, 'The request body must be a JSON object.');
    throw invalidField(field, `${field} must be an object.`);
  }
  return value as Fields;
}

function text(value: unknown, field: string, { min = 1, max = 200 } = {}): string {
  if (typeof value !== 'string') throw invalidField(field, `${field} must be a string.`);
  const trimmed = value.trim();
  if (trimmed.length < min || trimmed.length > max) {
    throw invalidField(field, `${field} must be ${min} to ${max} characters.`);
  }
  return trimmed;
}

function list(value: unknown, field: string, max: number): unknown[] {
  if (!Array.isArray(value)) throw invalidField(field, `${field} must be a list.`);
  if (value.length > max) throw invalidField(field, `${field} has more than ${max} entries.`);
  return value;
}

function oneOf<T extends string>(value: unknown, field: string, choices: readonly T[]): T {
  if (typeof value !== 'string' || !choices.includes(value as T)) {
    throw invalidField(field, `${field} must be one of ${choices.join(', ')}.`);
  }
  return value as T;
}

/** Words and phrases, lowercased and deduplicated, because matching ignores case. */
function words(value: unknown, field: string): string[] {
  const entries = list(value, field, MAX_WORDS).map((entry, i) =>
    text(entry, `${field}[${i}]`, { max: MAX_WORD_LENGTH }).toLowerCase(),
  );
  return [...new Set(entries)];
}

/** https, or http for a receiver on this machine (local testing). */
function webhookUrl(value: unknown, field: string): string {
  const raw = text(value, field, { max: 2048 });
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidField(field, `${field} must be an absolute URL.`);
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw invalidField(field, `${field} must be an https URL.`);
  }
  return url.href;
}

function webhook(value: unknown, field: string): WebhookSettings {
  const fields = object(value, field);
  const id = text(fields.id, `${field}.id`, { max: 32 });
  if (!/^[a-z0-9-]+$/.test(id)) throw invalidField(`${field}.id`, `${field}.id may use only a-z, 0-9 and -.`);
  const events = list(fields.events, `${field}.events`, WEBHOOK_EVENTS.length).map((event, i) =>
    oneOf(event, `${field}.events[${i}]`, WEBHOOK_EVENTS),
  );
  return {
    id,
    url: webhookUrl(fields.url, `${field}.url`),
    format: oneOf(fields.format, `${field}.format`, WEBHOOK_FORMATS),
    events: [...new Set(events)],
    secret: text(fields.secret, `${field}.secret`, { min: 16, max: 200 }),
  };
}

function turnstile(value: unknown): SiteSettings['turnstile'] {
  if (value === null) return null;
  const fields = object(value, 'turnstile');
  return {
    siteKey: text(fields.siteKey, 'turnstile.siteKey'),
    secretKey: text(fields.secretKey, 'turnstile.secretKey'),
  };
}

function akismet(value: unknown): SiteSettings['akismet'] {
  if (value === null) return null;
  const fields = object(value, 'akismet');
  const blogUrl = text(fields.blogUrl, 'akismet.blogUrl', { max: 2048 });
  if (!/^https?:\/\/\S+$/.test(blogUrl))
    throw invalidField('akismet.blogUrl', 'akismet.blogUrl must be an http(s) URL.');
  return { apiKey: text(fields.apiKey, 'akismet.apiKey', { max: 100 }), blogUrl };
}

function notifyEmail(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return value;
  const email = text(value, 'notifyEmail', { max: 254 });
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    throw invalidField('notifyEmail', 'notifyEmail is not an email address.');
  return email;
}

/**
 * A language tag (`ja`, `km-KH`) kept as its first subtag, lowercase: all the mail's table is looked up by. `field`
 * names it in the 400: the settings' `ownerLanguage`, or the admin page's `language` (routes/admin-session.ts).
 */
export function languageTag(value: unknown, field: string): string {
  const tag = text(value, field, { max: 35 });
  if (!/^[a-z]{2,8}([-_][a-z0-9]{1,8})*$/i.test(tag))
    throw invalidField(field, `${field} is not a language tag like ja or km-KH.`);
  return tag.toLowerCase().split(/[-_]/)[0]!;
}

function ownerLanguage(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return value;
  return languageTag(value, 'ownerLanguage');
}

/**
 * An origin the owner typed: one pasted from the address bar (`https://myblog.blogspot.com/2024/`) keeps only
 * its origin, which is what was meant; one without its scheme is refused, as http or https cannot be guessed.
 */
function extraOrigin(value: unknown, field: string): string {
  const written = text(value, field, { max: 300 });
  const origin = readWrittenOrigin(written);
  if (origin?.addedScheme) {
    throw invalidField(
      field,
      `${field} needs its scheme: write ${origin.pattern} (or http:// if the site has no https).`,
    );
  }
  if (!origin) throw invalidField(field, `${field} is not an origin like https://myblog.blogspot.com.`);
  return origin.pattern;
}

/**
 * The whole settings document of a PUT. Unknown fields are ignored; every known one is required except
 * `notifyEmail`, which is undefined when absent, and `ownerLanguage`, left out when absent (the caller keeps the
 * saved ones).
 */
export function readSiteSettings(json: unknown): SiteSettings {
  const fields = object(json, '');
  const extraOrigins = list(fields.extraOrigins, 'extraOrigins', MAX_ORIGINS).map((entry, i) =>
    extraOrigin(entry, `extraOrigins[${i}]`),
  );
  const maxLinks = fields.maxLinks;
  if (typeof maxLinks !== 'number' || !Number.isInteger(maxLinks) || maxLinks < 0 || maxLinks > MAX_LINKS) {
    throw invalidField('maxLinks', `maxLinks must be a whole number from 0 to ${MAX_LINKS}.`);
  }
  const webhooks = list(fields.webhooks, 'webhooks', MAX_WEBHOOKS).map((entry, i) => webhook(entry, `webhooks[${i}]`));
  const ids = webhooks.map((entry) => entry.id);
  const repeated = ids.findIndex((id, i) => ids.indexOf(id) !== i);
  if (repeated >= 0) throw invalidField(`webhooks[${repeated}].id`, 'Each webhook needs its own id.');
  const language = ownerLanguage(fields.ownerLanguage);

  return {
    extraOrigins: [...new Set(extraOrigins)],
    moderation: oneOf(fields.moderation, 'moderation', MODERATION_MODES),
    rejectWords: words(fields.rejectWords, 'rejectWords'),
    holdWords: words(fields.holdWords, 'holdWords'),
    maxLinks,
    ownerName: text(fields.ownerName, 'ownerName', { max: 64 }),
    turnstile: turnstile(fields.turnstile),
    akismet: akismet(fields.akismet),
    webhooks,
    notifyEmail: notifyEmail(fields.notifyEmail),
    // Absent stays absent (not `undefined`): an import's settings spread over the saved ones keep theirs.
    ...(language !== undefined ? { ownerLanguage: language } : {}),
  };
}

/**
 * A stored document read back: fields added by later versions get their defaults, so an old document never
 * breaks the screening of comments.
 */
export function withDefaults(stored: Partial<SiteSettings> | null, siteName: string): SiteSettings {
  return { ...defaultSiteSettings(siteName), ...(stored ?? {}) };
}
