import { describe, expect, it } from 'vitest';
import {
  hasPageHash,
  matchPageHashes,
  PageHashLookup,
  movePageHashes,
  NO_MATCH,
  PAGE_HASH_BYTES,
  setPageHash,
  UNKNOWN_HASH,
} from './page-hashes.js';

/** A column of the given hashes (null: not known). */
function column(hashes: readonly (string | null)[]): Uint8Array {
  const bytes = new Uint8Array(hashes.length * PAGE_HASH_BYTES);
  hashes.forEach((hex, slot) => hex !== null && setPageHash(bytes, slot, hex));
  return bytes;
}

const A = '0123456789abcdef0123456789abcdef';
const B = 'fedcba9876543210fedcba9876543210';
// Same first 4 bytes as A: the lookup must compare the rest.
const A_TWIN = '01234567ffffffffffffffffffffffff';

describe('page hashes kept with the counts', () => {
  it('matches each slot to the count key naming its page, without a slot for a hash it does not hold', () => {
    const stored = column([A, null, B, A_TWIN]);
    expect(Array.from(matchPageHashes(stored, 5, [B, A_TWIN, 'not a hash', A]))).toEqual([
      3,
      UNKNOWN_HASH,
      0,
      1,
      UNKNOWN_HASH, // past the column: a page given a slot since
    ]);
    expect(Array.from(matchPageHashes(stored, 4, [B]))).toEqual([NO_MATCH, UNKNOWN_HASH, 0, NO_MATCH]);
  });

  it('tells most slots by their first two bytes, and matches the rest whole: a shared prefix, zero bytes first', () => {
    // Same first 2 bytes as A, not 3; first bytes zero, sought and not; and 5,000 slots of spread hashes.
    const A_COUSIN = '0123ff6789abcdef0123456789abcdef';
    const ZERO_FIRST = '0000000000000000000000000000000a';
    const ZERO_TWO = '0000ab0000000000000000000000000b';
    const hex = (slot: number) =>
      (Math.imul(slot + 1, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0') + slot.toString(16).padStart(24, '0');
    const spread = Array.from({ length: 5000 }, (_, slot) => hex(slot));
    const stored = column([A_COUSIN, ZERO_FIRST, ZERO_TWO, A, ...spread]);
    const sought = [A, ZERO_TWO, ...spread.filter((_, slot) => slot % 10 === 3)];
    const matched = matchPageHashes(stored, 5004, sought);
    expect(Array.from(matched.subarray(0, 4))).toEqual([NO_MATCH, NO_MATCH, 1, 0]);
    // Every slot as `match` finds it alone, one by one.
    const lookup = new PageHashLookup(stored, sought);
    expect(Array.from(matched)).toEqual(Array.from({ length: 5004 }, (_, slot) => lookup.match(slot)));
    expect(matched.filter((index) => index >= 0)).toHaveLength(sought.length);
  });

  it('moves the hashes with the slots, a page new to the slots without one', () => {
    const moved = movePageHashes(['a', 'b', 'c'], column([A, B, null]), ['c', 'new', 'a']);
    expect([0, 1, 2].map((slot) => hasPageHash(moved, slot))).toEqual([false, false, true]);
    expect(Array.from(matchPageHashes(moved, 3, [A]))).toEqual([UNKNOWN_HASH, UNKNOWN_HASH, 0]);
    expect(movePageHashes(['a'], null, ['a', 'b'])).toEqual(new Uint8Array(2 * PAGE_HASH_BYTES));
  });
});
