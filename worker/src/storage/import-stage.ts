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
 * are spent, its parts' digests in its entry's metadata (each staged part keeps its own in its key's), so parts sent
 * again after their staged copies expired are known to wait there before anything is staged again. A post published
 * from its pieces keeps the digest of its parts' digests with its document (`publishedDigest`): its last part sent
 * again after a cut is known as that document's by it, not by comparing MBs, and sent again once published, it is
 * answered from the digests its parts' keys keep before any part's value is read or joined (`answerOfPublished`).
 */
import type { ImportPart, ImportThreadResult } from '@sala/protocol';
import type { PreparedThread } from '../domain/import-input.js';
import {
  assembleParts,
  isStepped,
  prebuild,
  prebuiltBytes,
  readPrebuilt,
  STEP_PARTS_OVER,
  withFacts,
  type PrebuiltThread,
} from '../domain/prebuilt-thread.js';
import { ApiError, invalidField } from '../errors.js';
import { partDigest, PART_DIGEST_CHARS, type ImportQueue } from './import-queue.js';
import { answerOfPublished, hasQueueRoom, type BudgetSource } from './import-run.js';
import { publishFromSteps, writeStepValues } from './import-steps.js';
import { importStageKey, pageRef, type PageRef } from './keys.js';

/** Staged parts expire after this: days enough for an owner's import (a queued post keeps its own copy). */
export const STAGE_TTL_SECONDS = 3 * 24 * 60 * 60;

/**
 * Characters of a staged part's digest in its key's metadata (`partDigest`: 144 bits of SHA-256), its first
 * PART_DIGEST_CHARS a queued post's digest of it: a post's document is known by its parts' digests (`publishedDigest`),
 * a match standing for MBs of comments, so they are longer than the queue's. Parts staged before keep 8.
 */
export const STAGED_DIGEST_CHARS = 24;

export interface StagedRequest {
  /** The threads to import, in the request's order: whole threads, and each post whose last part came, assembled. */
  ready: PrebuiltThread[];
  /**
   * Per thread of the request: its result when it was a part before the last, or a last part paused for want of its
   * earlier parts; otherwise null (see `ready`).
   */
  staged: (ImportThreadResult | null)[];
  /**
   * With `dryRun`, the request's threads (by index) whose result is an estimate (`ImportThreadResult.estimate`): a part
   * before the last of a post waiting in the import queue, changed since it was staged.
   */
  estimated: Set<number>;
  /**
   * Posts whose last part was answered as published already (`answerOfPublished`), in `staged`: importThreads would
   * have taken each first and counted it written.
   */
  published: number;
}

/**
 * Prebuilds every thread, stages the parts before the last and assembles each post whose last part is in the
 * request. Throws a 400 naming the problem when a part is missing (not sent, expired, or not yet visible to this
 * request: KV shows a write made elsewhere up to a minute later), unless the day's allowance is spent (the missing part
 * was likely paused: the last part is paused too), or when a reply's parent is in no part. With `dryRun`
 * nothing is staged, so each part is checked alone against what the page already has: its result says how many of
 * its comments are new, and the parts' results add up to the post's; but a post waiting in the import queue, its parts
 * staged, is answered as the import would answer it (`dryRunOfWaiting`), but for a part changed since it was staged:
 * its answer only an estimate (`estimated`), counting the comments its staged copy lacks. A last part that is the first
 * thread importThreads would take, of a post published from these very parts, is answered as importThreads would
 * answer it (`published`), from its parts' digests: their values are never read (a stream each, cancelled).
 */
export async function stageParts(
  kv: KVNamespace,
  site: string,
  threads: PreparedThread[],
  {
    dryRun = false,
    budget,
    queue,
    run,
    keptIds = true,
    now = new Date(),
  }: {
    dryRun?: boolean;
    budget: BudgetSource;
    /** When a post published here from its parts' shares (import-steps.ts) says it was written. */
    now?: Date;
    /** A dry run's view of the import queue: a post waiting there is answered as the import would answer it. */
    queue?: ImportQueue;
    /** The request's import run and whether its comments keep their ids, as importThreads takes them. */
    run?: string | undefined;
    keptIds?: boolean;
  },
): Promise<StagedRequest> {
  const ready: PrebuiltThread[] = [];
  const staged: (ImportThreadResult | null)[] = [];
  const estimated = new Set<number>();
  let published = 0;
  for (const [i, thread] of threads.entries()) {
    const part = thread.part;
    if (part === undefined) {
      ready.push(prebuild(thread));
      staged.push(null);
      continue;
    }
    const page = await pageRef(site, thread.pageId);
    if (dryRun) {
      const waiting = queue ? await dryRunOfWaiting(kv, page, thread, part, i, queue) : null;
      if (waiting === null) {
        ready.push(prebuild(withoutPart(thread)));
        staged.push(null);
      } else if ('outcome' in waiting) {
        if (waiting.estimate) estimated.add(i);
        staged.push(waiting);
      } else {
        ready.push(waiting);
        staged.push(null);
      }
      continue;
    }
    const own = prebuild(thread);
    if (part.index < part.count - 1) {
      const key = importStageKey(page, part);
      const value = prebuiltBytes(own);
      // Sent again, the same part costs a read, not a write (staged by the version before, it is read to compare).
      const stored = await kv.get(key, 'arrayBuffer');
      const same = isStagedAs(stored, value);
      // A later part of a post let in (its first part staged) is staged; else one read of the queue's list (once a
      // request) tells a part whose staged copy expired while the post waits there (past STAGE_TTL_SECONDS) as sent.
      const firstThere = part.index > 0 && !same && (await kv.get(firstKeyOf(page, part), 'arrayBuffer')) !== null;
      if (stored === null && !firstThere && queue && (await waitsAsSent(kv, queue, page, part, value))) {
        staged.push({ pageId: thread.pageId, outcome: 'unchanged', added: 0 });
        continue;
      }
      if (!same && !firstThere && !(await isAdmitted(part, budget))) {
        staged.push({ pageId: thread.pageId, outcome: 'paused', added: 0 });
        continue;
      }
      if (!same) await stage(kv, key, value, page, part);
      staged.push({ pageId: thread.pageId, outcome: same ? 'unchanged' : 'staged', added: 0 });
      continue;
    }
    // The own part as it would be staged, and its digest, before assembling writes its parents' ids over its bytes.
    const ownBytes = prebuiltBytes(own);
    const ownDigest = await partDigest(ownBytes, STAGED_DIGEST_CHARS);
    if (ready.length === 0) {
      // Sent again once published from these very parts: known by their digests, no part's value read or joined.
      const pieces = async () => digestOfParts([...(await stagedDigests(kv, page, part)), ownDigest]);
      const known = await answerOfPublished(kv, page, pieces, { run, keptIds });
      if (known !== null) {
        staged.push({ pageId: thread.pageId, ...known });
        published++;
        continue;
      }
    }
    if (ready.length === 0 && part.count > STEP_PARTS_OVER) {
      // A big post whose earlier parts each wrote their share when staged: published without reading their comments.
      const done = await publishFromSteps(kv, page, {
        own,
        ownBytes,
        ownDigest,
        part,
        budget,
        queue,
        run,
        now,
        piecesOf: digestOfParts,
      });
      if (done !== null) {
        staged.push({ pageId: thread.pageId, ...done });
        published++;
        continue;
      }
    }
    const earlier = await readEarlierParts(kv, page, part);
    const missing = earlier.filter((found) => found === null).length;
    if (missing > 0 && queue) {
      // Parts matching a post that waits in the queue are not staged again (above) once their copies expired: the post
      // waits as sent when this part and every part still here match it too.
      const waiting = await queue.partsOfPage(page.site, page.pageHash, part.count);
      if (waiting.length > 0) {
        const digests = [...digestsOf(earlier), await partDigest(ownBytes)];
        if (waiting.some((parts) => matchesParts(parts, digests))) {
          staged.push({ pageId: thread.pageId, outcome: 'queued', added: 0 });
          continue;
        }
        // Changed since it was queued, and the parts that match were not kept: the last part, kept, tells them to be
        // staged when they come again (`waitsAsSent`), so the post as sent now is published once its parts are resent.
        const today = await budget();
        if (hasQueueRoom(today, missing + 1)) {
          today.writes -= 1;
          await stage(kv, importStageKey(page, part), ownBytes, page, part);
          throw invalidField(
            `threads[${i}].part`,
            `threads[${i}] is the last of ${part.count} parts of a post that waits in the import queue as sent before, but this file changes it, and ${missing} of its earlier parts, the same as what waits, were not kept again. Nothing of this post was published; send its parts again (import the file again): they are kept this time.`,
          );
        }
      }
    }
    if (missing > 0 && !hasQueueRoom(await budget(), missing)) {
      staged.push({ pageId: thread.pageId, outcome: 'paused', added: 0 });
      continue;
    }
    const parts = earlier.map((found, index) => {
      const read = found === null ? null : readPrebuilt(found.value);
      if (read === null) {
        throw invalidField(
          `threads[${i}].part`,
          `threads[${i}] is the last of ${part.count} parts, but part ${index} of this post is not here: not received, expired (parts are kept 3 days), or sent less than a minute ago and not yet visible (KV shows a write up to 60 s later elsewhere). Nothing of this post was published; wait a minute, then send its parts again.`,
        );
      }
      return read;
    });
    // The own part read back as the staged ones are (its facts worked out once, for its bytes above): the post's
    // snapshot is then joined run by run, and no entry of it is made.
    const post = assembleParts([...parts, readPrebuilt(ownBytes) ?? withFacts(own)], `threads[${i}]`);
    partDigestsOf.set(post, [...earlier.map((found) => found?.digest), ownDigest]);
    const shares = parts.flatMap((read, index) => (isStepped(read) ? [earlier[index]!.digest!] : []));
    if (shares.length > 0) stepSharesOf.set(post, shares);
    ready.push(post);
    staged.push(null);
  }
  return { ready, staged, estimated, published };
}

/**
 * Whether a part before the last may be staged, the post's first part not staged (a later part is, once the first
 * is: the post was let in): when today's budget and the queue's allowance have room for all the post's staged parts,
 * this one's write taken from it (the others are counted as they are written, by the requests that read the budget
 * after them).
 */
async function isAdmitted(part: ImportPart, budget: BudgetSource): Promise<boolean> {
  const today = await budget();
  // A part of a post past STEP_PARTS_OVER writes its share of the post besides its staged copy (import-steps.ts).
  const perPart = part.count > STEP_PARTS_OVER ? 4 : 1;
  if (!hasQueueRoom(today, perPart * (part.count - 1))) return false;
  today.writes -= perPart;
  return true;
}

/**
 * A dry run's answer for a part of a post that waits in the import queue, its parts staged (the import of the same file
 * earlier the same day): what the import would answer. A part before the last staged as sent is `unchanged`; the
 * last part, every other part staged, brings the whole post, which importThreads then finds waiting (`queued`) or,
 * changed, new. A part before the last staged otherwise (the post re-exported with a change in it) is an estimate:
 * the import would stage it again and publish the post as sent, but the preview's last part (another request, nothing
 * written between them) is joined with the staged copies and still finds the first version waiting, its comments
 * counted there; so this part's `added` is only its comments its staged copy lacks, not all of them again. Null
 * otherwise: the part is checked alone, as for a post not staged (a first import's preview), so its parts' `added` add
 * up to the post's. The queue is listed (once a request) only for a post with this part, or its first, staged.
 */
async function dryRunOfWaiting(
  kv: KVNamespace,
  page: PageRef,
  thread: PreparedThread,
  part: ImportPart,
  i: number,
  queue: ImportQueue,
): Promise<ImportThreadResult | PrebuiltThread | null> {
  const own = prebuild(thread);
  if (part.index < part.count - 1) {
    const stored = await kv.get(importStageKey(page, part), 'arrayBuffer');
    // Its staged copy expired while the post waits: the import would find it waiting as sent, and not stage it.
    if (stored === null && (await waitsAsSent(kv, queue, page, part, prebuiltBytes(own)))) {
      return { pageId: thread.pageId, outcome: 'unchanged', added: 0 };
    }
    if (stored === null || !(await queue.holdsPage(page.site, page.pageHash))) return null;
    if (isStagedAs(stored, prebuiltBytes(own))) return { pageId: thread.pageId, outcome: 'unchanged', added: 0 };
    // The waiting post has the staged copy's comments: only the others would be new (ids are the comments' own).
    const waiting = new Set(readPrebuilt(stored)?.entries.map((entry) => entry.id));
    const added = own.entries.filter((entry) => !waiting.has(entry.id)).length;
    return { pageId: thread.pageId, outcome: added > 0 ? 'imported' : 'unchanged', added, estimate: true };
  }
  const first = await readStaged(kv, firstKeyOf(page, part));
  const waitingParts = () => queue.partsOfPage(page.site, page.pageHash, part.count);
  if (first === null && (await waitingParts()).length === 0) return null;
  if (first !== null && !(await queue.holdsPage(page.site, page.pageHash))) return null;
  // The post waits: a last part not joined with its staged parts is checked alone, and its comments that wait in the
  // post already are not new (counted alone, the preview counted them twice: waiting, and new).
  const alone = () => estimateAgainst(queue, page, thread, own);
  const earlier = [first, ...(await readEarlierParts(kv, page, part, 1))];
  if (earlier.some((found) => found === null)) {
    // Parts expired while the post waits: as the import, it waits as sent if every part here matches it.
    const digests = [...digestsOf(earlier), await partDigest(prebuiltBytes(own))];
    const waits = (await waitingParts()).some((parts) => matchesParts(parts, digests));
    return waits ? { pageId: thread.pageId, outcome: 'queued', added: 0 } : alone();
  }
  const parts = earlier.map((found) => readPrebuilt(found!.value));
  if (parts.some((found) => found === null)) return alone();
  try {
    return assembleParts([...(parts as PrebuiltThread[]), withFacts(own)], `threads[${i}]`);
  } catch (error) {
    // Staged from another version of the post (a reply's parent in no part of it): the import would stage this file's
    // parts again first, so the dry run checks the part alone rather than refuse it.
    if (error instanceof ApiError) return alone();
    throw error;
  }
}

/**
 * A dry run's answer for a part of a post waiting in the queue that is checked alone: an estimate (as for a changed
 * earlier part), its comments the waiting post lacks (its queue entry read: the ids are the comments' own).
 */
async function estimateAgainst(
  queue: ImportQueue,
  page: PageRef,
  thread: PreparedThread,
  own: PrebuiltThread,
): Promise<ImportThreadResult> {
  const waiting = await queue.idsOfPage(page.site, page.pageHash);
  const added = own.entries.filter((entry) => !waiting.has(entry.id)).length;
  return { pageId: thread.pageId, outcome: added > 0 ? 'imported' : 'unchanged', added, estimate: true };
}

/** A staged part as read: its bytes, and its digest (`partDigest`) when it was staged with one. */
interface StagedPart {
  value: ArrayBuffer;
  digest?: string;
}

/**
 * The parts before the last from index `from` on, as bytes or null where missing: one read each (a bulk read gives only
 * text), so the post is joined with no part decoded; each with the digest its key's metadata keeps.
 */
function readEarlierParts(kv: KVNamespace, page: PageRef, part: ImportPart, from = 0): Promise<(StagedPart | null)[]> {
  const keys = Array.from({ length: part.count - 1 - from }, (_, i) =>
    importStageKey(page, { ...part, index: from + i }),
  );
  return Promise.all(keys.map((key) => readStaged(kv, key)));
}

/**
 * The digests the parts before the last keep in their keys' metadata, undefined where a part is missing or has none:
 * one read each, as `readEarlierParts`, each value's stream cancelled unread.
 */
function stagedDigests(kv: KVNamespace, page: PageRef, part: ImportPart): Promise<(string | undefined)[]> {
  const keys = Array.from({ length: part.count - 1 }, (_, index) => importStageKey(page, { ...part, index }));
  return Promise.all(
    keys.map(async (key) => {
      const { value, metadata } = await kv.getWithMetadata<{ digest?: unknown }>(key, 'stream');
      if (value === null) return undefined;
      await value.cancel();
      return typeof metadata?.digest === 'string' ? metadata.digest : undefined;
    }),
  );
}

async function readStaged(kv: KVNamespace, key: string): Promise<StagedPart | null> {
  const { value, metadata } = await kv.getWithMetadata<{ digest?: string }>(key, 'arrayBuffer');
  if (value === null) return null;
  return typeof metadata?.digest === 'string' ? { value, digest: metadata.digest } : { value };
}

/**
 * Stages a part (one write), its digest in the key's metadata: a queued post keeps its parts' digests. A part of a post
 * past STEP_PARTS_OVER writes its share of the post first (`writeStepValues`: three writes more), so a staged part
 * that says it wrote it did.
 */
async function stage(kv: KVNamespace, key: string, value: Uint8Array, page: PageRef, part: ImportPart): Promise<void> {
  const digest = await partDigest(value, STAGED_DIGEST_CHARS);
  if (part.count > STEP_PARTS_OVER) await writeStepValues(kv, page, value, digest);
  await kv.put(key, value, { expirationTtl: STAGE_TTL_SECONDS, metadata: { digest } });
}

/**
 * A post assembled here whose earlier parts wrote their shares of it when staged (import-steps.ts) but which is joined
 * whole: those parts' digests, which name the shares.
 */
const stepSharesOf = new WeakMap<PrebuiltThread, string[]>();

/** `stepSharesOf`: the digests naming the shares of a post joined whole here, none for any other thread. */
export function stepShares(thread: PrebuiltThread): readonly string[] {
  return stepSharesOf.get(thread) ?? [];
}

function firstKeyOf(page: PageRef, part: ImportPart): string {
  return importStageKey(page, { ...part, index: 0 });
}

/**
 * Whether a part before the last, not staged, is a part of a post that waits in the queue exactly as sent (its
 * digest in the queue entry's): sent again after its staged copy expired, it is not staged again. Not when the post's
 * last part is kept: a request found the post changed since it was queued (see `stageParts`), so its parts are staged
 * for it. One list() of the queue, once a request.
 */
async function waitsAsSent(
  kv: KVNamespace,
  queue: ImportQueue,
  page: PageRef,
  part: ImportPart,
  value: Uint8Array,
): Promise<boolean> {
  const waiting = await queue.partsOfPage(page.site, page.pageHash, part.count);
  if (waiting.length === 0) return false;
  const digest = await partDigest(value);
  const at = part.index * PART_DIGEST_CHARS;
  if (!waiting.some((parts) => parts.slice(at, at + PART_DIGEST_CHARS) === digest)) return false;
  return (await kv.get(importStageKey(page, { ...part, index: part.count - 1 }), 'arrayBuffer')) === null;
}

/**
 * Whether a queued post's part digests (`parts`) match `digests`, one per part: null for a part not here (expired:
 * sent again, it matched and was not staged), '' for one staged without a digest (matches nothing).
 */
function matchesParts(parts: string, digests: readonly (string | null)[]): boolean {
  return digests.every(
    (digest, k) => digest === null || parts.slice(k * PART_DIGEST_CHARS, (k + 1) * PART_DIGEST_CHARS) === digest,
  );
}

/** `matchesParts`'s digests of staged parts as read (as long as the queue's). */
function digestsOf(earlier: readonly (StagedPart | null)[]): (string | null)[] {
  return earlier.map((found) => (found === null ? null : (found.digest ?? '').slice(0, PART_DIGEST_CHARS)));
}

/**
 * A post assembled here: each part's digest in part order, a staged part's as its key's metadata keeps it (undefined
 * when it was staged without), the last part's worked out from what was sent.
 */
const partDigestsOf = new WeakMap<PrebuiltThread, (string | undefined)[]>();

/**
 * For a post the request assembled: its parts' digests joined (`QueueMetadata.parts`), to keep in its queue entry, so
 * a part sent again after its staged copy expired is known to wait; undefined for a whole thread, or a post with a
 * part staged without a digest.
 */
export async function queuedPartDigests(thread: PrebuiltThread): Promise<string | undefined> {
  const digests = partDigestsOf.get(thread);
  if (digests === undefined || digests.some((digest) => digest === undefined)) return undefined;
  return digests.map((digest) => digest!.slice(0, PART_DIGEST_CHARS)).join('');
}

/**
 * For a post the request assembled: the digest of its parts' digests, kept with the document published from its
 * pieces (import-run.ts), so the post sent again after a cut is known as that document's by comparing them, not the
 * document's MBs; undefined for a whole thread, or a post with a part staged with a shorter digest or none.
 */
export async function publishedDigest(thread: PrebuiltThread): Promise<string | undefined> {
  const digests = partDigestsOf.get(thread);
  return digests === undefined ? undefined : digestOfParts(digests);
}

/** The digest of a post's parts' digests, in part order; undefined when one is missing or shorter (staged before). */
export async function digestOfParts(digests: readonly (string | undefined)[]): Promise<string | undefined> {
  if (digests.some((digest) => digest?.length !== STAGED_DIGEST_CHARS)) return undefined;
  return partDigest(new TextEncoder().encode(digests.join('')), STAGED_DIGEST_CHARS);
}

/** Whether `stored`, a staged part, is `value`'s part (staged by the version before, it is read to compare). */
function isStagedAs(stored: ArrayBuffer | null, value: Uint8Array): boolean {
  return sameBytes(stored, value) || sameAsRewritten(stored, value);
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

/**
 * A part on its own, as a dry run sees it: a reply whose parent is in another part stays where it is, at the top level
 * (its parent's id, written when it came with its time, names no comment of the part).
 */
function withoutPart(thread: PreparedThread): PreparedThread {
  const { part: _part, ...alone } = thread;
  const ids = new Set(thread.comments.map((comment) => comment.id));
  const here = (parentId: string | null) => parentId === null || ids.has(parentId);
  if (thread.comments.every((comment) => here(comment.parentId))) return alone;
  return {
    ...alone,
    comments: thread.comments.map((comment) => (here(comment.parentId) ? comment : { ...comment, parentId: null })),
  };
}
