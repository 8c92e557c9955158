/**
 * Comment ids: ULIDs (48-bit millisecond time, 80 random bits, Crockford base32), so the ids under one page's
 * key prefix list in the order the comments were written. Also used for dirty-marker ids.
 */

import { onIsolateReset } from './isolate-state.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Every id is as long: 10 characters of time, 16 of randomness. */
export const COMMENT_ID_LENGTH = 26;
const ID_PATTERN = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const RANDOM_BITS = 80n;

function encode(value: bigint, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

function randomBits(): bigint {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return bytes.reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);
}

let lastTime = 0;
let lastRandom = 0n;
onIsolateReset(() => {
  lastTime = 0;
  lastRandom = 0n;
});

/**
 * A new id, later than every id this isolate made before. Workers freeze the clock between I/O, so many
 * comments can share a millisecond; within one, the random part counts up instead of starting afresh.
 */
export function newCommentId(now: number = Date.now()): string {
  if (now > lastTime) {
    lastTime = now;
    lastRandom = randomBits();
  } else {
    lastRandom = (lastRandom + 1n) & ((1n << RANDOM_BITS) - 1n);
  }
  return encode(BigInt(lastTime), 10) + encode(lastRandom, 16);
}

export function isCommentId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/** The millisecond an id was made in. */
export function commentIdTime(id: string): number {
  let time = 0;
  for (const char of id.slice(0, 10)) time = time * 32 + ALPHABET.indexOf(char);
  return time;
}

/** Characters of an id after its time: random for a new comment, a hash of the source for an imported one. */
const TIME_CHARACTERS = 10;

/**
 * The id of a comment imported from elsewhere: its creation time, so it sorts among the page's comments as if
 * written then, and 80 bits of SHA-256 of its source and source id, so importing it again gives the same id.
 */
export async function importedCommentId(createdAtMs: number, source: string, sourceId: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${source}\n${sourceId}`));
  const hashBits = new Uint8Array(digest, 0, 10).reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);
  return encode(BigInt(createdAtMs), TIME_CHARACTERS) + encode(hashBits, 16);
}

/**
 * What names an imported comment whatever time its source gives it: a later export that moves a comment's date
 * (a time zone fixed) must still find it already imported.
 */
export function importIdentity(id: string): string {
  return id.slice(TIME_CHARACTERS);
}
