/**
 * What Sala reads from the host page before any request: whether a URL is a web address (`httpUrl`, for links and
 * thumbnails from the page or an API answer), and whether the page is a single post, which views are counted for and
 * popular posts leave out, told by what each blog platform emits by default (tests/fixtures/platforms). Where a
 * post's own element and date are is here too, for page-meta.ts.
 */
import { BLOGGER_POST_PATH, DATE_SOURCES, POST_SELECTORS } from '@sala/protocol';

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

/** A meta tag's content, trimmed, or ''. */
export function metaContent(doc: Document, selector: string): string {
  return doc.querySelector<HTMLMetaElement>(selector)?.content.trim() ?? '';
}

/** The post itself, header and footer too: the first of `POST_SELECTORS` on the page, or null. */
export function postElement(doc: Document): Element | null {
  for (const selector of POST_SELECTORS) {
    const found = doc.querySelector(selector);
    if (found) return found;
  }
  return null;
}

/** The page's own address: canonical if given, else `og:url`, else where the reader is. */
export function ownUrl(doc: Document): string {
  const canonical = doc.querySelector<HTMLLinkElement>('link[rel~="canonical" i][href]')?.href ?? '';
  return (
    httpUrl(canonical, doc.baseURI) ?? httpUrl(metaContent(doc, 'meta[property="og:url" i]'), doc.baseURI) ?? doc.URL
  );
}

/**
 * When the post says it was published, as ISO 8601 in UTC, or undefined: the Worker refuses a beacon whose date
 * does not parse.
 */
export function publishedDate(doc: Document, post: Element | null): string | undefined {
  const candidates = [
    metaContent(doc, 'meta[property="article:published_time" i]'),
    ...DATE_SOURCES.map(
      ([selector, attribute]) => post?.querySelector(selector)?.getAttribute(attribute)?.trim() ?? '',
    ),
  ];
  for (const candidate of candidates) {
    const time = /^\d{4}-\d{2}-\d{2}/.test(candidate) ? Date.parse(candidate) : NaN;
    if (!Number.isNaN(time)) return new Date(time).toISOString();
  }
  return undefined;
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
    if (posts.length > 0) return posts.length === 1 && publishedDate(doc, posts[0]!) !== undefined;
  }
  return doc.querySelector('main')?.querySelectorAll('time[datetime]').length === 1;
}
