/**
 * The comment Markdown subset: source text in, a small AST out. Widgets render the AST with Lit templates
 * and never as HTML, so nothing a commenter types can become markup.
 *
 * Hand-written because every full Markdown library outweighs the whole comments widget; this covers what
 * comment boxes use: paragraphs, line breaks, *emphasis*, **strong**, `code`, fenced code, [links](https://…),
 * bare URLs, > quotes and - / 1. lists. Raw HTML is text.
 */
import { safeHref } from './links.js';

/**
 * Deepest nesting of quotes and lists the parser builds (`LIMITS.markdownDepth`). Its own constant: the parser is a
 * chunk of its own in the widgets, which should not carry every limit with it.
 */
export const MARKDOWN_DEPTH = 4;

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'emphasis'; children: Inline[] }
  | { type: 'strong'; children: Inline[] }
  | { type: 'code'; text: string }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'break' };

export type Block =
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'codeBlock'; text: string }
  | { type: 'quote'; children: Block[] }
  | { type: 'list'; ordered: boolean; start: number; items: Block[][] };

/**
 * The AST in the compact shape the thread API sends (`PublicComment.parsed`), so a reader's browser renders a
 * comment without the parser. A paragraph of plain text is its string; every other node is an array that starts
 * with its tag: `['p', ...inlines]`, `['pre', text]`, `['quote', ...blocks]`, `['ul', ...items]`,
 * `['ol', start, ...items]` (an item is an array of blocks). Inline: a string is text; `['br']`, `['code', text]`,
 * `['em', ...inlines]`, `['strong', ...inlines]`, `['a', href, ...inlines]`.
 */
export type PackedBlock =
  | string
  | ['p', ...PackedInline[]]
  | ['pre', string]
  | ['quote', ...PackedBlock[]]
  | ['ul', ...PackedItem[]]
  | ['ol', number, ...PackedItem[]];

/** One list item: its blocks. */
export interface PackedItem extends Array<PackedBlock> {}

export type PackedInline =
  | string
  | ['br']
  | ['code', string]
  | ['em', ...PackedInline[]]
  | ['strong', ...PackedInline[]]
  | ['a', string, ...PackedInline[]];

function packInline(node: Inline): PackedInline {
  switch (node.type) {
    case 'text':
      return node.text;
    case 'break':
      return ['br'];
    case 'code':
      return ['code', node.text];
    case 'emphasis':
      return ['em', ...node.children.map(packInline)];
    case 'strong':
      return ['strong', ...node.children.map(packInline)];
    case 'link':
      return ['a', node.href, ...node.children.map(packInline)];
  }
}

function packBlock(node: Block): PackedBlock {
  switch (node.type) {
    case 'paragraph': {
      const [only, ...more] = node.children;
      return only?.type === 'text' && more.length === 0 ? only.text : ['p', ...node.children.map(packInline)];
    }
    case 'codeBlock':
      return ['pre', node.text];
    case 'quote':
      return ['quote', ...node.children.map(packBlock)];
    case 'list': {
      const items = node.items.map((item) => item.map(packBlock));
      return node.ordered ? ['ol', node.start, ...items] : ['ul', ...items];
    }
  }
}

/** Comment source parsed into the compact AST the thread API sends. */
export function packMarkdown(source: string): PackedBlock[] {
  return parseMarkdown(source).map(packBlock);
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const QUOTE = /^ {0,3}> ?/;
const BULLET = /^ {0,3}[-*+] +(?=\S)/;
const ORDERED = /^ {0,3}(\d{1,9})[.)] +(?=\S)/;

function isBlank(line: string): boolean {
  return line.trim() === '';
}

function startsBlock(line: string): boolean {
  return FENCE.test(line) || QUOTE.test(line) || BULLET.test(line) || ORDERED.test(line);
}

/** Parse comment source into blocks. Never throws; any input yields some AST. */
export function parseMarkdown(source: string): Block[] {
  // eslint-disable-next-line no-control-regex
  const clean = source.replace(/\r\n?/g, '\n').replace(/[\u0000\u0008\u000b\u000c]/g, '');
  return parseBlocks(clean.split('\n'), 0);
}

function parseBlocks(lines: string[], depth: number): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
      continue;
    }

    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1]!;
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trimStart().startsWith(marker)) body.push(lines[i++]!);
      i++; // the closing fence, or past the end
      blocks.push({ type: 'codeBlock', text: body.join('\n') });
      continue;
    }

    if (QUOTE.test(line) && depth < MARKDOWN_DEPTH) {
      const inner: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i]!)) inner.push(lines[i++]!.replace(QUOTE, ''));
      blocks.push({ type: 'quote', children: parseBlocks(inner, depth + 1) });
      continue;
    }

    const ordered = ORDERED.exec(line);
    if ((ordered || BULLET.test(line)) && depth < MARKDOWN_DEPTH) {
      const marker = ordered ? ORDERED : BULLET;
      const items: string[][] = [];
      while (i < lines.length) {
        const current = lines[i]!;
        if (marker.test(current)) {
          items.push([current.replace(marker, '')]);
        } else if (!isBlank(current) && /^ {2,}/.test(current)) {
          items[items.length - 1]!.push(current.replace(/^ {2,4}/, ''));
        } else if (!isBlank(current) && !startsBlock(current) && !isBlank(lines[i - 1]!)) {
          items[items.length - 1]!.push(current); // a lazy continuation line
        } else {
          break;
        }
        i++;
      }
      blocks.push({
        type: 'list',
        ordered: ordered !== null,
        start: ordered ? Number(ordered[1]) : 1,
        items: items.map((item) => parseBlocks(item, depth + 1)),
      });
      continue;
    }

    const paragraph: string[] = [];
    while (i < lines.length && !isBlank(lines[i]!) && (paragraph.length === 0 || !startsBlock(lines[i]!))) {
      paragraph.push(lines[i++]!.trim());
    }
    blocks.push({ type: 'paragraph', children: parseInline(paragraph.join('\n'), 0, true) });
  }
  return blocks;
}

const ESCAPABLE = /[\\`*_{}[\]()#+\-.!>~|<]/;
const AUTOLINK_START = /^(?:https?:\/\/|www\.)/i;
const ANGLE_LINK = /^<((?:https?:\/\/|mailto:)[^\s<>]+)>/i;
const TRAILING_PUNCTUATION = /[.,:;!?'"*_~]+$/;

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}]/u.test(char);
}

/** Find the closing `marker` for an opener ending at `from`: not preceded by whitespace. */
function findCloser(text: string, marker: string, from: number): number {
  let at = text.indexOf(marker, from);
  while (at !== -1) {
    const before = text[at - 1];
    const after = text[at + marker.length];
    const flanking = at > from && before !== undefined && !/\s/.test(before);
    const single = marker.length === 1 && after === marker[0]; // `*` inside `**`
    const intraword = marker[0] === '_' && isWordChar(after);
    if (flanking && !single && !intraword) return at;
    at = text.indexOf(marker, at + marker.length);
  }
  return -1;
}

/** The end of `[label](href)` starting at `start`, with its parts, or null. */
function readLink(text: string, start: number): { label: string; href: string; end: number } | null {
  let depth = 0;
  let close = -1;
  for (let j = start; j < text.length; j++) {
    const char = text[j];
    if (char === '\\') j++;
    else if (char === '[') depth++;
    else if (char === ']' && --depth === 0) {
      close = j;
      break;
    }
  }
  if (close === -1 || text[close + 1] !== '(') return null;
  const end = text.indexOf(')', close + 2);
  if (end === -1) return null;
  const target = text
    .slice(close + 2, end)
    .trim()
    .replace(/^<(.*)>$/, '$1');
  return { label: text.slice(start + 1, close), href: target, end: end + 1 };
}

function parseInline(text: string, depth: number, allowLinks: boolean): Inline[] {
  const out: Inline[] = [];
  let buffer = '';
  const flush = () => {
    if (buffer !== '') out.push({ type: 'text', text: buffer });
    buffer = '';
  };
  const push = (node: Inline) => {
    flush();
    out.push(node);
  };

  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    const rest = text.slice(i, i + 12);

    if (char === '\\' && ESCAPABLE.test(text[i + 1] ?? '')) {
      buffer += text[i + 1];
      i += 2;
      continue;
    }

    if (char === '\n') {
      push({ type: 'break' });
      i++;
      continue;
    }

    if (char === '`') {
      const ticks = /^`+/.exec(text.slice(i))![0];
      const close = text.indexOf(ticks, i + ticks.length);
      if (close !== -1) {
        push({ type: 'code', text: text.slice(i + ticks.length, close).replace(/\n/g, ' ') });
        i = close + ticks.length;
      } else {
        buffer += ticks;
        i += ticks.length;
      }
      continue;
    }

    if ((char === '*' || char === '_') && depth < MARKDOWN_DEPTH) {
      const marker = text[i + 1] === char ? char + char : char;
      const opens = !/\s/.test(text[i + marker.length] ?? ' ') && !(char === '_' && isWordChar(text[i - 1]));
      const close = opens ? findCloser(text, marker, i + marker.length) : -1;
      if (close !== -1) {
        const children = parseInline(text.slice(i + marker.length, close), depth + 1, allowLinks);
        push({ type: marker.length === 2 ? 'strong' : 'emphasis', children });
        i = close + marker.length;
        continue;
      }
      buffer += marker;
      i += marker.length;
      continue;
    }

    if (char === '[' && allowLinks) {
      const link = readLink(text, i);
      const href = link && safeHref(link.href);
      if (link && href) {
        const children = parseInline(link.label, depth + 1, false);
        push({ type: 'link', href, children: children.length > 0 ? children : [{ type: 'text', text: href }] });
        i = link.end;
        continue;
      }
    }

    if (char === '<' && allowLinks) {
      const angle = ANGLE_LINK.exec(text.slice(i));
      const href = angle && safeHref(angle[1]!);
      if (angle && href) {
        push({ type: 'link', href, children: [{ type: 'text', text: angle[1]! }] });
        i += angle[0].length;
        continue;
      }
    }

    if (allowLinks && AUTOLINK_START.test(rest) && !isWordChar(text[i - 1])) {
      let raw = /^[^\s<>]+/.exec(text.slice(i))![0].replace(TRAILING_PUNCTUATION, '');
      // A closing parenthesis belongs to the URL only when the URL opened one.
      while (raw.endsWith(')') && raw.split('(').length < raw.split(')').length) raw = raw.slice(0, -1);
      const href = safeHref(/^www\./i.test(raw) ? `https://${raw}` : raw);
      if (href) {
        push({ type: 'link', href, children: [{ type: 'text', text: raw }] });
        i += raw.length;
        continue;
      }
    }

    buffer += char;
    i++;
  }
  flush();
  return out;
}

function inlineText(nodes: Inline[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text':
        case 'code':
          return node.text;
        case 'break':
          return ' ';
        default:
          return inlineText(node.children);
      }
    })
    .join('');
}

function blockText(block: Block): string {
  switch (block.type) {
    case 'paragraph':
      return inlineText(block.children);
    case 'codeBlock':
      return block.text;
    case 'quote':
      return block.children.map(blockText).join(' ');
    case 'list':
      return block.items.map((item) => item.map(blockText).join(' ')).join(' ');
  }
}

/** Plain text of comment source, whitespace folded: for excerpts, notifications and aria labels. */
export function toPlainText(source: string | Block[], maxLength = Infinity): string {
  const blocks = typeof source === 'string' ? parseMarkdown(source) : source;
  const text = blocks.map(blockText).join(' ').replace(/\s+/g, ' ').trim();
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > maxLength * 0.6 ? cut.slice(0, space) : cut}…`;
}
