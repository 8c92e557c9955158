/** Byte encodings the Worker's secrets and hashes use, and views of JSON laid out one item per line. */

/** Each byte's two hex digits: a page hash is 32 of them, and an index page's counts take 100 hashes. */
const HEX_PAIRS = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  let hex = '';
  for (const byte of new Uint8Array(bytes)) hex += HEX_PAIRS[byte];
  return hex;
}

export function toBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

const encoder = new TextEncoder();

export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/** Whether `bytes` hold `pattern` at `at`. */
export function holdsAt(bytes: Uint8Array, at: number, pattern: Uint8Array): boolean {
  if (at < 0 || at + pattern.length > bytes.length) return false;
  for (let i = 0; i < pattern.length; i++) if (bytes[at + i] !== pattern[i]) return false;
  return true;
}

/** The first index at or after `from` where `bytes` holds `pattern`; -1 when it does not. */
export function indexOfBytes(bytes: Uint8Array, pattern: Uint8Array, from = 0): number {
  for (let at = bytes.indexOf(pattern[0]!, from); at !== -1; at = bytes.indexOf(pattern[0]!, at + 1)) {
    if (holdsAt(bytes, at, pattern)) return at;
  }
  return -1;
}

const LINE_BREAK = 0x0a;

/**
 * Views of the items of `bytes[from, to)`, written one per line, `,\n` between each two: JSON writes no raw line
 * break inside a value, so every line break there is a separator. An empty range holds no item.
 */
export function itemsOf(bytes: Uint8Array, from = 0, to = bytes.length): Uint8Array[] {
  const items: Uint8Array[] = [];
  if (from >= to) return items;
  let start = from;
  for (let line = bytes.indexOf(LINE_BREAK, start); line !== -1 && line < to; line = bytes.indexOf(LINE_BREAK, start)) {
    items.push(bytes.subarray(start, line - 1));
    start = line + 1;
  }
  items.push(bytes.subarray(start, to));
  return items;
}
