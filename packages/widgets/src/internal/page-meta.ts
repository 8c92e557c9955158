/**
 * Reads what a popular-posts list shows about the page a reader is on (title, URL, thumbnail, snippet, date,
 * labels) from the tags blogs already have: Open Graph and article metas, the canonical link, the article itself,
 * and tells a single post from a home, label, search or archive page by what each blog platform emits by default
 * (tests/fixtures/platforms).
 */
import { pageLink, type PageMeta } from '@sala/protocol';

/** Sent a little longer than the Worker keeps (200 and 300), so it shortens them itself, at a word, with "…". */
const MAX_TITLE = 400;
const MAX_DESCRIPTION = 600;
const MAX_LABELS = 10;
const MAX_LABEL = 50;

/** Where a post's text lives: the first that exists. Blogger's templates mark it `.post-body`. */
const ARTICLE = 'article, [itemprop="articleBody"], .post-body, main';

/**
 * The whole post, header and footer too (where its date and labels are), most specific first: Blogger's layouts
 * themes, WordPress and older Blogger themes (`hentry`), microformats (Jekyll's minima), then any article or main.
 */
const POST = ['.post-outer-container', '.hentry', '.h-entry', 'article', 'main'];

/**
 * Where a post says when it was published, most specific first: Blogger's layouts themes and WordPress
 * (`time.published`, `time.entry-date`), older Blogger themes (`abbr.published` with the date in its title),
 * microformats and schema.org, then any `<time datetime>`.
 */
const DATES: [selector: string, attribute: string][] = [
  ['time.published[datetime]', 'datetime'],
  ['abbr.published[title]', 'title'],
  ['time.entry-date[datetime]', 'datetime'],
  ['.dt-published[datetime]', 'datetime'],
  ['[itemprop="datePublished"][datetime]', 'datetime'],
  ['[itemprop="datePublished"][content]', 'content'],
  ['time[datetime]', 'datetime'],
];

/** A Blogger post's address, `/2026/11/slug.html`; its static pages are `/p/about.html`. */
const BLOGGER_POST_PATH = /^\/\d{4}\/\d{2}\/[^/]+\.html$/;

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

/** The first element matching one of `selectors`, in their order (not the document's). */
function first(root: ParentNode | null | undefined, selectors: readonly string[]): Element | null {
  for (const selector of selectors) {
    const found = root?.querySelector(selector);
    if (found) return found;
  }
  return null;
}

/** The page's own address: canonical if given, else `og:url`, else where the reader is. */
function ownUrl(doc: Document): string {
  const canonical = doc.querySelector<HTMLLinkElement>('link[rel~="canonical" i][href]')?.href ?? '';
  return (
    httpUrl(canonical, doc.baseURI) ?? httpUrl(metaContent(doc, 'meta[property="og:url" i]'), doc.baseURI) ?? doc.URL
  );
}

/**
 * The list's link to the page, without tracking queries, `?m=1` or `#`, but with its path as served: the page id
 * drops `.html`, a link must not (Blogger serves `slug.html` only).
 */
function pageUrl(doc: Document): string {
  const url = ownUrl(doc);
  return pageLink(url) ?? url;
}

function image(doc: Document, article: Element | null): string | undefined {
  const og = metaContent(doc, 'meta[property="og:image" i]');
  const img = article?.querySelector<HTMLImageElement>('img[src]');
  return httpUrl(og, doc.baseURI) ?? httpUrl(img?.currentSrc || img?.getAttribute('src') || '', doc.baseURI);
}

function description(doc: Document, article: Element | null): string | undefined {
  const meta = metaContent(doc, 'meta[name="description" i]') || metaContent(doc, 'meta[property="og:description" i]');
  const paragraph = [...(article?.querySelectorAll('p') ?? [])].map((p) => text(p.textContent)).find(Boolean);
  const found = text(meta) || paragraph || '';
  return found ? Array.from(found).slice(0, MAX_DESCRIPTION).join('') : undefined;
}

/** ISO 8601 in UTC, or undefined: the Worker refuses a beacon whose date does not parse. */
function published(doc: Document, post: Element | null): string | undefined {
  const candidates = [
    metaContent(doc, 'meta[property="article:published_time" i]'),
    ...DATES.map(([selector, attribute]) => post?.querySelector(selector)?.getAttribute(attribute)?.trim() ?? ''),
  ];
  for (const candidate of candidates) {
    const time = /^\d{4}-\d{2}-\d{2}/.test(candidate) ? Date.parse(candidate) : NaN;
    if (!Number.isNaN(time)) return new Date(time).toISOString();
  }
  return undefined;
}

/**
 * `"a, b"` from an element's `labels` attribute wins; else the page's `article:tag` metas and the post's label
 * links (`rel="tag"`: Blogger's labels, WordPress's tags and categories), without duplicates.
 */
export function readLabels(attribute: string | null | undefined, doc: Document = document): string[] {
  const raw = attribute
    ? attribute.split(',')
    : [
        ...[...doc.querySelectorAll<HTMLMetaElement>('meta[property="article:tag" i]')].map((meta) => meta.content),
        ...[...(first(doc, POST)?.querySelectorAll('a[rel~="tag" i]') ?? [])].map((link) => link.textContent ?? ''),
      ];
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
  const post = first(doc, POST);
  const url = pageUrl(doc);
  // The post's own heading before the document title, which WordPress and others end with " – Blog name".
  const title =
    text(metaContent(doc, 'meta[property="og:title" i]')) ||
    text(post?.querySelector('.entry-title, .post-title, .p-name')?.textContent) ||
    text(doc.title) ||
    text(article?.querySelector('h1, h2')?.textContent) ||
    url;
  const meta: PageMeta = { url, title: Array.from(title).slice(0, MAX_TITLE).join(''), labels };
  // Left out when missing: the Worker refuses a thumbnail or date it cannot use, with the whole beacon.
  const thumbnail = image(doc, article);
  const snippet = description(doc, article);
  const date = published(doc, post);
  if (thumbnail) meta.image = thumbnail;
  if (snippet) meta.description = snippet;
  if (date) meta.published = date;
  return meta;
}

/**
 * What the page is, for counting views: a single `post`, an `other` page (home, label, search, archive, a static
 * page), or `unsure`: it looks like a post (one article with a date, a single-item body class) but says nothing
 * that tells, so a view is not counted and the element hints how to say it.
 */
export type PageKind = 'post' | 'other' | 'unsure';

export function pageKind(doc: Document = document): PageKind {
  // What the page says of itself wins: Ghost, Hugo, Jekyll's seo tag and SEO plugins say `article` on posts only.
  const ogType = metaContent(doc, 'meta[property="og:type" i]').toLowerCase();
  if (ogType === 'article') return 'post';
  if (ogType !== '') return 'other';
  if (metaContent(doc, 'meta[property="article:published_time" i]') !== '') return 'post';

  // Platforms whose default head says neither, by what they do emit.
  const generator = metaContent(doc, 'meta[name="generator" i]').toLowerCase();
  const body = doc.body?.classList;
  if (generator === 'blogger') return BLOGGER_POST_PATH.test(new URL(ownUrl(doc)).pathname) ? 'post' : 'other';
  // body_class(): `single` on a single post or attachment (`home blog`, `archive`, `search`, `page` elsewhere).
  if (generator.startsWith('wordpress')) {
    return body?.contains('single') && !body.contains('attachment') ? 'post' : 'other';
  }
  if (generator.startsWith('ghost')) return body?.contains('post-template') ? 'post' : 'other';

  return looksLikePost(doc) ? 'unsure' : 'other';
}

/**
 * A single-item body class, or one post (an article, `hentry` or `h-entry`, alone on the page) with a date, or
 * without any of those a main with exactly one date (Hugo's plain single template).
 */
function looksLikePost(doc: Document): boolean {
  const body = doc.body?.classList;
  if (body && ['item-view', 'single', 'single-post', 'post-template'].some((name) => body.contains(name))) return true;
  for (const selector of ['.hentry', '.h-entry', 'article']) {
    const posts = doc.querySelectorAll(selector);
    if (posts.length > 0) return posts.length === 1 && published(doc, posts[0]!) !== undefined;
  }
  return doc.querySelector('main')?.querySelectorAll('time[datetime]').length === 1;
}
