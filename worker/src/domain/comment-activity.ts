/**
 * Comment activity per page, as the thread rebuild records it in the metadata of the page's count key: the
 * cron reads every page's activity with one list() (metadata rides along) instead of reading any thread.
 */
import type { PublicComment } from '@sala/protocol';
import type { ThreadSnapshot } from './thread.js';
import type { CommentActivity } from './ranking.js';
import { DAY_MS, utcDay } from './utc-time.js';

/** What a count key's metadata holds. KV caps metadata at 1024 bytes of JSON. */
export interface CountKeyMetadata {
  /** Visible comments, as the key's value. */
  total: number;
  /** `createdAt` of the newest visible comment: the cron reads the threads with the newest comments first. */
  last?: string;
  /** Visible comments per UTC day (`YYYY-MM-DD`) for the last `ACTIVITY_DAYS` days; days without any left out. */
  days: Record<string, number>;
  /**
   * When the count was written (ms since 1970, the Worker's clock), after the rebuild read the comments it counts: a
   * reader's browser that deleted a comment of theirs, or had an edit of it held, since then knows it still holds it
   * (routes/counts.ts `age`). Set by ThreadStore.writeCount, not part of what a rebuild compares.
   */
  at?: number;
  /**
   * The page's id, when it fits within the 1024 bytes (`storedCountMetadata`): the admin Posts tab maps the key to its
   * page by it instead of hashing page ids. Keys written before it, or for a longer page id, have none.
   */
  pageId?: string;
}

/** Days kept: the 30-day ranking window plus today's partial day. */
export const ACTIVITY_DAYS = 31;

export const METADATA_MAX_BYTES = 1024;

/** What the metadata is computed from: a snapshot, or what an import publishes (domain/prebuilt-thread.ts). */
export type SnapshotActivity = Pick<ThreadSnapshot, 'total'> & {
  comments: readonly Pick<PublicComment, 'createdAt' | 'deleted'>[];
};

/** The count-key metadata of a page's snapshot at `now`, kept within KV's 1024-byte limit. */
export function countMetadata(snapshot: SnapshotActivity, now: number): CountKeyMetadata {
  return countMetadataOf(snapshot.total, snapshot.comments, [], now);
}

/**
 * What a part of a big thread's snapshot adds to its count's activity, summed when it was written (domain/thread.ts
 * `PartSummary`): the newest of its shown comments' times, and its shown comments per UTC day from the first day
 * of the activity window then on (a later window starts later, so it finds every day it needs there).
 */
export interface PartActivity {
  newest?: string;
  days?: readonly (readonly [day: string, count: number])[];
}

/**
 * The count-key metadata of `total` shown comments at `now`: `comments` counted one by one (placeholders left out),
 * and `parts`, comments counted when their parts were written.
 */
export function countMetadataOf(
  total: number,
  comments: Iterable<Pick<PublicComment, 'createdAt' | 'deleted'>>,
  parts: readonly PartActivity[],
  now: number,
): CountKeyMetadata {
  const oldestDay = utcDay(now - (ACTIVITY_DAYS - 1) * DAY_MS);
  const days: Record<string, number> = {};
  let last: string | undefined;
  for (const comment of comments) {
    if (comment.deleted) continue; // a placeholder kept for its replies is not a comment anyone can read
    if (last === undefined || comment.createdAt > last) last = comment.createdAt;
    const day = comment.createdAt.slice(0, 10);
    if (day >= oldestDay) days[day] = (days[day] ?? 0) + 1;
  }
  for (const part of parts) {
    if (part.newest !== undefined && (last === undefined || part.newest > last)) last = part.newest;
    for (const [day, count] of part.days ?? []) if (day >= oldestDay) days[day] = (days[day] ?? 0) + count;
  }
  const metadata: CountKeyMetadata = { total, days: sortedDays(days) };
  if (last !== undefined) metadata.last = last;
  // 31 days take about 500 bytes; should the format ever grow, the oldest days go first.
  while (byteLength(metadata) > METADATA_MAX_BYTES && Object.keys(metadata.days).length > 0) {
    delete metadata.days[Object.keys(metadata.days)[0]!];
  }
  return metadata;
}

/**
 * `metadata` as a count key keeps it: written at `at`, naming its page when `pageId` fits within KV's 1024 bytes
 * (a longer one is left out, never a day: the tab then hashes page ids for it, as for keys written before).
 */
export function storedCountMetadata(metadata: CountKeyMetadata, at: number, pageId?: string): CountKeyMetadata {
  const stored: CountKeyMetadata = { ...metadata, at };
  if (pageId === undefined) return stored;
  const named: CountKeyMetadata = { ...stored, pageId };
  return byteLength(named) <= METADATA_MAX_BYTES ? named : stored;
}

export function sameCountMetadata(a: CountKeyMetadata, b: CountKeyMetadata): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Whether two snapshots' comments, in the same order (id order, as the rebuild makes them), count the same ones:
 * placeholders left out. A rebuild that takes in a delete and an approval together counts as many, with the same
 * activity, but not the same: its count's `at` must say when, or a browser takes the deleted one off it again.
 */
export function sameCounted(
  a: readonly Pick<PublicComment, 'id' | 'deleted'>[],
  b: readonly Pick<PublicComment, 'id' | 'deleted'>[],
): boolean {
  let j = 0;
  for (const comment of a) {
    if (comment.deleted === true) continue;
    while (b[j]?.deleted === true) j++;
    if (b[j]?.id !== comment.id) return false;
    j++;
  }
  while (b[j]?.deleted === true) j++;
  return j === b.length;
}

/** A count key's metadata as list() returned it, checked: null for keys written before it existed, or junk. */
export function readCountMetadata(raw: unknown): CountKeyMetadata | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { total, last, days, pageId } = raw as Record<string, unknown>;
  if (typeof total !== 'number' || !Number.isFinite(total) || typeof days !== 'object' || days === null) return null;
  const metadata: CountKeyMetadata = { total, days: checkedDays(days as Record<string, unknown>) };
  if (typeof last === 'string') metadata.last = last;
  if (typeof pageId === 'string') metadata.pageId = pageId;
  return metadata;
}

/**
 * A day written as `YYYY-MM-DD` (ASCII digits) with a count above zero. Read by code unit, not a regular expression: a
 * ranking run checks some 500 keys of 31 days each, and the expression's match was the check's time.
 */
function isDayCount(day: string, count: unknown): boolean {
  if (typeof count !== 'number' || !(count > 0) || day.length !== 10) return false;
  for (let at = 0; at < 10; at++) {
    const code = day.charCodeAt(at);
    if (at === 4 || at === 7 ? code !== 45 : code < 48 || code > 57) return false; // '-', '0' to '9'
  }
  return true;
}

/**
 * The days of `days` with a count: `days` itself when every one has (as the thread rebuild writes them; a ranking run
 * lists 500 and copies none), else a copy without the others.
 */
function checkedDays(days: Record<string, unknown>): Record<string, number> {
  const dates = Object.keys(days);
  let index = 0;
  while (index < dates.length && isDayCount(dates[index]!, days[dates[index]!])) index += 1;
  if (index === dates.length && !Array.isArray(days)) return days as Record<string, number>;
  const checked: Record<string, number> = {};
  for (const day of dates) if (isDayCount(day, days[day])) checked[day] = days[day] as number;
  return checked;
}

/** The ranking's view of a page's comments (its days are the metadata's, not a copy: the ranking only reads them). */
export function toCommentActivity(metadata: CountKeyMetadata): CommentActivity {
  return { total: metadata.total, perDay: metadata.days };
}

function sortedDays(days: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(days).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function byteLength(metadata: CountKeyMetadata): number {
  return new TextEncoder().encode(JSON.stringify(metadata)).byteLength;
}
