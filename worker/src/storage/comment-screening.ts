/**
 * Everything the POST of a comment needs to know about its page and its author: the page's comments for the
 * duplicate check, as readers get the snapshot (this isolate's copy while fresh; of a big thread's split snapshot,
 * the head alone: its newest comments and its parts' fingerprints), and in one bulk KV read whether the thread is
 * closed, bans on the commenter, whether they are known, and (asking for reply mails) whether their address is confirmed
 * for their browser. An edit asks the same bulk read the first two.
 */
import type { Ban } from '@sala/protocol';
import { BanStore, isActive, type BanSubject } from './bans.js';
import type { ClosedThread } from './closed-threads.js';
import { closedThreadKey, confirmedEmailKey, type PageRef } from './keys.js';
import { KnownCommenters } from './known-commenters.js';
import { ThreadStore, type RecentComments } from './threads.js';

export interface ScreeningFacts {
  /** What the duplicate check reads of the page's thread. */
  recent: RecentComments;
  closed: ClosedThread | null;
  /** The first ban in force on any of the subjects, or null. */
  ban: Ban | null;
  knownCommenter: boolean;
  /** Whether the address was confirmed for reply mails from this browser; null when not asked. */
  mailConfirmed: boolean | null;
}

/** What refuses a commenter's edit: the thread closed since the comment was posted, or a ban on its author. */
export type EditFacts = Pick<ScreeningFacts, 'closed' | 'ban'>;

export async function readScreeningFacts(
  kv: KVNamespace,
  page: PageRef,
  subjects: BanSubject[],
  commenterHash: string | null,
  /** The address's hash when the comment asks for reply mails (and email is on): its confirmation is read too. */
  replyMailEmailHash: string | null = null,
  now = Date.now(),
): Promise<ScreeningFacts> {
  const banKeys = subjects.map((subject) => BanStore.key(page.site, subject));
  const knownKeys = commenterHash === null ? [] : [KnownCommenters.key(page.site, commenterHash)];
  const mailKey =
    commenterHash === null || replyMailEmailHash === null
      ? null
      : confirmedEmailKey(page.site, replyMailEmailHash, commenterHash);
  const [recent, values] = await Promise.all([
    new ThreadStore(kv).readRecent(page, now),
    kv.get<unknown>([closedThreadKey(page), ...knownKeys, ...(mailKey === null ? [] : [mailKey]), ...banKeys], 'json'),
  ]);
  return {
    recent,
    ...closedAndBanned(values, page, banKeys, now),
    knownCommenter: knownKeys.some((key) => values.get(key) != null),
    mailConfirmed: mailKey === null ? null : values.get(mailKey) != null,
  };
}

/** Whether the page's thread is closed and the first ban in force on any of the subjects: one bulk KV read. */
export async function readEditFacts(
  kv: KVNamespace,
  page: PageRef,
  subjects: BanSubject[],
  now = Date.now(),
): Promise<EditFacts> {
  const banKeys = subjects.map((subject) => BanStore.key(page.site, subject));
  const values = await kv.get<unknown>([closedThreadKey(page), ...banKeys], 'json');
  return closedAndBanned(values, page, banKeys, now);
}

function closedAndBanned(values: Map<string, unknown>, page: PageRef, banKeys: string[], now: number): EditFacts {
  const bans = banKeys.map((key) => values.get(key) as Ban | null).filter((ban): ban is Ban => ban != null);
  return {
    closed: (values.get(closedThreadKey(page)) as ClosedThread | null) ?? null,
    ban: bans.find((ban) => isActive(ban, now)) ?? null,
  };
}
