/**
 * Validation of the page metadata a view beacon carries (title, URL, thumbnail, snippet, date, labels).
 * It comes from any browser, so it is capped, cleaned and kept as plain text; widgets render it as text.
 */
import { LIMITS, safeHref, withoutBidiControls } from '@sala/protocol';
import type { PageMeta } from '@sala/protocol';

export const PAGE_META_LIMITS = {
  title: 200,
  description: 300,
  labels: 10,
  label: 50,
  url: LIMITS.website,
} as const;

export type PageMetaResult = { ok: true; meta: PageMeta } | { ok: false; field: string; message: string };

/** Says whether a URL origin (`https://blog.example.com`) belongs to the site; the caller knows its origins. */
export type OriginCheck = (origin: string) => boolean;

// C0/C1 controls become spaces; bidi overrides are removed so a title cannot reorder its neighbours' text.
// Zero-width spaces and joiners stay: Khmer and other scripts need them.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const ISO_DATE_START = /^\d{4}-\d{2}-\d{2}/;
const SURROGATE = /[\ud800-\udfff]/;

/** Text with control characters removed and whitespace folded. Markup characters stay: this is text, not HTML. */
export function cleanText(raw: string): string {
  return withoutBidiControls(raw.replace(CONTROL, ' ')).replace(/\s+/g, ' ').trim();
}

/**
 * `text` cut to at most `max` characters (code points), at a word break when one is near the end, with an
 * ellipsis. Zero-width spaces count as word breaks for scripts written without spaces.
 */
export function shorten(text: string, max: number): string {
  // A text's code points are at most its UTF-16 units, and as many when it has no surrogate pair: then it is cut
  // as a string. Splitting every text into code points made a cron's first ranking run spend milliseconds here.
  if (text.length <= max) return text;
  const chars = SURROGATE.test(text) ? Array.from(text) : null;
  if (chars !== null && chars.length <= max) return text;
  const cut = chars === null ? text.slice(0, max - 1) : chars.slice(0, max - 1).join('');
  const wordBreak = Math.max(cut.lastIndexOf(' '), cut.lastIndexOf('\u200b'));
  const kept = wordBreak > cut.length * 0.6 ? cut.slice(0, wordBreak) : cut;
  return `${kept.trimEnd()}…`;
}

type Field<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

function fail(field: string, message: string): { ok: false; field: string; message: string } {
  return { ok: false, field, message };
}

function httpUrl(raw: unknown, field: string): Field<string> {
  if (typeof raw !== 'string') return fail(field, `${field} must be a URL string`);
  if (raw.length > PAGE_META_LIMITS.url)
    return fail(field, `${field} is longer than ${PAGE_META_LIMITS.url} characters`);
  const href = safeHref(raw);
  if (href === null || !/^https?:/.test(href)) return fail(field, `${field} must be an absolute http(s) URL`);
  return { ok: true, value: href };
}

function optionalText(raw: unknown, field: string, max: number): Field<string | undefined> {
  if (raw === undefined || raw === null) return { ok: true, value: undefined };
  if (typeof raw !== 'string') return fail(field, `${field} must be a string`);
  const text = cleanText(raw);
  return { ok: true, value: text === '' ? undefined : shorten(text, max) };
}

function publishedDate(raw: unknown): Field<string | undefined> {
  if (raw === undefined || raw === null || raw === '') return { ok: true, value: undefined };
  // Date.parse alone accepts "1" or "May" as dates; require an ISO date at the start.
  const ms = typeof raw === 'string' && ISO_DATE_START.test(raw.trim()) ? Date.parse(raw.trim()) : NaN;
  if (!Number.isFinite(ms)) return fail('meta.published', 'meta.published must be an ISO 8601 date');
  return { ok: true, value: new Date(ms).toISOString() };
}

/**
 * Labels cleaned, without duplicates (ignoring case), at most 10. A label longer than 50 characters is dropped,
 * not cut: a label is matched exactly by the `label` filter, and a cut one would match nothing the blogger typed.
 */
function labelList(raw: unknown): Field<string[]> {
  if (raw === undefined || raw === null) return { ok: true, value: [] };
  if (!Array.isArray(raw) || raw.some((label) => typeof label !== 'string')) {
    return fail('meta.labels', 'meta.labels must be a list of strings');
  }
  const labels: string[] = [];
  const seen = new Set<string>();
  for (const label of (raw as string[]).map(cleanText)) {
    const key = label.toLowerCase();
    if (label === '' || Array.from(label).length > PAGE_META_LIMITS.label || seen.has(key)) continue;
    seen.add(key);
    labels.push(label);
    if (labels.length === PAGE_META_LIMITS.labels) break;
  }
  return { ok: true, value: labels };
}

/**
 * A clean PageMeta, or the first field at fault.
 *
 * Long text is shortened, never rejected: page titles and descriptions are legitimately long, and rejecting
 * them would keep a real post out of the list. What cannot be a real page's data is rejected: a URL that is
 * not http(s) (a `javascript:` thumbnail), a page URL on an origin the site does not own, a date that is not
 * a date, a missing title.
 */
export function validatePageMeta(input: unknown, isAllowedOrigin: OriginCheck): PageMetaResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail('meta', 'meta must be an object');
  }
  const raw = input as Record<string, unknown>;

  const url = httpUrl(raw.url, 'meta.url');
  if (!url.ok) return url;
  if (!isAllowedOrigin(new URL(url.value).origin)) {
    return fail('meta.url', 'meta.url must be on one of the site’s allowed origins');
  }

  const title = optionalText(raw.title, 'meta.title', PAGE_META_LIMITS.title);
  if (!title.ok) return title;
  if (title.value === undefined) return fail('meta.title', 'meta.title is required');

  let image: string | undefined;
  if (raw.image !== undefined && raw.image !== null && raw.image !== '') {
    const checked = httpUrl(raw.image, 'meta.image');
    if (!checked.ok) return checked;
    image = checked.value;
  }

  const description = optionalText(raw.description, 'meta.description', PAGE_META_LIMITS.description);
  if (!description.ok) return description;
  const published = publishedDate(raw.published);
  if (!published.ok) return published;
  const labels = labelList(raw.labels);
  if (!labels.ok) return labels;

  const meta: PageMeta = { url: url.value, title: title.value, labels: labels.value };
  if (image !== undefined) meta.image = image;
  if (description.value !== undefined) meta.description = description.value;
  if (published.value !== undefined) meta.published = published.value;
  return { ok: true, meta };
}

/** True when two metadata records would show the same list entry (so an unchanged page is not rewritten). */
export function samePageMeta(a: PageMeta, b: PageMeta): boolean {
  return (
    a.url === b.url &&
    a.title === b.title &&
    a.image === b.image &&
    a.description === b.description &&
    a.published === b.published &&
    a.labels.length === b.labels.length &&
    a.labels.every((label, i) => label === b.labels[i])
  );
}
