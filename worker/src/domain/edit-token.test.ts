import { describe, expect, it } from 'vitest';
import { bearerToken, editTokenMatches, hashEditToken, newEditToken } from './edit-token.js';

describe('edit tokens', () => {
  it('match only the token whose hash was stored', async () => {
    const token = newEditToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await hashEditToken(token);
    expect(stored).not.toContain(token);
    expect(await editTokenMatches(token, stored)).toBe(true);
    expect(await editTokenMatches(newEditToken(), stored)).toBe(false);
    expect(await editTokenMatches(stored, stored)).toBe(false);
    expect(await editTokenMatches(token, '')).toBe(false);
  });

  it('are read from a Bearer header only', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer ')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
