import { describe, expect, it } from 'vitest';
import { commentKey, commentPrefix, countKey, dirtyKey, pageRef, parseDirtyKey, threadKey } from './keys.js';

describe('keys', () => {
  it('hashes any page id into a short, fixed-size key part', async () => {
    const page = await pageRef('demo', `https://example.com/${'very-long-slug/'.repeat(200)}`);
    expect(page.pageHash).toMatch(/^[0-9a-f]{32}$/);
    expect(commentKey(page, '01JD0000000000000000000000').length).toBeLessThan(100);
    expect(await pageRef('demo', 'post-1')).toEqual(await pageRef('demo', 'post-1'));
    expect((await pageRef('demo', 'post-1')).pageHash).not.toBe((await pageRef('demo', 'post-2')).pageHash);
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
