import { beforeEach, describe, expect, it } from 'vitest';
import { toHex } from '../domain/bytes.js';
import { commentIdTime, isCommentId, newCommentId } from '../domain/comment-id.js';
import { resetIsolateState } from '../domain/isolate-state.js';
import {
  hasPageHash,
  matchPageHashes,
  movePageHashes,
  NO_MATCH,
  PAGE_HASH_BYTES,
  PageHashLookup,
  setPageHash,
  UNKNOWN_HASH,
} from '../domain/page-hashes.js';
import { commentKey, commentPrefix, countKey, dirtyKey, pageRef, parseDirtyKey, threadKey } from './keys.js';

describe('keys', () => {
  it('hashes any page id into a short, fixed-size key part', async () => {
    const page = await pageRef('demo', `https://example.com/${'very-long-slug/'.repeat(200)}`);
    expect(page.pageHash).toMatch(/^[0-9a-f]{32}$/);
    expect(commentKey(page, '01JD0000000000000000000000').length).toBeLessThan(100);
    expect(await pageRef('demo', 'post-1')).toEqual(await pageRef('demo', 'post-1'));
    expect((await pageRef('demo', 'post-1')).pageHash).not.toBe((await pageRef('demo', 'post-2')).pageHash);
    // The first 32 hex digits of the id's SHA-256, every byte written as two: stored threads are found by it.
    expect((await pageRef('demo', 'abc')).pageHash).toBe('ba7816bf8f01cfea414140de5dae2223');
    const bytes = Uint8Array.from({ length: 256 }, (_, byte) => byte);
    expect(toHex(bytes)).toBe([...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join(''));
    expect(toHex(bytes.buffer)).toBe(toHex(bytes));
  });

  it('puts every key under v1 and a page’s comments under one listable prefix', async () => {
    const page = await pageRef('demo', 'post-1');
    const keys = [commentKey(page, 'ID'), threadKey(page), countKey(page), dirtyKey(page, 'M')];
    expect(keys.every((key) => key.startsWith('v1:'))).toBe(true);
    expect(commentKey(page, 'ID').startsWith(commentPrefix(page))).toBe(true);
  });

  it('reads back the page from a dirty key', async () => {
    const page = await pageRef('demo', 'post-1');
    expect(parseDirtyKey(dirtyKey(page, 'M1'))).toEqual({ ...page, markerId: 'M1' });
    expect(parseDirtyKey(threadKey(page))).toBeNull();
    expect(parseDirtyKey('v1:dirty:demo:only-two')).toBeNull();
  });
});

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

describe('newCommentId', () => {
  // Past times, so the isolate's later ids (made at the real time) are not pushed into the future; each test starts as
  // a new isolate, with no later id made before it (by another test or file).
  beforeEach(() => resetIsolateState());

  it('sorts in creation order, even within one millisecond', () => {
    const ids = Array.from({ length: 200 }, () => newCommentId(1_000_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('carries its time and passes its own format check', () => {
    const id = newCommentId(1_000_000_000_123);
    expect(isCommentId(id)).toBe(true);
    expect(commentIdTime(id)).toBe(1_000_000_000_123);
  });

  it('refuses anything that could not be an id', () => {
    for (const bad of ['', 'abc', 'x'.repeat(26), `${newCommentId()}:x`, '../../etc/passwd'])
      expect(isCommentId(bad)).toBe(false);
  });
});
