/**
 * Everything the POST of a comment needs to know about its page and its author: the page snapshot (duplicates),
 * as readers get it (this isolate's copy while fresh: parsing a 1,000-comment snapshot costs about a millisecond,
 * and the isolate that posted last has it), and in one bulk KV read whether the thread is closed, bans on the
 * commenter, and whether they are known.
 */
import type { Ban } from '@sala/protocol';
import type { ThreadSnapshot } from '../domain/thread.js';
import { BanStore, isActive, type BanSubject } from './bans.js';
import type { ClosedThread } from './closed-threads.js';
import { closedThreadKey, type PageRef } from './keys.js';
import { KnownCommenters } from './known-commenters.js';
import { ThreadStore } from './threads.js';

export interface ScreeningFacts {
  snapshot: ThreadSnapshot | null;
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
  const [snapshot, values] = await Promise.all([
    new ThreadStore(kv).readForReader(page, now),
    kv.get<unknown>([closedThreadKey(page), ...knownKeys, ...banKeys], 'json'),
  ]);
  const bans = banKeys.map((key) => values.get(key) as Ban | null).filter((ban): ban is Ban => ban !== null);
  return {
    snapshot,
    closed: (values.get(closedThreadKey(page)) as ClosedThread | null) ?? null,
    ban: bans.find((ban) => isActive(ban, now)) ?? null,
    knownCommenter: knownKeys.some((key) => values.get(key) != null),
  };
}
