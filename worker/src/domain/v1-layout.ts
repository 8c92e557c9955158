/**
 * Where the parts of a version 1 popularity document lie in its text, found in one pass without parsing it: the
 * cron converts such a document a part at a time, parsing only the part of the run (worker/README.md "Version 1":
 * parsing 1.3 MB at once was over the free plan's 10 ms of CPU).
 */

/** A top-level value: `[start, end)` in the text, and for an object, each entry's `[start, end)`, flat. */
export interface V1Section {
  start: number;
  end: number;
  entries: number[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** The index of the quote that ends the JSON string opening at `start`; -1 when it does not end. */
function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  while (end !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return -1;
}

/**
 * The top-level values of the JSON object `text` by key, each object's entries with them; null when `text` is not an
 * object. Strings are skipped whole (a page id may hold braces, commas or quotes), so only structure is looked at.
 */
export function v1Layout(text: string): Map<string, V1Section> | null {
  const sections = new Map<string, V1Section>();
  let depth = 0;
  let key = '';
  let section: V1Section | null = null;
  let entryStart = -1;
  const endEntry = (at: number) => {
    if (section !== null && entryStart !== -1 && at > entryStart) section.entries.push(entryStart, at);
    entryStart = at + 1;
  };
  let objects = 0;
  for (let at = 0; at < text.length; at++) {
    const char = text.charCodeAt(at);
    if (depth === 0 && char > 0x20 && (char !== OPEN_OBJECT || ++objects > 1)) return null;
    if (char === QUOTE) {
      const end = stringEnd(text, at);
      if (end === -1) return null;
      if (depth === 1 && section === null) key = JSON.parse(text.slice(at, end + 1)) as string;
      at = end;
    } else if (char === COLON && depth === 1 && section === null) {
      section = { start: at + 1, end: -1, entries: [] };
      sections.set(key, section);
    } else if (char === OPEN_OBJECT || char === OPEN_ARRAY) {
      depth += 1;
      if (depth === 2 && char === OPEN_OBJECT) entryStart = at + 1;
    } else if (char === CLOSE_OBJECT || char === CLOSE_ARRAY) {
      if (depth === 2 && char === CLOSE_OBJECT) endEntry(at);
      if (depth === 2) entryStart = -1;
      depth -= 1;
      if (depth === 0 && section !== null) [section.end, section] = [at, null];
      if (depth < 0) return null;
    } else if (char === COMMA && depth === 2) {
      endEntry(at);
    } else if (char === COMMA && depth === 1 && section !== null) {
      [section.end, section] = [at, null];
    }
  }
  return depth === 0 && objects === 1 ? sections : null;
}

/** The object made of entries `from` to `to` (exclusive) of `section`, parsed: its values as the caller knows them. */
export function parseEntries<T>(text: string, section: V1Section, from: number, to: number): Record<string, T> {
  if (from >= to) return {};
  return JSON.parse(`{${text.slice(section.entries[from * 2], section.entries[to * 2 - 1])}}`) as Record<string, T>;
}

/**
 * The entries of `section` from `from` on whose text fits in `room` characters, one at least when `oneAtLeast` (an
 * entry larger than a run's share is converted alone): the end of them and their characters.
 */
export function entriesWithin(
  section: V1Section,
  from: number,
  room: number,
  oneAtLeast: boolean,
): { to: number; chars: number } {
  let to = from;
  let chars = 0;
  for (; to < section.entries.length / 2; to++) {
    const size = section.entries[to * 2 + 1]! - section.entries[to * 2]!;
    if (chars + size > room && !(oneAtLeast && to === from)) break;
    chars += size;
  }
  return { to, chars };
}
