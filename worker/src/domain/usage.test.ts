import { describe, expect, it } from 'vitest';
import { dailyLimitResetAt, isDailyLimitError } from './daily-limit.js';
import { addReports, isUsageReport, UsageTally } from './usage.js';
import { dayOfHour, hourStart, lastDays, lastHours, utcDay } from './utc-time.js';

const NOON = Date.UTC(2030, 0, 15, 12);
const NEXT_DAY = Date.UTC(2030, 0, 16, 0, 5);

describe('UsageTally', () => {
  it('hands out what it counted once, and takes back a report whose write failed', () => {
    const tally = new UsageTally();
    tally.count('requests', 1, NOON);
    tally.count('reads', 100, NOON);
    tally.count('writes', 2, NOON);
    const report = tally.take(NOON)!;
    expect(report).toEqual({ day: '2030-01-15', q: 1, r: 100, w: 2, d: 0, l: 0 });
    expect(tally.take(NOON)).toBeNull();

    tally.count('lists', 1, NOON);
    tally.giveBack(report, NOON);
    expect(tally.take(NOON)).toEqual({ day: '2030-01-15', q: 1, r: 100, w: 2, d: 0, l: 1 });
  });

  it('starts afresh at 00:00 UTC: yesterday’s counts are not today’s use', () => {
    const tally = new UsageTally();
    tally.count('writes', 900, NOON);
    const yesterday = tally.take(NOON)!;
    tally.count('writes', 5, NEXT_DAY);
    tally.giveBack(yesterday, NEXT_DAY);
    expect(tally.peek(NEXT_DAY)).toMatchObject({ day: '2030-01-16', w: 5 });
  });

  it('keeps today’s counts when asked about another day (a cron fired by hand for the next midnight)', () => {
    const tally = new UsageTally();
    tally.count('writes', 80, NOON);
    expect(tally.peek(NEXT_DAY)).toEqual({ day: '2030-01-16', q: 0, r: 0, w: 0, d: 0, l: 0 });
    tally.count('writes', 2, NOON);
    expect(tally.peek(NOON)).toMatchObject({ day: '2030-01-15', w: 82 });
  });
});

describe('addReports', () => {
  it('adds the reports of one day and ignores the others', () => {
    const total = addReports('2030-01-15', [
      { day: '2030-01-15', q: 10, r: 50, w: 3, d: 1, l: 2 },
      { day: '2030-01-15', q: 5, r: 5, w: 1, d: 0, l: 0 },
      { day: '2030-01-14', q: 999, r: 999, w: 999, d: 999, l: 999 },
    ]);
    expect(total).toEqual({ day: '2030-01-15', q: 15, r: 55, w: 4, d: 1, l: 2 });
  });

  it('reads only well-formed reports from metadata', () => {
    expect(isUsageReport({ day: '2030-01-15', q: 1, r: 0, w: 0, d: 0, l: 0 })).toBe(true);
    expect(isUsageReport({ day: '2030-01-15', q: -1, r: 0, w: 0, d: 0, l: 0 })).toBe(false);
    expect(isUsageReport({ day: '2030-01-15', q: 1 })).toBe(false);
    expect(isUsageReport(undefined)).toBe(false);
  });
});

describe('UTC buckets', () => {
  it('puts a moment in its UTC hour and day, whatever the reader’s time zone', () => {
    const ms = Date.parse('2025-03-05T23:59:59.999-08:00');
    expect(hourStart(ms)).toBe('2025-03-06T07:00:00.000Z');
    expect(utcDay(ms)).toBe('2025-03-06');
    expect(dayOfHour(hourStart(ms))).toBe('2025-03-06');
  });

  it('lists windows oldest first, ending with the current bucket', () => {
    const now = Date.parse('2025-03-01T01:30:00Z');
    expect(lastDays(now, 3)).toEqual(['2025-02-27', '2025-02-28', '2025-03-01']);
    expect(lastHours(now, 3)).toEqual([
      '2025-02-28T23:00:00.000Z',
      '2025-03-01T00:00:00.000Z',
      '2025-03-01T01:00:00.000Z',
    ]);
  });
});

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
