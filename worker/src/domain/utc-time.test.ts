import { describe, expect, it } from 'vitest';
import { dayOfHour, hourStart, lastDays, lastHours, utcDay } from './utc-time.js';

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
