/**
 * Renders comment Markdown as Lit templates, from the compact AST the Worker sends with each comment
 * (`PublicComment.parsed`). Every piece of comment text reaches the DOM as a text binding or a checked href, so
 * nothing a commenter types can become markup (no HTML is ever parsed). The parser itself is a chunk of its own
 * (markdown-parser.ts), fetched only for a preview or a comment that came without `parsed` (an older snapshot).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { LINK_REL, safeHref, type PackedBlock, type PublicComment } from '@sala/protocol';

/** Tags this renderer can produce; the XSS tests hold rendered comments to this list. */
export const RENDERED_TAGS = ['p', 'br', 'em', 'strong', 'code', 'pre', 'a', 'blockquote', 'ul', 'ol', 'li'];

/** What a rendered piece of comment can be. */
export type Content = string | TemplateResult | typeof nothing | readonly Content[];

/** Deeper than the parser ever nests (LIMITS.markdownDepth): anything below is dropped, not recursed into. */
const MAX_DEPTH = 12;

/** The parser (markdown-parser.ts), once its chunk has arrived. */
let parse: ((source: string) => PackedBlock[]) | undefined;
let parserLoading: Promise<void> | undefined;

/** Fetches the parser once; resolves when it can be used (or failed to load: comments then show as plain text). */
export function loadParser(): Promise<void> {
  parserLoading ??= import('./markdown-parser.js').then(
    (module) => void (parse = module.packMarkdown),
    () => void (parserLoading = undefined), // a later call may be online
  );
  return parserLoading;
}

/** Fetches the parser first when a comment came without its parsed text (from a snapshot built before the Worker sent it). */
export function parserFor(comments: PublicComment[]): Promise<void> | undefined {
  return comments.some(needsParser) ? loadParser() : undefined;
}

/** Comment source parsed, or undefined until loadParser() has finished. */
export function parsedSource(source: string): PackedBlock[] | undefined {
  return parse?.(source);
}

/** Whether a comment comes without its parsed text, so showing it needs the parser. */
export function needsParser(comment: PublicComment): boolean {
  return !comment.deleted && !Array.isArray(comment.parsed) && parse === undefined;
}

/** A comment's blocks: the Worker's, else its source parsed here, else (no parser to hand) the source as text. */
export function commentBlocks(comment: PublicComment): readonly unknown[] {
  return Array.isArray(comment.parsed) ? comment.parsed : (parse?.(comment.body) ?? [comment.body]);
}

/** Text from the AST; anything else (an API newer or broken) shows as nothing rather than break the render. */
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The children of a node: its items from `from` on, none if junk got this deep. */
const children = (node: unknown[], from: number, depth: number, each: (child: unknown, depth: number) => Content) =>
  depth < MAX_DEPTH ? node.slice(from).map((child) => each(child, depth + 1)) : nothing;

function inline(node: unknown, depth: number): Content {
  if (!Array.isArray(node)) return text(node);
  switch (node[0]) {
    case 'br':
      return html`<br />`;
    case 'code':
      return html`<code>${text(node[1])}</code>`;
    case 'em':
      return html`<em>${children(node, 1, depth, inline)}</em>`;
    case 'strong':
      return html`<strong>${children(node, 1, depth, inline)}</strong>`;
    case 'a':
      return link(text(node[1]), children(node, 2, depth, inline));
  }
  return nothing;
}

/**
 * An outbound link a commenter wrote: checked again here (the API may be older or newer than this code),
 * and passing no credit, opener or referrer. An unsafe href leaves just the content.
 */
export function link(href: string | undefined, content: Content): Content {
  const safe = typeof href === 'string' ? safeHref(href) : null;
  return safe ? html`<a href=${safe} rel=${LINK_REL} target="_blank">${content}</a>` : content;
}

function block(node: unknown, depth: number, lead?: TemplateResult): Content {
  if (!Array.isArray(node)) return html`<p>${lead}${text(node)}</p>`;
  const items = () =>
    children(node, node[0] === 'ol' ? 2 : 1, depth, (item, depth) =>
      Array.isArray(item) ? html`<li>${children(item, 0, depth, block)}</li>` : nothing,
    );
  switch (node[0]) {
    case 'p':
      return html`<p>${lead}${children(node, 1, depth, inline)}</p>`;
    case 'pre':
      return html`<pre><code>${text(node[1])}</code></pre>`;
    case 'quote':
      return html`<blockquote>${children(node, 1, depth, block)}</blockquote>`;
    case 'ul':
      return html`<ul>
        ${items()}
      </ul>`;
    case 'ol':
      return html`<ol start=${node[1] === 1 || !Number.isInteger(node[1]) ? nothing : node[1]}>
        ${items()}
      </ol>`;
  }
  return nothing;
}

/**
 * Comment blocks as templates. `lead` (an @mention) opens the first paragraph so it reads inline;
 * a comment that starts with a quote or list gets it on a line of its own.
 */
export function renderMarkdown(blocks: readonly unknown[], lead?: TemplateResult): Content[] {
  const [first, ...rest] = blocks;
  if (!lead) return blocks.map((node) => block(node, 0));
  if (typeof first === 'string' || (Array.isArray(first) && first[0] === 'p')) {
    return [block(first, 0, lead), ...rest.map((node) => block(node, 0))];
  }
  return [html`<p>${lead}</p>`, ...blocks.map((node) => block(node, 0))];
}
