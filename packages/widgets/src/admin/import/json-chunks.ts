/**
 * A Sala export (JSON) cut, as its text arrives, into its first site's threads, each parsed apart, and the rest of
 * the document (version, settings, bans…) kept as text to parse at the end: a 100 MB export is never one string nor
 * one `JSON.parse`. Strings are stepped over, so brackets in a comment's body cut nothing. Every thread cut out is
 * replaced by `0` in the rest, so the rest is valid JSON exactly when the whole file, its threads put back, would be
 * (each thread's own text is checked by its `JSON.parse`): whatever the layout (the admin page's indented one, one
 * line, any key order), a file is refused or read as `JSON.parse` of the whole would.
 */
import { ImportFileError } from './plan.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
/** Keys on the way to the threads (`sites`, `threads`) are short; a longer string is no such key and is not copied. */
const LONGEST_KEY = 64;

function notJson(detail: string): ImportFileError {
  return new ImportFileError('not-json', `The file is not valid JSON: ${detail}`);
}

/** `JSON.parse`, throwing `ImportFileError` (`not-json`). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw notJson((error as Error).message);
  }
}

/**
 * An object or array open around the scan. `onPath`: it leads to the first site's threads (the root, `sites`, its
 * first site, that site's `threads`); `key`: an object's member being read; `items`: an array's commas so far.
 */
interface Frame {
  array: boolean;
  onPath: boolean;
  key: string | null;
  items: number;
}

export class SalaExportSplitter {
  /** Text read and not yet handed out; `#from` is where what is not handed out starts, `#at` how far it is read. */
  #text = '';
  #from = 0;
  #at = 0;
  /** The document outside the threads cut out so far. */
  readonly #rest: string[] = [];
  readonly #frames: Frame[] = [];
  #inString = false;
  #escaped = false;
  /** Where the string being read started (on the path only, for keys), and the last such string read. */
  #stringStart = -1;
  #lastString: string | null = null;
  /** Brackets open inside the thread being cut out; 0: none is. */
  #threadDepth = 0;

  /** The threads (parsed, not checked) the text completes. Throws `ImportFileError` (`not-json`). */
  push(text: string): unknown[] {
    this.#text = this.#text.slice(this.#from) + text;
    this.#at -= this.#from;
    if (this.#stringStart !== -1) this.#stringStart -= this.#from;
    this.#from = 0;
    const threads: unknown[] = [];
    this.#scan(threads);
    return threads;
  }

  /** The document without its first site's threads (each is a `0` in its `threads`), once the whole file is pushed. */
  end(): unknown {
    if (this.#threadDepth > 0) throw notJson('it ends inside a thread: it may be cut short.');
    this.#rest.push(this.#text.slice(this.#from));
    return parseJson(this.#rest.join(''));
  }

  #scan(threads: unknown[]): void {
    const text = this.#text;
    for (let at = this.#at; at < text.length; at++) {
      if (this.#inString) {
        at = this.#stringEnd(text, at);
        if (at === text.length) break;
        this.#stringEnded(at);
        continue;
      }
      const code = text.charCodeAt(at);
      if (code === QUOTE) {
        this.#inString = true;
        const top = this.#frames.at(-1);
        this.#stringStart = this.#threadDepth === 0 && top?.onPath === true && !top.array ? at : -1;
      } else if (this.#threadDepth > 0) {
        if (code === OPEN_BRACE || code === OPEN_BRACKET) this.#threadDepth++;
        else if ((code === CLOSE_BRACE || code === CLOSE_BRACKET) && --this.#threadDepth === 0) {
          threads.push(parseJson(text.slice(this.#from, at + 1)));
          this.#from = at + 1;
        }
      } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
        this.#opened(code === OPEN_BRACKET, at);
      } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
        const frame = this.#frames.pop();
        if (frame === undefined || frame.array !== (code === CLOSE_BRACKET)) {
          throw notJson(`unexpected "${String.fromCharCode(code)}".`);
        }
      } else if (code === COLON) {
        const top = this.#frames.at(-1);
        if (top !== undefined && !top.array) top.key = this.#lastString;
      } else if (code === COMMA) {
        const top = this.#frames.at(-1);
        if (top?.array === true) top.items++;
        else if (top !== undefined) top.key = null;
      }
    }
    this.#at = text.length;
  }

  /**
   * Where the string being read ends (its closing quote), from `at` on; `text.length` when not in `text` yet. Found
   * with `indexOf`, not a character at a time: strings (comments' bodies) are most of an export.
   */
  #stringEnd(text: string, at: number): number {
    if (this.#escaped) {
      this.#escaped = false;
      at++;
    }
    for (;;) {
      const quote = text.indexOf('"', at);
      const end = quote === -1 ? text.length : quote;
      let backslashes = 0;
      while (end - backslashes > at && text.charCodeAt(end - backslashes - 1) === BACKSLASH) backslashes++;
      if (quote === -1) {
        // A backslash last escapes what the next slice starts with.
        this.#escaped = backslashes % 2 === 1;
        return text.length;
      }
      if (backslashes % 2 === 0) return quote;
      at = quote + 1;
    }
  }

  #stringEnded(at: number): void {
    this.#inString = false;
    if (this.#stringStart === -1) return;
    const length = at + 1 - this.#stringStart;
    // A key as JSON reads it (`"thr\u0065ads"` is `threads`); an invalid one is left to the final parse to refuse.
    this.#lastString = length > LONGEST_KEY ? null : keyOf(this.#text.slice(this.#stringStart, at + 1));
    this.#stringStart = -1;
  }

  #opened(array: boolean, at: number): void {
    const parent = this.#frames.at(-1);
    const depth = this.#frames.length;
    if (parent?.onPath === true && depth === 4 && !array) {
      // A thread of the first site: cut out, a `0` left in its place.
      this.#rest.push(this.#text.slice(this.#from, at), '0');
      this.#from = at;
      this.#threadDepth = 1;
      return;
    }
    this.#frames.push({ array, onPath: leadsToThreads(parent, depth, array), key: null, items: 0 });
  }
}

/** Whether a container opened at `depth` in `parent` is the root, its `sites`, the first site or its `threads`. */
function leadsToThreads(parent: Frame | undefined, depth: number, array: boolean): boolean {
  if (parent === undefined) return !array;
  if (!parent.onPath) return false;
  if (depth === 1) return array && parent.key === 'sites';
  if (depth === 2) return !array && parent.items === 0;
  return depth === 3 && array && parent.key === 'threads';
}

function keyOf(token: string): string | null {
  try {
    return JSON.parse(token) as string;
  } catch {
    return null;
  }
}
