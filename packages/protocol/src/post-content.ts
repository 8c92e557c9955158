/**
 * Where a post page's snippet comes from, read alike by the widget (packages/widgets/src/internal/page-meta.ts) and the
 * Worker's cron (worker/src/domain/page-head.ts), like the selectors in post-markup.ts. A module of its own so the
 * widgets' bundle puts it with the view beacon that reads it, not in the chunk every element loads with host-page.ts.
 */

/**
 * The post's own text, without the header around it, where the snippet is read first (the first in document order):
 * WordPress's (`.entry-content`, which the block themes' Post Content block has too), Blogger's (`.post-body`),
 * Ghost's (`.gh-content`), microformats (`.e-content`), Jekyll's minima and Hugo themes' `.post-content`, schema.org.
 * A block theme's article (Twenty Twenty-Four's `<main>`) opens with the post meta's `<p>—</p><p>by</p>`.
 */
export const CONTENT_SELECTORS = [
  '.entry-content',
  '.post-body',
  '.gh-content',
  '.e-content',
  '.post-content',
  '[itemprop="articleBody"]',
] as const;

/** A paragraph a snippet can be: one with a letter or a digit, not a meta line's "—" or "·" alone. */
export const HAS_WORDS = /[\p{L}\p{N}]/u;
