/**
 * An XML import file cut, as its text arrives, into small well-formed documents ("pieces") that `DOMParser` reads one
 * at a time, so a 100 MB export is never one document in memory nor one long task. Each piece repeats what comes
 * before the root (the XML declaration, a doctype) and the start tags of the entries' ancestors (the root, with its
 * namespace declarations, and for RSS the `<channel>`) around whole top-level entries: `<entry>`, `<thread>` and
 * `<post>`, `<item>`. Comments, CDATA sections, processing instructions and quoted attribute values are stepped over,
 * so a `</entry>` inside them cuts nothing; what is inside an entry is left to `DOMParser` to check.
 *
 * The text is never copied again as more of it arrives: what has been scanned is kept in the parts it came in and
 * joined once, into a piece, and a long CDATA section or comment is searched for its end only in the new text. A
 * child of an entry that its reader never reads (a Blogger post's HTML body, megabytes at times) can be left out of
 * the piece, its start and end tags kept, so it is neither held nor parsed.
 */
import { ImportFileError } from './plan.js';

/** A start tag: its name, then attributes whose quoted values may hold `>`. */
const START_TAG = /<([^\s/>]+)(?:[^>"']|"[^"]*"|'[^']*')*>/y;
/** A start or end tag longer than this that does not end is no tag: the file is refused, not buffered whole. */
const LONGEST_TAG = 1024 * 1024;
/** The longest opening a token is told by (`<![CDATA[`): shorter text at the end of a slice waits for more. */
const LONGEST_OPENING = 9;

function malformed(detail: string): ImportFileError {
  return new ImportFileError('not-xml', `The file is not well-formed XML: ${detail}`);
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

/** The local name of the element a start tag opens. */
export function tagLocalName(tag: string): string {
  return localName(/^<([^\s/>]+)/.exec(tag)?.[1] ?? '');
}

/** An attribute's value as written in a start tag (entities not expanded); null when the tag has none. */
export function tagAttribute(tag: string, name: string): string | null {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return match === null ? null : (match[1] ?? match[2]!);
}

/**
 * Whether the child of an entry that has just opened is left out of the piece: given the start tags of the entry,
 * then of its children so far, the last one the child's.
 */
export type LeaveOut = (tags: readonly string[]) => boolean;

interface OpenTag {
  name: string;
  tag: string;
}

export class XmlChunker {
  /** Text scanned since the last piece was handed out, in the parts it was scanned in: joined once, into a piece. */
  #kept: string[] = [];
  #keptChars = 0;
  /** Text not yet scanned: from the token the last scan stopped at (one not all arrived), then what came since. */
  #buffer = '';
  /** Characters forgotten from the buffer's head so far: positions found before a cut are shifted by the change. */
  #dropped = 0;
  /** The closing (`]]>`, `-->`, `?>`) of the CDATA section, comment or instruction the scan is inside. */
  #inside: string | null = null;
  /** What comes before the root; `undefined` until the root opens, `null` once it has closed. */
  #prolog: string | null | undefined;
  /** The open ancestors of the entries: the root, and for RSS its channel. */
  readonly #ancestors: OpenTag[] = [];
  /** How many ancestors an entry has: 1, or 2 in RSS (`<rss><channel><item>`). */
  #entryDepth = 1;
  /** Elements open inside the current entry, the entry included. */
  #depth = 0;
  /** The start tags of the current entry and of its children so far, for `leaveOut` to decide by. */
  #entryTags: string[] = [];
  /** Where, in the buffer, the text being left out begins; null while none is. */
  #leftOutFrom: number | null = null;
  #pieces = 0;

  /**
   * @param pieceSize characters of entries gathered before a piece is handed out (1: every entry alone).
   * @param leaveOut which children of an entry have their content left out of the piece.
   */
  constructor(
    private readonly pieceSize: number,
    private readonly leaveOut?: LeaveOut,
  ) {}

  /** The pieces the text completes. Throws `ImportFileError` (`not-xml`) where the file is not XML. */
  push(text: string): string[] {
    this.#buffer += text;
    const pieces: string[] = [];
    this.#scan(pieces, false);
    return pieces;
  }

  /** The last pieces, once the whole file has been pushed. */
  end(): string[] {
    const pieces: string[] = [];
    this.#scan(pieces, true);
    if (this.#prolog === undefined) throw malformed('it has no root element.');
    if (this.#prolog !== null) {
      throw malformed(`it ends before </${this.#ancestors.at(-1)!.name}>: it may be cut short.`);
    }
    return pieces;
  }

  #scan(pieces: string[], atEnd: boolean): void {
    let at = 0;
    for (;;) {
      const buffer = this.#buffer;
      if (this.#inside !== null) {
        const close = buffer.indexOf(this.#inside, at);
        if (close === -1) {
          if (atEnd) throw malformed('it ends inside a tag, comment or CDATA section: it may be cut short.');
          // What could be the start of the closing stays to be searched again with the next text; the rest is done.
          at = Math.max(at, buffer.length - (this.#inside.length - 1));
          break;
        }
        at = close + this.#inside.length;
        this.#inside = null;
      }
      const open = buffer.indexOf('<', at);
      if (this.#ancestors.length === 0 && /\S/.test(buffer.slice(at, open === -1 ? undefined : open))) {
        throw malformed(this.#prolog === undefined ? 'text before the root element.' : 'text after the root element.');
      }
      if (open === -1 || (!atEnd && buffer.length - open < LONGEST_OPENING)) {
        at = open === -1 ? buffer.length : open;
        break;
      }
      const dropped = this.#dropped;
      const end = this.#token(buffer, open, pieces);
      if (end === -1) {
        if (atEnd) throw malformed('it ends inside a tag, comment or CDATA section: it may be cut short.');
        // A doctype may be long; a tag may not.
        if (buffer.length - open > LONGEST_TAG && !buffer.startsWith('<!', open)) throw malformed('a tag never ends.');
        at = open;
        break;
      }
      at = end - (this.#dropped - dropped);
    }
    // The scanned text is kept (or, while left out, forgotten) so that the next text is not appended to it.
    this.#advance(this.#leftOutFrom ?? at, at);
    if (this.#leftOutFrom !== null) this.#leftOutFrom = 0;
  }

  /**
   * Reads the token at `open`; returns where it ends (-1: not all of it has arrived). A CDATA section, comment or
   * instruction not all arrived is entered: the scan goes on inside it, `#inside` saying how it closes.
   */
  #token(buffer: string, open: number, pieces: string[]): number {
    const stepOver = (opening: string, closing: string): number => {
      const close = buffer.indexOf(closing, open + opening.length);
      if (close !== -1) return close + closing.length;
      this.#inside = closing;
      return open + opening.length;
    };
    if (buffer.startsWith('<!--', open)) return stepOver('<!--', '-->');
    if (buffer.startsWith('<![CDATA[', open)) return stepOver('<![CDATA[', ']]>');
    if (buffer.startsWith('<?', open)) return stepOver('<?', '?>');
    if (buffer.startsWith('<!', open)) return doctypeEnd(buffer, open);
    if (buffer.startsWith('</', open)) {
      const close = buffer.indexOf('>', open);
      if (close === -1) return -1;
      this.#endTag(buffer.slice(open + 2, close).trim(), open, close + 1, pieces);
      return close + 1;
    }
    START_TAG.lastIndex = open;
    const match = START_TAG.exec(buffer);
    if (match === null) return -1;
    const end = open + match[0].length;
    this.#startTag(match[1]!, match[0], open, end, pieces);
    return end;
  }

  #startTag(name: string, tag: string, open: number, end: number, pieces: string[]): void {
    const selfClosing = tag.endsWith('/>');
    if (this.#depth > 0 || this.#ancestors.length >= this.#entryDepth) {
      if (this.leaveOut !== undefined && this.#depth <= 1) this.#entryChild(tag, end);
      if (!selfClosing) this.#depth++;
      else if (this.#depth === 0) this.#entryEnded(end, pieces);
      return;
    }
    if (this.#prolog === null) throw malformed(`<${name}> after the root element.`);
    if (this.#prolog === undefined) {
      // The root: what comes before it heads every piece.
      this.#prolog = this.#text(open);
      if (localName(name) === 'rss') this.#entryDepth = 2;
      this.#handOut(pieces, 0, end);
    } else {
      this.#handOut(pieces, open, end);
    }
    this.#ancestors.push({ name, tag: selfClosing ? `${tag.slice(0, -2)}>` : tag });
    if (selfClosing) this.#closeAncestor(name, pieces);
  }

  /** An entry (`#depth` 0) or one of its children opened, ending at `end`: the child may be left out. */
  #entryChild(tag: string, end: number): void {
    if (this.#depth === 0) {
      this.#entryTags = [tag];
      return;
    }
    this.#entryTags.push(tag);
    if (!tag.endsWith('/>') && this.leaveOut!(this.#entryTags)) this.#leftOutFrom = end;
  }

  #endTag(name: string, open: number, end: number, pieces: string[]): void {
    if (this.#depth > 0) {
      this.#depth--;
      if (this.#depth === 1 && this.#leftOutFrom !== null) {
        // The child left out ends: its text is forgotten, its end tag kept.
        this.#advance(this.#leftOutFrom, open);
        this.#leftOutFrom = null;
      }
      if (this.#depth === 0) this.#entryEnded(end, pieces);
      return;
    }
    if (this.#ancestors.length === 0) throw malformed(`</${name}> closes nothing.`);
    this.#handOut(pieces, open, end);
    this.#closeAncestor(name, pieces);
  }

  /** An entry ended at `end`: the entries gathered since the last piece make one once they are large enough. */
  #entryEnded(end: number, pieces: string[]): void {
    this.#entryTags = [];
    if (this.#keptChars + end >= this.pieceSize) this.#handOut(pieces, end, end);
  }

  #closeAncestor(name: string, pieces: string[]): void {
    const ancestor = this.#ancestors.at(-1)!;
    if (ancestor.name !== name) throw malformed(`</${name}> where </${ancestor.name}> was expected.`);
    // A root with no entries at all (`<disqus/>`) still makes a piece: its name says its format.
    if (this.#ancestors.length === 1 && this.#pieces === 0) this.#emit(pieces, '');
    this.#ancestors.pop();
    if (this.#ancestors.length === 0) this.#prolog = null;
  }

  /** Hands out the text kept and the buffer's before `bodyEnd` as a piece, if it holds anything; forgets the buffer's head through `dropEnd`. */
  #handOut(pieces: string[], bodyEnd: number, dropEnd: number): void {
    const body = this.#text(bodyEnd);
    if (/\S/.test(body)) this.#emit(pieces, body);
    this.#advance(0, dropEnd);
  }

  /** The text kept and the buffer's before `end`, joined; what was kept is handed over. */
  #text(end: number): string {
    const text = this.#kept.join('') + this.#buffer.slice(0, end);
    this.#kept = [];
    this.#keptChars = 0;
    return text;
  }

  /** Keeps the buffer's text before `keepEnd` and forgets the buffer's head through `dropEnd`. */
  #advance(keepEnd: number, dropEnd: number): void {
    if (keepEnd > 0) {
      this.#kept.push(this.#buffer.slice(0, keepEnd));
      this.#keptChars += keepEnd;
    }
    this.#buffer = this.#buffer.slice(dropEnd);
    this.#dropped += dropEnd;
  }

  #emit(pieces: string[], body: string): void {
    const starts = this.#ancestors.map((ancestor) => ancestor.tag).join('');
    const ends = this.#ancestors
      .map((ancestor) => `</${ancestor.name}>`)
      .reverse()
      .join('');
    pieces.push(`${this.#prolog ?? ''}${starts}${body}${ends}`);
    this.#pieces++;
  }
}

/** Where a doctype ends, its internal subset (in brackets, where `>` may appear) stepped over. */
function doctypeEnd(buffer: string, open: number): number {
  const close = buffer.indexOf('>', open);
  const subset = buffer.indexOf('[', open);
  if (subset === -1 || (close !== -1 && close < subset)) return close === -1 ? -1 : close + 1;
  const subsetEnd = buffer.indexOf(']', subset);
  const end = subsetEnd === -1 ? -1 : buffer.indexOf('>', subsetEnd);
  return end === -1 ? -1 : end + 1;
}
