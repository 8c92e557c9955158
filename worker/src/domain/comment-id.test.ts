import { describe, expect, it } from 'vitest';
import { commentIdTime, isCommentId, newCommentId } from './comment-id.js';

describe('newCommentId', () => {
  // Past times, so the isolate's later ids (made at the real time) are not pushed into the future.
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
