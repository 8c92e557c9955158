/**
 * Each tracked page's hash (the 128 bits that name its keys, storage/keys.ts `pageRef`) as the popularity counts keep
 * it, 16 bytes a slot: count keys are named by page hash and their metadata has no page id, so the ranking runs and
 * the admin Posts tab map a count key to its page with these instead of hashing every page id (5,000 SHA-256
 * digests a fresh isolate: worker/README.md "CPU time"). All zero: not known yet (hash the page id).
 */
import { slotsOf } from './popularity.js';

export const PAGE_HASH_BYTES = 16;

/** Whether `column` holds the hash of `slot` (not all zero). */
export function hasPageHash(column: Uint8Array, slot: number): boolean {
  const at = slot * PAGE_HASH_BYTES;
  if (at + PAGE_HASH_BYTES > column.length) return false;
  for (let i = at; i < at + PAGE_HASH_BYTES; i++) if (column[i] !== 0) return true;
  return false;
}

/** Writes `hex` (32 hex digits, as `pageRef` gives it) as the hash of `slot`. */
export function setPageHash(column: Uint8Array, slot: number, hex: string): void {
  for (let i = 0; i < PAGE_HASH_BYTES; i++)
    column[slot * PAGE_HASH_BYTES + i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
}

/** The first 4 bytes of the hash of `slot` as a number: what `hex.slice(0, 8)` reads as. */
function firstWord(column: Uint8Array, slot: number): number {
  const at = slot * PAGE_HASH_BYTES;
  return ((column[at]! << 24) | (column[at + 1]! << 16) | (column[at + 2]! << 8) | column[at + 3]!) >>> 0;
}

function sameHash(column: Uint8Array, slot: number, hex: string): boolean {
  const at = slot * PAGE_HASH_BYTES;
  for (let i = 0; i < PAGE_HASH_BYTES; i++)
    if (column[at + i] !== parseInt(hex.slice(i * 2, i * 2 + 2), 16)) return false;
  return true;
}

/** A slot whose hash `column` does not hold: its page id must be hashed to know its page hash. */
export const UNKNOWN_HASH = -2;
/** A slot whose page hash is none of those looked for. */
export const NO_MATCH = -1;

/**
 * The page hashes looked for (hex, as count keys name pages), found by the slots whose hash `column` holds: each
 * lookup compares numbers (the first 4 bytes, then the rest), with no string made per slot and no digest taken.
 */
export class PageHashLookup {
  /** The hashes looked for by their first 4 bytes, each chained to the next with the same (1 in 4 billion). */
  readonly #firstByWord = new Map<number, number>();
  readonly #next: Int32Array;

  constructor(
    private readonly column: Uint8Array,
    private readonly hashes: readonly string[],
  ) {
    this.#next = new Int32Array(hashes.length).fill(-1);
    hashes.forEach((hex, index) => {
      if (!/^[0-9a-f]{32}$/.test(hex)) return;
      const word = parseInt(hex.slice(0, 8), 16);
      const first = this.#firstByWord.get(word);
      if (first !== undefined) this.#next[index] = first;
      this.#firstByWord.set(word, index);
    });
  }

  /** The index in `hashes` of the hash of `slot`, `NO_MATCH` when none is, `UNKNOWN_HASH` when the column has none. */
  match(slot: number): number {
    if (slot < 0 || !hasPageHash(this.column, slot)) return UNKNOWN_HASH;
    const word = firstWord(this.column, slot);
    for (let index = this.#firstByWord.get(word) ?? -1; index !== -1; index = this.#next[index]!) {
      if (sameHash(this.column, slot, this.hashes[index]!)) return index;
    }
    return NO_MATCH;
  }
}

/** `PageHashLookup.match` of each of the first `slots` slots, in one pass. */
export function matchPageHashes(column: Uint8Array, slots: number, hashes: readonly string[]): Int32Array {
  const lookup = new PageHashLookup(column, hashes);
  const matched = new Int32Array(slots);
  for (let slot = 0; slot < slots; slot++) matched[slot] = lookup.match(slot);
  return matched;
}

/**
 * The hashes of `column` (slots of `from`, or none) for the slots of `to`: a page given a slot since, or one without
 * a hash, has none (zero).
 */
export function movePageHashes(from: readonly string[], column: Uint8Array | null, to: readonly string[]): Uint8Array {
  const moved = new Uint8Array(to.length * PAGE_HASH_BYTES);
  if (column === null) return moved;
  const slotOf = slotsOf(from);
  to.forEach((pageId, slot) => {
    const old = slotOf.get(pageId);
    if (old !== undefined)
      moved.set(column.subarray(old * PAGE_HASH_BYTES, (old + 1) * PAGE_HASH_BYTES), slot * PAGE_HASH_BYTES);
  });
  return moved;
}
