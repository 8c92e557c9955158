import { describe, expect, it } from 'vitest';
import { dailyLimitResetAt, isDailyLimitError } from './daily-limit.js';

describe('isDailyLimitError', () => {
  it.each([
    'KV put() limit exceeded for the day.',
    'KV list() limit exceeded for the day.',
    'KV get() limit exceeded for the day.',
    'KV delete() limit exceeded for the day.',
    'your account has reached the free usage limit for this operation for today [code: 10048]',
  ])('recognises %j', (message) => {
    expect(isDailyLimitError(new Error(message))).toBe(true);
  });

  it.each(['KV PUT failed: 429 Too Many Requests', 'Network connection lost.', 'limit exceeded'])(
    'leaves %j to the other error paths',
    (message) => {
      expect(isDailyLimitError(new Error(message))).toBe(false);
    },
  );

  it('ignores what is not an Error', () => {
    expect(isDailyLimitError('KV put() limit exceeded for the day.')).toBe(false);
  });
});

describe('dailyLimitResetAt', () => {
  it('is the next 00:00 UTC, also from exactly midnight', () => {
    expect(dailyLimitResetAt(Date.UTC(2030, 0, 15, 23, 59, 59)).toISOString()).toBe('2030-01-16T00:00:00.000Z');
    expect(dailyLimitResetAt(Date.UTC(2030, 0, 15)).toISOString()).toBe('2030-01-16T00:00:00.000Z');
    expect(dailyLimitResetAt(Date.UTC(2030, 11, 31, 12)).toISOString()).toBe('2031-01-01T00:00:00.000Z');
  });
});
