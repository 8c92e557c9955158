/**
 * Everything the POST of a comment needs to know about its page and its author: the page's comments for the
 * duplicate check, as readers get the snapshot (this isolate's copy while fresh; of a big thread's split snapshot,
 * the head alone: its newest comments and its parts' fingerprints), and in one bulk KV read whether the thread is
 * closed, bans on the commenter, and whether they are known.
 */
import type { Ban } from '@sala/protocol';
import { BanStore, isActive, type BanSubject } from './bans.js';
import type { ClosedThread } from './closed-threads.js';
import { closedThreadKey, type PageRef } from './keys.js';
import { KnownCommenters } from './known-commenters.js';
import { ThreadStore, type RecentComments } from './threads.js';

export interface ScreeningFacts {
  /** What the duplicate check reads of the page's thread. */
  recent: RecentComments;
  closed: ClosedThread | null;
  /** The first ban in force on any of the subjects, or null. */
  ban: Ban | null;
  knownCommenter: boolean;
}

export async function readScreeningFacts(
  kv: KVNamespace,
  page: PageRef,
  subjects: BanSubject[],
  commenterHash: string | null,
  now = Date.now(),
): Promise<ScreeningFacts> {
  const banKeys = subjects.map((subject) => BanStore.key(page.site, subject));
  const knownKeys = commenterHash === null ? [] : [KnownCommenters.key(page.site, commenterHash)];
  const [recent, values] = await Promise.all([
    new ThreadStore(kv).readRecent(page, now),
    kv.get<unknown>([closedThreadKey(page), ...knownKeys, ...banKeys], 'json'),
  ]);
  const bans = banKeys.map((key) => values.get(key) as Ban | null).filter((ban): ban is Ban => ban !== null);
  return {
    recent,
    closed: (values.get(closedThreadKey(page)) as ClosedThread | null) ?? null,
    ban: bans.find((ban) => isActive(ban, now)) ?? null,
    knownCommenter: knownKeys.some((key) => values.get(key) != null),
  };
}
