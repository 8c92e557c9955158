/**
 * English strings, the default pack: what the elements show without the comment form. The closed form's strings are
 * in en-form.ts, with <sala-comments>, the open form's and those only posting meets in en-posting.ts, fetched with the
 * code that posts, and the lists' in en-lists.ts, with the lists; together they are the key list every other pack must
 * fill. `{name}` marks a value.
 */
import type { SalaErrorCode } from '../../events.js';
import type { enCount } from './en-count.js';
import type { enForm } from './en-form.js';
import type { enLists } from './en-lists.js';
import type { enPosting } from './en-posting.js';

export const en = {
  heading: 'Comments',
  countOne: '{count} comment',
  countOther: '{count} comments',
  loading: 'Loading comments…',
  empty: 'Be the first to comment.',
  retry: 'Try again',
  loadMore: 'Load more comments',
  sortLabel: 'Sort',
  sortOldest: 'Oldest first',
  sortNewest: 'Newest first',

  countLoading: 'Comments',
  countError: 'Comment count unavailable',

  reply: 'Reply',
  replyTo: 'Reply to {name}',
  cancel: 'Cancel',
  deleted: 'Comment deleted',
  edited: 'edited',
  pending: 'Awaiting moderation',
  owner: 'Site owner',
  pinned: 'Pinned',

  'error.site_required': 'This comment box is not set up correctly.',
  'error.unknown_site': 'This comment box is not set up correctly.',
  'error.origin_not_allowed': 'This website is not allowed to use this comment server.',
  'error.site_config_invalid': 'This comment box is not set up correctly.',
  'error.rate_limited': 'You are commenting too fast. Please wait a moment and try again.',
  'error.thread_closed': 'Comments are closed on this page.',
  'error.internal': 'Something went wrong on the comment server. Please try again later.',
  'error.daily_limit_reached': 'Comments are paused until {time} (your time). Please try again then.',
  'error.network': 'Could not reach the comment server. Check your connection and try again.',
  'error.bad_response': 'The comment server gave an unexpected answer. Please try again later.',
  'error.not_configured': 'This comment box is not set up yet.',
};

/** A key of the strings a page may override through the `strings` property; every error code has one. */
export type StringKey =
  | keyof typeof en
  | keyof typeof enForm
  | keyof typeof enPosting
  | keyof typeof enLists
  | keyof typeof enCount
  | `error.${SalaErrorCode}`;

/**
 * A count's forms beyond one and other, where the language's plural rules have them (Intl.PluralRules): Arabic's
 * zero, two, few and many, `count.few` beside `countOther` (Translator.plural). English has none.
 */
export type PluralKey = `count.${'zero' | 'two' | 'few' | 'many'}`;

/** A complete language pack. */
export type Strings = Record<StringKey, string> & Partial<Record<PluralKey, string>>;
