/**
 * The admin page's Posts tab: every post's views and comments per window, ordered and paged here, so a request
 * answers one page of the table (worker/README.md "CPU time": 5,000 posts in one answer took over 200 ms).
 */
import type { AdminPostListQuery, PopularBy, PopularRange } from '@sala/protocol';
import { invalidField } from '../errors.js';
import { POPULAR_BYS, POPULAR_RANGES } from './ranking.js';

/** A post's counts, before its title and address are added to the page served. */
export interface PostCounts {
  pageId: string;
  views: Record<PopularRange, number>;
  comments: Record<PopularRange, number>;
}

export const POST_PAGE = { defaultLimit: 50, maxLimit: 100 } as const;

function oneOf<T extends string>(raw: string | undefined, allowed: readonly T[], fallback: T, field: string): T {
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw invalidField(field, `${field} must be one of ${allowed.map((value) => `"${value}"`).join(', ')}.`);
  }
  return raw as T;
}

function wholeNumber(raw: string | undefined, fallback: number, field: string, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max))
    throw invalidField(field, `${field} must be a whole number from ${min} to ${max}.`);
  return value;
}

/** The query, checked: all time by views, the first 50, unless told otherwise; a wrong parameter names itself. */
export function readPostListQuery(params: Record<string, string | undefined>): Required<AdminPostListQuery> {
  return {
    range: oneOf<PopularRange>(params.range, POPULAR_RANGES, 'all', 'range'),
    by: oneOf<PopularBy>(params.by, POPULAR_BYS, 'views', 'by'),
    limit: wholeNumber(params.limit, POST_PAGE.defaultLimit, 'limit', 1, POST_PAGE.maxLimit),
    offset: wholeNumber(params.offset, 0, 'offset', 0, 999_999),
  };
}

/**
 * The posts in the table's order: `by` in `range`, most first, ties by the other count in `range`, then by views and
 * comments of all time, then page id (the order the tab had when it sorted the whole list itself, a stable sort of
 * the list the Worker sent most viewed of all time first).
 */
export function sortPosts<T extends PostCounts>(posts: T[], range: PopularRange, by: PopularBy): T[] {
  const other: PopularBy = by === 'views' ? 'comments' : 'views';
  return posts.sort(
    (a, b) =>
      b[by][range] - a[by][range] ||
      b[other][range] - a[other][range] ||
      b.views.all - a.views.all ||
      b.comments.all - a.comments.all ||
      (a.pageId < b.pageId ? -1 : a.pageId > b.pageId ? 1 : 0),
  );
}
