/**
 * A comment's Markdown source as escaped HTML, for feeds: rendered from the shared parser's AST, tag by tag, the
 * way the widget renders it with Lit. Every piece of comment text goes through `escapeHtml`, so nothing a
 * commenter typed can become markup; links keep only http(s) addresses (checked again by `safeHref`).
 */
import { LINK_REL, parseMarkdown, safeHref, type Block, type Inline } from '@sala/protocol';

/**
 * Characters of a comment a feed entry carries: rendering a whole 10,000-character comment costs about 1 ms of CPU,
 * and 20 of them would not fit the free plan's 10 ms (`npm run bench:cpu -w worker`). The entry links to the rest.
 */
export const FEED_TEXT_CHARS = 1_000;

/** The comment's source cut for a feed, at a space when there is one near the end, with `…` when cut. */
export function feedText(source: string, max = FEED_TEXT_CHARS): string {
  if (source.length <= max) return source;
  let cut = max - 2; // room for " …", so a cut text is never cut again
  if (/[\ud800-\udbff]/.test(source[cut - 1]!)) cut -= 1; // never half of a surrogate pair
  const space = source.lastIndexOf(' ', cut);
  return `${source.slice(0, space > max * 0.8 ? space : cut)} …`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character]!);
}

/** Feeds link only to the web: a `mailto:` the widget would link becomes its text. */
function webHref(href: string): string | null {
  const safe = safeHref(href);
  return safe !== null && /^https?:/.test(safe) ? safe : null;
}

function inline(node: Inline): string {
  switch (node.type) {
    case 'text':
      return escapeHtml(node.text);
    case 'break':
      return '<br>';
    case 'code':
      return `<code>${escapeHtml(node.text)}</code>`;
    case 'emphasis':
      return `<em>${node.children.map(inline).join('')}</em>`;
    case 'strong':
      return `<strong>${node.children.map(inline).join('')}</strong>`;
    case 'link': {
      const content = node.children.map(inline).join('');
      const href = webHref(node.href);
      return href === null ? content : `<a href="${escapeHtml(href)}" rel="${LINK_REL}">${content}</a>`;
    }
  }
}

function block(node: Block): string {
  switch (node.type) {
    case 'paragraph':
      return `<p>${node.children.map(inline).join('')}</p>`;
    case 'codeBlock':
      return `<pre><code>${escapeHtml(node.text)}</code></pre>`;
    case 'quote':
      return `<blockquote>${node.children.map(block).join('')}</blockquote>`;
    case 'list': {
      const items = node.items.map((item) => `<li>${item.map(block).join('')}</li>`).join('');
      if (!node.ordered) return `<ul>${items}</ul>`;
      return node.start === 1 ? `<ol>${items}</ol>` : `<ol start="${node.start}">${items}</ol>`;
    }
  }
}

export function commentHtml(source: string): string {
  return parseMarkdown(source).map(block).join('');
}
