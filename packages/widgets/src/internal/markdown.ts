/**
 * Renders the comment Markdown AST as Lit templates. Every piece of comment text reaches the DOM as a text
 * binding or a checked href, so nothing a commenter types can become markup (no HTML is ever parsed).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { LINK_REL, parseMarkdown, safeHref, type Block, type Inline } from '@sala/protocol';

/** Tags this renderer can produce; the XSS tests hold rendered comments to this list. */
export const RENDERED_TAGS = ['p', 'br', 'em', 'strong', 'code', 'pre', 'a', 'blockquote', 'ul', 'ol', 'li'];

/** What a rendered piece of comment can be. */
export type Content = string | TemplateResult | readonly Content[];

function inline(node: Inline): Content {
  switch (node.type) {
    case 'text':
      return node.text;
    case 'break':
      return html`<br />`;
    case 'code':
      return html`<code>${node.text}</code>`;
    case 'emphasis':
      return html`<em>${node.children.map(inline)}</em>`;
    case 'strong':
      return html`<strong>${node.children.map(inline)}</strong>`;
    case 'link':
      return link(node.href, node.children.map(inline));
  }
}

/**
 * An outbound link a commenter wrote: checked again here (the API may be older or newer than this code),
 * and passing no credit, opener or referrer. An unsafe href leaves just the content.
 */
export function link(href: string | undefined, content: Content): Content {
  const safe = typeof href === 'string' ? safeHref(href) : null;
  return safe ? html`<a href=${safe} rel=${LINK_REL} target="_blank">${content}</a>` : content;
}

function block(node: Block, lead?: TemplateResult): TemplateResult {
  switch (node.type) {
    case 'paragraph':
      return html`<p>${lead}${node.children.map(inline)}</p>`;
    case 'codeBlock':
      return html`<pre><code>${node.text}</code></pre>`;
    case 'quote':
      return html`<blockquote>${node.children.map((child) => block(child))}</blockquote>`;
    case 'list': {
      const items = node.items.map((item) => html`<li>${item.map((child) => block(child))}</li>`);
      return node.ordered
        ? html`<ol start=${node.start === 1 ? nothing : node.start}>${items}</ol>`
        : html`<ul>${items}</ul>`;
    }
  }
}

/**
 * Comment source as templates. `lead` (an @mention) opens the first paragraph so it reads inline;
 * a comment that starts with a quote or list gets it on a line of its own.
 */
export function renderMarkdown(source: string | Block[], lead?: TemplateResult): TemplateResult[] {
  const blocks = typeof source === 'string' ? parseMarkdown(source) : source;
  const [first, ...rest] = blocks;
  if (!lead) return blocks.map((node) => block(node));
  if (first?.type === 'paragraph') return [block(first, lead), ...rest.map((node) => block(node))];
  return [html`<p>${lead}</p>`, ...blocks.map((node) => block(node))];
}
