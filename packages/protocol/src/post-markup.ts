/**
 * How blog platforms mark up a single post by default (tests/fixtures/platforms), shared by the widget, which reads
 * the page it runs on with the DOM (packages/widgets/src/internal/host-page.ts, page-meta.ts), and the Worker's cron,
 * which reads the same page with HTMLRewriter (worker/src/domain/page-head.ts). One list, so both read a page alike.
 * Each entry is a simple selector (`.class`, `tag`, `[attr="value"]`, or `tag.class[attr]` for dates). Where the
 * snippet is read is in post-content.ts.
 */

/**
 * The whole post, header and footer too (where its date and labels are), most specific first: Blogger's layouts
 * themes, WordPress and older Blogger themes (`hentry`), microformats (Jekyll's minima), then any article or main.
 */
export const POST_SELECTORS = ['.post-outer-container', '.hentry', '.h-entry', 'article', 'main'] as const;

/** Where a post's text lives: the first in document order. Blogger's templates mark it `.post-body`. */
export const ARTICLE_SELECTORS = ['article', '[itemprop="articleBody"]', '.post-body', 'main'] as const;

/**
 * The post's own heading, read before `<title>`, which many blogs end with " – Blog name". WordPress's block themes
 * (Twenty Twenty-Four, Twenty Twenty-Five) mark it only as the Post Title block.
 */
export const HEADING_SELECTORS = ['.entry-title', '.post-title', '.p-name', '.wp-block-post-title'] as const;

/**
 * Where a post says when it was published, most specific first: Blogger's layouts themes and WordPress
 * (`time.published`, `time.entry-date`), older Blogger themes (`abbr.published` with the date in its title),
 * microformats and schema.org, then any `<time datetime>`. Each is a selector and the attribute holding the date.
 */
export const DATE_SOURCES: readonly (readonly [selector: string, attribute: string])[] = [
  ['time.published[datetime]', 'datetime'],
  ['abbr.published[title]', 'title'],
  ['time.entry-date[datetime]', 'datetime'],
  ['.dt-published[datetime]', 'datetime'],
  ['[itemprop="datePublished"][datetime]', 'datetime'],
  ['[itemprop="datePublished"][content]', 'content'],
  ['time[datetime]', 'datetime'],
];

/** A Blogger post's address, `/2026/11/slug.html`; its static pages are `/p/about.html`. */
export const BLOGGER_POST_PATH = /^\/\d{4}\/\d{2}\/[^/]+\.html$/;
