import { describe, expect, it } from 'vitest';
import { toHex } from '../domain/bytes.js';
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
