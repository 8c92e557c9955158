/**
 * Reads what a popular-posts list shows about the page a reader is on (title, URL, thumbnail, snippet, date,
 * labels) from the tags blogs already have: Open Graph and article metas, the canonical link, the article itself.
 */
import { normalizePageId, type PageMeta } from '@sala/protocol';

/** Sent a little longer than the Worker keeps (200 and 300), so it shortens them itself, at a word, with "…". */
const MAX_TITLE = 400;
const MAX_DESCRIPTION = 600;
const MAX_LABELS = 10;
const MAX_LABEL = 50;

/** Where a post's text lives: the first that exists. Blogger's templates mark it `.post-body`. */
const ARTICLE = 'article, [itemprop="articleBody"], .post-body, main';

function metaContent(doc: Document, selector: string): string {
  return doc.querySelector<HTMLMetaElement>(selector)?.content.trim() ?? '';
}

function text(value: string | null | undefined): string {
  return (value ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * An absolute http(s) URL resolved against the page, or undefined (data:, blob:, javascript: and junk). The lists
 * check the URLs the API gives them with it too: a link or thumbnail is only ever a web address.
 */
export function httpUrl(raw: string, base: string = document.baseURI): string | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The page's URL for the list's link: canonical if given, else where the reader is, without tracking or #. */
function pageUrl(doc: Document): string {
  const canonical = doc.querySelector<HTMLLinkElement>('link[rel~="canonical" i][href]')?.href;
  const url = httpUrl(canonical ?? '', doc.baseURI) ?? doc.URL;
  return normalizePageId(url) ?? url;
}

function image(doc: Document, article: Element | null): string | undefined {
  const og = metaContent(doc, 'meta[property="og:image" i]');
  const first = article?.querySelector<HTMLImageElement>('img[src]');
  return httpUrl(og, doc.baseURI) ?? httpUrl(first?.currentSrc || first?.getAttribute('src') || '', doc.baseURI);
}

function description(doc: Document, article: Element | null): string | undefined {
  const meta = metaContent(doc, 'meta[name="description" i]') || metaContent(doc, 'meta[property="og:description" i]');
  const paragraph = [...(article?.querySelectorAll('p') ?? [])].map((p) => text(p.textContent)).find(Boolean);
  const found = text(meta) || paragraph || '';
  return found ? Array.from(found).slice(0, MAX_DESCRIPTION).join('') : undefined;
}

/** ISO 8601 in UTC, or undefined: the Worker refuses a beacon whose date does not parse. */
function published(doc: Document, article: Element | null): string | undefined {
  const candidates = [
    metaContent(doc, 'meta[property="article:published_time" i]'),
    article?.querySelector('time[datetime]')?.getAttribute('datetime') ?? '',
  ];
  for (const candidate of candidates) {
    const time = /^\d{4}-\d{2}-\d{2}/.test(candidate) ? Date.parse(candidate) : NaN;
    if (!Number.isNaN(time)) return new Date(time).toISOString();
  }
  return undefined;
}

/** `"a, b"` from an element's `labels` attribute wins; else the page's `article:tag` metas. */
export function readLabels(attribute: string | null | undefined, doc: Document = document): string[] {
  const raw = attribute
    ? attribute.split(',')
    : [...doc.querySelectorAll<HTMLMetaElement>('meta[property="article:tag" i]')].map((meta) => meta.content);
  const seen = new Set<string>();
  const labels: string[] = [];
  for (const label of raw.map(text)) {
    if (!label || label.length > MAX_LABEL || seen.has(label.toLowerCase())) continue;
    seen.add(label.toLowerCase());
    labels.push(label);
  }
  return labels.slice(0, MAX_LABELS);
}

/** What the page says about itself, as a view beacon carries it. */
export function readPageMeta(labels: string[], doc: Document = document): PageMeta {
  const article = doc.querySelector(ARTICLE);
  const url = pageUrl(doc);
  const title =
    text(metaContent(doc, 'meta[property="og:title" i]')) ||
    text(doc.title) ||
    text(article?.querySelector('h1, h2')?.textContent) ||
    url;
  const meta: PageMeta = { url, title: Array.from(title).slice(0, MAX_TITLE).join(''), labels };
  // Left out when missing: the Worker refuses a thumbnail or date it cannot use, with the whole beacon.
  const thumbnail = image(doc, article);
  const snippet = description(doc, article);
  const date = published(doc, article);
  if (thumbnail) meta.image = thumbnail;
  if (snippet) meta.description = snippet;
  if (date) meta.published = date;
  return meta;
}

/**
 * Whether the page is a single post, which views are counted for and popular posts leave out of their list:
 * it says so (`og:type` article, or a published time); a home or label page does not.
 */
export function isPostPage(doc: Document = document): boolean {
  return (
    metaContent(doc, 'meta[property="og:type" i]').toLowerCase() === 'article' ||
    metaContent(doc, 'meta[property="article:published_time" i]') !== ''
  );
}
