/** Query parameters of the list routes (popular posts, recent comments), checked; a wrong one names its field. */
import { LIMITS, normalizePageId, type PopularBy, type PopularRange } from '@sala/protocol';
import { invalidField } from '../errors.js';
import { PAGE_META_LIMITS } from './page-meta.js';
import { POPULAR_BYS, POPULAR_POSTS_LIMIT, POPULAR_RANGES, type PopularPostsQuery } from './ranking.js';
import { RECENT_COMMENTS } from './recent-comments.js';

/** Pages one popular-posts request may exclude: the current page, and a few a theme may already show. */
export const MAX_EXCLUDED_PAGES = 10;

function readLimit(raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const limit = /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
  if (!(limit >= 1 && limit <= max)) throw invalidField('limit', `limit must be a whole number from 1 to ${max}.`);
  return limit;
}

function oneOf<T extends string>(raw: string | undefined, allowed: readonly T[], fallback: T, field: string): T {
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw invalidField(field, `${field} must be one of ${allowed.map((value) => `"${value}"`).join(', ')}.`);
  }
  return raw as T;
}

export interface PopularParams {
  range?: string;
  by?: string;
  limit?: string;
  label?: string;
  exclude?: readonly string[];
}

/** Defaults: the last 7 days by views, 5 posts (Blogger's gadget shows the last 7 days unless told otherwise). */
export function readPopularQuery(params: PopularParams): PopularPostsQuery {
  const query: PopularPostsQuery = {
    range: oneOf<PopularRange>(params.range, POPULAR_RANGES, '7d', 'range'),
    by: oneOf<PopularBy>(params.by, POPULAR_BYS, 'views', 'by'),
    limit: readLimit(params.limit, POPULAR_POSTS_LIMIT.default, POPULAR_POSTS_LIMIT.max),
  };

  const label = params.label?.trim();
  if (label) {
    if (Array.from(label).length > PAGE_META_LIMITS.label) {
      throw invalidField('label', `label must be at most ${PAGE_META_LIMITS.label} characters.`);
    }
    query.label = label;
  }

  const excluded = (params.exclude ?? []).filter((pageId) => pageId.trim() !== '');
  if (excluded.length > MAX_EXCLUDED_PAGES) {
    throw invalidField('exclude', `At most ${MAX_EXCLUDED_PAGES} pages may be excluded.`);
  }
  const exclude = excluded.map((pageId) => normalizePageId(pageId));
  if (exclude.some((pageId) => pageId === null)) {
    throw invalidField('exclude', `exclude must be page ids of at most ${LIMITS.pageId} characters.`);
  }
  if (exclude.length > 0) query.exclude = exclude as string[];
  return query;
}

export function readRecentCommentsLimit(raw: string | undefined): number {
  return readLimit(raw, RECENT_COMMENTS.defaultLimit, RECENT_COMMENTS.depth);
}
