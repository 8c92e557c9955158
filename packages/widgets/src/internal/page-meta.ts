/**
 * Reads what a popular-posts list shows about the post a reader is on (title, URL, thumbnail, snippet, date,
 * labels) from the tags blogs already have: Open Graph and article metas, the canonical link, the post itself as
 * each platform marks it up (tests/fixtures/platforms). Loaded with the view beacon (views.ts), not before.
 */
import {
  ARTICLE_SELECTORS,
  CONTENT_SELECTORS,
  HAS_WORDS,
  HEADING_SELECTORS,
  pageLink,
  type PageMeta,
} from '@sala/protocol';
import { httpUrl, metaContent, ownUrl, postElement, publishedDate } from './host-page.js';

/** Sent a little longer than the Worker keeps (200 and 300), so it shortens them itself, at a word, with "…". */
const MAX_TITLE = 400;
const MAX_DESCRIPTION = 600;
const MAX_LABELS = 10;
const MAX_LABEL = 50;

const ARTICLE = ARTICLE_SELECTORS.join(', ');
const CONTENT = CONTENT_SELECTORS.join(', ');
const HEADING = HEADING_SELECTORS.join(', ');

function text(value: string | null | undefined): string {
  return (value ?? '').replace(/\s+/g, ' ').trim();
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
  // The post's text where the page marks it, else the article's: the first paragraph with a word, past a meta line's
  // "—" (worker/src/domain/page-head.ts reads the page alike).
  const paragraphs = (doc.querySelector(CONTENT) ?? article)?.querySelectorAll('p') ?? [];
  const paragraph = [...paragraphs].map((p) => text(p.textContent)).find((line) => HAS_WORDS.test(line));
  const found = text(meta) || paragraph || '';
  return found ? Array.from(found).slice(0, MAX_DESCRIPTION).join('') : undefined;
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
        ...[...(postElement(doc)?.querySelectorAll('a[rel~="tag" i]') ?? [])].map((link) => link.textContent ?? ''),
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
  const post = postElement(doc);
  const url = pageUrl(doc);
  // The post's own heading before the document title, which WordPress and others end with " – Blog name".
  const title =
    text(metaContent(doc, 'meta[property="og:title" i]')) ||
    text(post?.querySelector(HEADING)?.textContent) ||
    text(doc.title) ||
    text(article?.querySelector('h1, h2')?.textContent) ||
    url;
  const meta: PageMeta = { url, title: Array.from(title).slice(0, MAX_TITLE).join(''), labels };
  // Left out when missing: the Worker refuses a thumbnail or date it cannot use, with the whole beacon.
  const thumbnail = image(doc, article);
  const snippet = description(doc, article);
  const date = publishedDate(doc, post);
  if (thumbnail) meta.image = thumbnail;
  if (snippet) meta.description = snippet;
  if (date) meta.published = date;
  return meta;
}
