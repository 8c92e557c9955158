/** UTC hour and day buckets shared by view buffering, aggregation and ranking: one definition of "today". */

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

/** Start of the UTC hour containing `ms`, as ISO 8601 (`2025-03-05T14:00:00.000Z`): a bucket and key name. */
export function hourStart(ms: number): string {
  return new Date(Math.floor(ms / HOUR_MS) * HOUR_MS).toISOString();
}

/** UTC day containing `ms`, as `YYYY-MM-DD`. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The UTC day an hour bucket (from `hourStart`) belongs to. */
export function dayOfHour(hour: string): string {
  return hour.slice(0, 10);
}

/** The `count` UTC days ending with the day containing `now`, oldest first. */
export function lastDays(now: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => utcDay(now - (count - 1 - i) * DAY_MS));
}

/** The `count` hour buckets ending with the hour containing `now`, oldest first. */
export function lastHours(now: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => hourStart(now - (count - 1 - i) * HOUR_MS));
}
