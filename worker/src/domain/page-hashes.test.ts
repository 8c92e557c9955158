import { describe, expect, it } from 'vitest';
import {
  hasPageHash,
  matchPageHashes,
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

  it('moves the hashes with the slots, a page new to the slots without one', () => {
    const moved = movePageHashes(['a', 'b', 'c'], column([A, B, null]), ['c', 'new', 'a']);
    expect([0, 1, 2].map((slot) => hasPageHash(moved, slot))).toEqual([false, false, true]);
    expect(Array.from(matchPageHashes(moved, 3, [A]))).toEqual([UNKNOWN_HASH, UNKNOWN_HASH, 0]);
    expect(movePageHashes(['a'], null, ['a', 'b'])).toEqual(new Uint8Array(2 * PAGE_HASH_BYTES));
  });
});
