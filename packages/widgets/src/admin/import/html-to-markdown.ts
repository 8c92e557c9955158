/**
 * Comment HTML from another system (Blogger, Disqus, WordPress) as Sala's Markdown subset (`@sala/protocol`'s
 * `parseMarkdown`): paragraphs and line breaks, bold, italics, code, quotes, lists and safe links survive; every
 * other tag becomes its text, and the text is escaped so that it shows as it was written, never as markup.
 *
 * The HTML is read into a document made by `DOMParser`, which is inert: its scripts do not run, its images do not load.
 */
import { safeHref } from '@sala/protocol';

export interface HtmlToMarkdownOptions {
  /**
   * Line breaks in the text are the author's (WordPress stores comments as typed and adds `<p>` and `<br>` only
   * when showing them): a newline is a line break, a blank line a new paragraph. Otherwise HTML's rule holds and
   * newlines are spaces.
   */
  newlines?: boolean;
}

/** Elements whose text is code, style or metadata, never what the commenter wrote. */
const DROPPED = new Set(['script', 'style', 'template', 'noscript', 'head', 'title', 'meta', 'link', 'object']);
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'center', 'dd', 'details', 'div', 'dl', 'dt', 'fieldset',
  'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main',
  'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'ul',
]); // prettier-ignore

/** Characters `parseMarkdown` reads as markup anywhere in a line (`<` only where it opens `<https://…>`). */
const INLINE_SPECIAL = /[\\`*_[\]]|<(?=https?:|mailto:)/i;
/** Line openings `parseMarkdown` reads as a quote, a list item or a code fence. */
const BLOCK_START = /^(>|[-+*](?= )|\d{1,9}(?=[.)] )|~~~|```)/;
/**
 * Bare addresses `parseMarkdown` turns into links itself: escaping inside them would change the address. So would
 * escaping the punctuation it leaves out at their end (it reads an address up to a space, `<` or `>`): that is
 * left as it is.
 */
const BARE_URL = /(?<![\p{L}\p{N}])(?:https?:\/\/|www\.)[^\s<>]+/iu;
const ESCAPED_OR_URL = new RegExp(`${BARE_URL.source}|${INLINE_SPECIAL.source}`, 'giu');

function escapeText(text: string): string {
  return text.replace(ESCAPED_OR_URL, (found) => (found.length > 1 ? found : `\\${found}`));
}

/** A line's opening escaped when it would start a quote, list or fence. */
function escapeLineStart(line: string): string {
  return line.replace(BLOCK_START, (opening) => (/^\d/.test(opening) ? `${opening}\\` : `\\${opening}`));
}

/** Wrap `inner` in a Markdown marker, whitespace kept outside it (`** bold **` would not be bold). */
function wrap(inner: string, marker: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner)!;
  const [, before, core, after] = match as unknown as [string, string, string, string];
  if (core === '' || core.includes('\n\n')) return inner;
  return `${before}${marker}${core}${marker}${after}`;
}

function codeSpan(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  if (flat.trim() === '') return flat;
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((run) => run[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${flat}${ticks}`;
}

function codeBlock(text: string): string | null {
  const body = text.replace(/^\n/, '').replace(/\s+$/, '');
  if (body.trim() === '') return null;
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}\n${body}\n${fence}`;
}

class Converter {
  constructor(private readonly newlines: boolean) {}

  /** Markdown blocks of `parent`'s children: runs of inline content become paragraphs. */
  blocks(parent: Node): string[] {
    const blocks: string[] = [];
    let inline = '';
    const flush = () => {
      blocks.push(...this.paragraphs(inline));
      inline = '';
    };
    for (const child of parent.childNodes) {
      if (child instanceof Element && BLOCKS.has(child.localName)) {
        flush();
        blocks.push(...this.block(child));
      } else {
        inline += this.inline(child);
      }
    }
    flush();
    return blocks;
  }

  /** Inline Markdown cut into paragraphs at blank lines, each line trimmed and its opening escaped. */
  private paragraphs(inline: string): string[] {
    return inline
      .split(/\n[ \t]*\n\s*/)
      .map((paragraph) =>
        paragraph
          .split('\n')
          .map((line) => escapeLineStart(line.replace(/[ \t]+/g, ' ').trim()))
          .filter((line, index, lines) => line !== '' || (index > 0 && index < lines.length - 1))
          .join('\n')
          .trim(),
      )
      .filter((paragraph) => paragraph !== '');
  }

  private block(element: Element): string[] {
    switch (element.localName) {
      case 'pre': {
        const code = codeBlock(element.textContent ?? '');
        return code === null ? [] : [code];
      }
      case 'blockquote': {
        const inner = this.blocks(element);
        if (inner.length === 0) return [];
        return [
          inner
            .join('\n\n')
            .split('\n')
            .map((line) => (line === '' ? '>' : `> ${line}`))
            .join('\n'),
        ];
      }
      case 'ul':
      case 'ol': {
        const ordered = element.localName === 'ol';
        const items = [...element.children].filter((child) => child.localName === 'li');
        const lines: string[] = [];
        let number = ordered ? Math.max(1, Number(element.getAttribute('start')) || 1) : 1;
        for (const item of items) {
          // A blank line would end the list: the item's blocks go one a line, continued by indenting.
          const text = this.blocks(item).join('\n');
          if (text === '') continue;
          const marker = ordered ? `${number++}. ` : '- ';
          const [first, ...rest] = text.split('\n');
          lines.push(marker + first, ...rest.map((line) => `  ${line}`));
        }
        return lines.length === 0 ? [] : [lines.join('\n')];
      }
      case 'hr':
        return [];
      default:
        return this.blocks(element);
    }
  }

  /** Inline Markdown of a node; a block inside an inline element (`<b><p>…</p></b>`) is a line of its own. */
  private inline(node: Node): string {
    if (node.nodeType === Node.TEXT_NODE) {
      const text = node.textContent ?? '';
      return escapeText(this.newlines ? text.replace(/\r\n?/g, '\n') : text.replace(/\s+/g, ' '));
    }
    if (!(node instanceof Element) || DROPPED.has(node.localName)) return '';
    const children = () => [...node.childNodes].map((child) => this.inline(child)).join('');
    switch (node.localName) {
      case 'br':
        return '\n';
      case 'b':
      case 'strong':
        return wrap(children(), '**');
      case 'i':
      case 'em':
        return wrap(children(), '*');
      case 'code':
      case 'tt':
      case 'kbd':
      case 'samp':
        return codeSpan(node.textContent ?? '');
      case 'a': {
        const label = children();
        const href = safeHref(node.getAttribute('href') ?? '');
        if (href === null || label.includes('\n')) return label;
        // `parseMarkdown` ends a link's address at the first `)`.
        const target = href.replace(/\(/g, '%28').replace(/\)/g, '%29');
        return label.trim() === '' ? `<${target}>` : `[${label.trim()}](${target})`;
      }
      case 'img':
        return '';
      case 'td':
      case 'th':
        return `${children()} `;
      default:
        return BLOCKS.has(node.localName) ? `\n${children()}\n` : children();
    }
  }
}

/** Comment HTML as Sala Markdown; '' when nothing readable is left (an image alone, an empty paragraph). */
export function htmlToMarkdown(html: string, options: HtmlToMarkdownOptions = {}): string {
  // One inert document for every comment of a file: a new one per comment made parsing 45,000 comments 9 times
  // slower. It has no browsing context, so what is put in it neither runs nor loads, as with `parseFromString`.
  inert ??= new DOMParser().parseFromString('', 'text/html');
  const body = inert.body;
  body.innerHTML = html;
  const markdown = new Converter(options.newlines ?? false).blocks(body).join('\n\n');
  body.replaceChildren();
  return markdown;
}

let inert: Document | undefined;
