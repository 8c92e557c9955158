/**
 * A comment's Markdown source as escaped HTML, for feeds: rendered from the shared parser's AST, tag by tag, the
 * way the widget renders it with Lit. Every piece of comment text goes through `escapeHtml`, so nothing a
 * commenter typed can become markup; links keep only http(s) addresses (checked again by `safeHref`).
 */
import { LINK_REL, parseMarkdown, safeHref, type Block, type Inline } from '@sala/protocol';

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
