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

/**
 * The first 3 bytes of the hash of `slot` as a number: what `parseInt(hex.slice(0, 6), 16)` reads. Three, not four:
 * a small integer on every V8 (a Map keyed by larger numbers hashes heap numbers), and 500 hashes looked for rarely
 * share one (they are told apart by the rest).
 */
function firstBytes(column: Uint8Array, at: number): number {
  return (column[at]! << 16) | (column[at + 1]! << 8) | column[at + 2]!;
}

/** The character codes of the hex digits 0 to f. */
const HEX_DIGITS = Uint8Array.from('0123456789abcdef', (digit) => digit.charCodeAt(0));

/** Whether the 16 bytes at `at` are `hex` (32 lowercase hex digits), digit by digit: no string made. */
function sameHash(column: Uint8Array, at: number, hex: string): boolean {
  for (let i = 0; i < PAGE_HASH_BYTES; i++) {
    const byte = column[at + i]!;
    if (hex.charCodeAt(2 * i) !== HEX_DIGITS[byte >> 4] || hex.charCodeAt(2 * i + 1) !== HEX_DIGITS[byte & 15])
      return false;
  }
  return true;
}

/** A slot whose hash `column` does not hold: its page id must be hashed to know its page hash. */
export const UNKNOWN_HASH = -2;
/** A slot whose page hash is none of those looked for. */
export const NO_MATCH = -1;

/**
 * The page hashes looked for (hex, as count keys name pages), found by the slots whose hash `column` holds: each
 * lookup reads a slot's first bytes as a number and compares the rest only on a hit, with no string made per slot and
 * no digest taken.
 */
export class PageHashLookup {
  /** The hashes looked for by their first 3 bytes, each chained to the next with the same. */
  readonly #firstByBytes = new Map<number, number>();
  readonly #next: Int32Array;
  /** A bit for each first 2 bytes a hash looked for has (65,536 bits): what `matchAll` tells most slots by. */
  readonly #firstTwo = new Uint32Array(1 << 11);

  constructor(
    private readonly column: Uint8Array,
    private readonly hashes: readonly string[],
  ) {
    this.#next = new Int32Array(hashes.length).fill(-1);
    for (let index = 0; index < hashes.length; index++) {
      // Not checked to be hex: one that is not (NaN here, or another length) is simply never found.
      const bytes = parseInt(hashes[index]!.slice(0, 6), 16);
      const first = this.#firstByBytes.get(bytes);
      if (first !== undefined) this.#next[index] = first;
      this.#firstByBytes.set(bytes, index);
      if (Number.isInteger(bytes)) this.#firstTwo[bytes >>> 13]! |= 1 << ((bytes >>> 8) & 31);
    }
  }

  /** The index in `hashes` of the hash of `slot`, `NO_MATCH` when none is, `UNKNOWN_HASH` when the column has none. */
  match(slot: number): number {
    const at = slot * PAGE_HASH_BYTES;
    if (slot < 0 || at + PAGE_HASH_BYTES > this.column.length) return UNKNOWN_HASH;
    const bytes = firstBytes(this.column, at);
    // All zero is no hash: looked at whole only when its first bytes are zero.
    if (bytes === 0 && !hasPageHash(this.column, slot)) return UNKNOWN_HASH;
    for (let index = this.#firstByBytes.get(bytes) ?? -1; index !== -1; index = this.#next[index]!) {
      if (sameHash(this.column, at, this.hashes[index]!)) return index;
    }
    return NO_MATCH;
  }

  /**
   * `match` of each of the first `slots` slots. Most are told in a first loop by their first 2 bytes alone (no hash
   * looked for has them, and they are not zero: `NO_MATCH`), with nothing but typed arrays in it; the few left (about
   * 40 of 5,000 for 500 hashes) are then matched one by one. A fresh isolate runs this loop over every slot on its
   * first ranking run: with the lookups and `match` in it, V8 compiled it again with its optimizing compiler as it
   * ran, 7 to 15 ms on its helper threads (worker/docs/cpu-cron.md, 2026-12-07).
   */
  matchAll(slots: number): Int32Array {
    const matched = new Int32Array(slots);
    const { column } = this;
    const firstTwo = this.#firstTwo;
    const hashed = Math.min(slots, Math.floor(column.length / PAGE_HASH_BYTES));
    const left: number[] = [];
    for (let slot = 0; slot < hashed; slot++) {
      const two = (column[slot * PAGE_HASH_BYTES]! << 8) | column[slot * PAGE_HASH_BYTES + 1]!;
      if (two !== 0 && (firstTwo[two >>> 5]! & (1 << (two & 31))) === 0) matched[slot] = NO_MATCH;
      else left.push(slot);
    }
    for (let index = 0; index < left.length; index++) matched[left[index]!] = this.match(left[index]!);
    for (let slot = hashed; slot < slots; slot++) matched[slot] = UNKNOWN_HASH;
    return matched;
  }

  /**
   * The slots among the first `slots` whose hash is looked for, and the index in `hashes` of each one's, as
   * `matchAll` finds them but with nothing made per slot that matches none; null when a slot's hash is not known
   * (`UNKNOWN_HASH`). The admin Posts tab gives its 5,000 rows their count keys with it.
   */
  matches(slots: number): { slots: number[]; hashes: number[] } | null {
    const { column } = this;
    if (slots * PAGE_HASH_BYTES > column.length) return null;
    const firstTwo = this.#firstTwo;
    const found = { slots: [] as number[], hashes: [] as number[] };
    for (let slot = 0; slot < slots; slot++) {
      const two = (column[slot * PAGE_HASH_BYTES]! << 8) | column[slot * PAGE_HASH_BYTES + 1]!;
      if (two !== 0 && (firstTwo[two >>> 5]! & (1 << (two & 31))) === 0) continue;
      const index = this.match(slot);
      if (index === UNKNOWN_HASH) return null;
      if (index === NO_MATCH) continue;
      found.slots.push(slot);
      found.hashes.push(index);
    }
    return found;
  }
}

/** `PageHashLookup.match` of each of the first `slots` slots, in one pass. */
export function matchPageHashes(column: Uint8Array, slots: number, hashes: readonly string[]): Int32Array {
  return new PageHashLookup(column, hashes).matchAll(slots);
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
