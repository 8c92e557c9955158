/**
 * Posts imported in parts (`ImportThread.part`): a post with more comments than one request takes is sent in parts,
 * and nothing of it shows until the last. Each part before the last is prebuilt (its comments checked and mapped to
 * their stored and public JSON, domain/prebuilt-thread.ts) and staged under its own key (one write, with an
 * expiration, so an abandoned import leaves nothing behind); the rebuild never reads those keys. The last part reads
 * the others as bytes, resolves every reply's parent across parts and joins the pieces into one whole thread: one
 * imported document, one snapshot, one count, at the CPU cost of one part. A post's staged parts count against the
 * day's import budget and the queue's allowance past it (`hasQueueRoom`), checked once per post: its first part is
 * staged only when they have room for all its staged parts, and a later part once the first is there (a read, where
 * reading today's budget would take two list() per site for every part). Otherwise the part is `paused`, not staged,
 * and so is a last part whose missing parts do not fit: nothing of the post shows, the parts staged stay (3 days) and
 * the paused ones are sent again after 00:00 UTC. The whole post waits in the import queue when the day's writes
 * are spent.
 */
import type { ImportPart, ImportThreadResult } from '@sala/protocol';
import type { PreparedThread } from '../domain/import-input.js';
import {
  assembleParts,
  prebuild,
  prebuiltBytes,
  readPrebuilt,
  withFacts,
  type PrebuiltThread,
} from '../domain/prebuilt-thread.js';
import { invalidField } from '../errors.js';
import { hasQueueRoom, type BudgetSource } from './import-run.js';
import { importStageKey, pageRef, type PageRef } from './keys.js';

/** Staged parts expire after this: days enough for an owner's import (a queued post keeps its own copy). */
export const STAGE_TTL_SECONDS = 3 * 24 * 60 * 60;

export interface StagedRequest {
  /** The threads to import, in the request's order: whole threads, and each post whose last part came, assembled. */
  ready: PrebuiltThread[];
  /**
   * Per thread of the request: its result when it was a part before the last, or a last part paused for want of its
   * earlier parts; otherwise null (see `ready`).
   */
  staged: (ImportThreadResult | null)[];
}

/**
 * Prebuilds every thread, stages the parts before the last and assembles each post whose last part is in the
 * request. Throws a 400 naming the problem when a part is missing (not sent, expired, or not yet visible to this
 * request: KV shows a write made elsewhere up to a minute later), unless the day's allowance is spent (the missing part
 * was likely paused: the last part is paused too), or when a reply's parent is in no part. With `dryRun`
 * nothing is staged, so each part is checked alone against what the page already has: its result says how many of
 * its comments are new, and the parts' results add up to the post's.
 */
export async function stageParts(
  kv: KVNamespace,
  site: string,
  threads: PreparedThread[],
  { dryRun = false, budget }: { dryRun?: boolean; budget: BudgetSource },
): Promise<StagedRequest> {
  const ready: PrebuiltThread[] = [];
  const staged: (ImportThreadResult | null)[] = [];
  for (const [i, thread] of threads.entries()) {
    const part = thread.part;
    if (part === undefined || dryRun) {
      ready.push(prebuild(part === undefined ? thread : withoutPart(thread)));
      staged.push(null);
      continue;
    }
    const page = await pageRef(site, thread.pageId);
    const own = prebuild(thread);
    if (part.index < part.count - 1) {
      const key = importStageKey(page, part);
      const value = prebuiltBytes(own);
      // Sent again, the same part costs a read, not a write (staged by the version before, it is read to compare).
      const stored = await kv.get(key, 'arrayBuffer');
      const same = sameBytes(stored, value) || sameAsRewritten(stored, value);
      if (!same && !(await isAdmitted(kv, page, part, budget))) {
        staged.push({ pageId: thread.pageId, outcome: 'paused', added: 0 });
        continue;
      }
      if (!same) await kv.put(key, value, { expirationTtl: STAGE_TTL_SECONDS });
      staged.push({ pageId: thread.pageId, outcome: same ? 'unchanged' : 'staged', added: 0 });
      continue;
    }
    const keys = Array.from({ length: part.count - 1 }, (_, index) => importStageKey(page, { ...part, index }));
    // One read per part, as bytes (a bulk read gives only text): the post is joined with no part decoded.
    const earlier = await Promise.all(keys.map((key) => kv.get(key, 'arrayBuffer')));
    const missing = earlier.filter((value) => value === null).length;
    if (missing > 0 && !hasQueueRoom(await budget(), missing)) {
      staged.push({ pageId: thread.pageId, outcome: 'paused', added: 0 });
      continue;
    }
    const parts = earlier.map((value, index) => {
      const found = value === null ? null : readPrebuilt(value);
      if (found === null) {
        throw invalidField(
          `threads[${i}].part`,
          `threads[${i}] is the last of ${part.count} parts, but part ${index} of this post is not here: not received, expired (parts are kept 3 days), or sent less than a minute ago and not yet visible (KV shows a write up to 60 s later elsewhere). Nothing of this post was published; wait a minute, then send its parts again.`,
        );
      }
      return found;
    });
    // The own part's facts too, as a staged part has them: the post's snapshot is then joined run by run.
    ready.push(assembleParts([...parts, withFacts(own)], `threads[${i}]`));
    staged.push(null);
  }
  return { ready, staged };
}

/**
 * Whether a part before the last may be staged: a later part once the post's first is staged (the post was let in);
 * else when today's budget and the queue's allowance have room for all the post's staged parts, this one's write
 * taken from it (the others are counted as they are written, by the requests that read the budget after them).
 */
async function isAdmitted(kv: KVNamespace, page: PageRef, part: ImportPart, budget: BudgetSource): Promise<boolean> {
  const first = importStageKey(page, { ...part, index: 0 });
  if (part.index > 0 && (await kv.get(first, 'arrayBuffer')) !== null) return true;
  const today = await budget();
  if (!hasQueueRoom(today, part.count - 1)) return false;
  today.writes -= 1;
  return true;
}

function sameBytes(stored: ArrayBuffer | Uint8Array | null, value: Uint8Array): boolean {
  if (stored === null || stored.byteLength !== value.length) return false;
  const bytes = stored instanceof Uint8Array ? stored : new Uint8Array(stored);
  return bytes.every((byte, i) => byte === value[i]);
}

/** Whether `stored`, a part staged in an earlier format, is `value`'s part: written again now, it is `value`. */
function sameAsRewritten(stored: ArrayBuffer | null, value: Uint8Array): boolean {
  const read = stored === null ? null : readPrebuilt(stored);
  if (read === null) return false;
  return sameBytes(prebuiltBytes(read), value);
}

/** A part on its own, as a dry run sees it: a reply whose parent is in another part stays where it is. */
function withoutPart(thread: PreparedThread): PreparedThread {
  const { part: _part, ...alone } = thread;
  return alone;
}
