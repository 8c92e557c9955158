import { describe, expect, it } from 'vitest';
import { addReports, isUsageReport, UsageTally } from './usage.js';

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
