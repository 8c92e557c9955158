/**
 * Writing imported threads: each thread is merged into its page's imported document (one write), its pending
 * comments filed for moderation, and its page's snapshot and count written, one thread at a time, while today's
 * KV writes allow. What does not fit waits in the import queue for the cron after 00:00 UTC, while the day's queue
 * allowance lasts; past it, a thread is paused: nothing of it is written, and the Import tab sends it again after
 * 00:00 UTC. A thread is complete or not visible: its document is written whole, and only the snapshot written
 * after it makes it public.
 */
import { LIMITS, PAGE_ID_MAX, type ImportShortage, type ImportThreadResult } from '@sala/protocol';
import { cronRun } from '../domain/cron-schedule.js';
import { dailyLimitResetAt, isDailyLimitError } from '../domain/daily-limit.js';
import { mergeImport, type ImportedThread, type ImportRunMark } from '../domain/imported-thread.js';
import {
  commentCount,
  commentIds,
  hasPending,
  publishPrebuilt,
  storedComments,
  toPrepared,
  type PrebuiltThread,
} from '../domain/prebuilt-thread.js';
import type { UsageTally } from '../domain/usage.js';
import { ClosedThreads } from './closed-threads.js';
import { DirtyPages } from './dirty-pages.js';
import { ImportQueue, type QueueHolds } from './import-queue.js';
import { endsOf, ImportedElsewhere, ImportedThreads, type StoredDocument } from './imported-threads.js';
import { commentKey, commentPrefix, pageRef, type PageRef } from './keys.js';
import { ModerationQueue } from './moderation-queue.js';
import { configuredSites } from './sites.js';
import { scheduleRebuild } from './thread-rebuild.js';
import { joinedPartCount, SNAPSHOT_SPLIT, ThreadStore } from './threads.js';
import { todaysUsage } from './usage.js';

/**
 * Imports write only while today's estimated KV writes (and lists) stay under this: 600 of the free plan's 1,000
 * leaves 400 for readers' comments, moderation and view batches that day (a blog with 50 comments a day spends
 * about 300 on comments), and covers the estimate's undercount (it sees 82-92% of the real use). The
 * IMPORT_DAILY_LIMIT var changes it (a paid plan has no daily limit).
 */
export const IMPORT_DAILY_LIMIT = 600;

/**
 * Writes an import may make past IMPORT_DAILY_LIMIT in a day: one per thread queued, one per part of a post staged.
 * Past it, a thread is `paused` and nothing of it is written, so however large the file, an import day's estimated
 * writes stay under the limit plus this (650 of 1,000 by default). 50 queue entries are a few requests' worth: the
 * Import tab stops at the first paused answer and sends the rest itself after 00:00 UTC.
 */
export const IMPORT_QUEUE_ALLOWANCE = 50;

/** Cron runs from 00:00 UTC for this many hours resume queued imports; later runs only cost a list() if they did. */
export const RESUME_HOURS = 2;

/** Threads one cron run writes: about 10 KV operations each, beside the cron's other work in 1,000. */
export const THREADS_PER_RUN = 20;

/**
 * Comments one cron run publishes (past its first thread, which it takes whatever its size): about two requests'
 * worth, so a run stays within the free plan's 10 ms beside the cron's other work (import bench: max 8 ms). Raising
 * it drains a big queue in fewer nights at a higher cost per run.
 */
export const COMMENTS_PER_RUN = 100;

/** Keys one bulk KV read takes. */
const BULK_READ_KEYS = 100;

/** What the import may still spend today, as estimated; each thread takes its share before it is written. */
export interface ImportBudget {
  writes: number;
  lists: number;
}

/** Today's budget, read (two list() calls per site) only once a thread has something to write. */
export type BudgetSource = () => Promise<ImportBudget>;

/** `read` called at most once, when first needed: an import that writes nothing lists nothing either. */
export function lazyBudget(read: BudgetSource): BudgetSource {
  let budget: Promise<ImportBudget> | null = null;
  return () => (budget ??= read());
}

export interface ImportRun {
  /** One per thread given, in order; threads that did not fit are `queued` (the caller queues or pauses them). */
  results: ImportThreadResult[];
  /** The threads not written, in order: the caller queues them. */
  unwritten: PrebuiltThread[];
  /** With unwritten threads: what today's budget (or KV's daily limit) ran out of. */
  shortage?: ImportShortage;
  /**
   * The threads whose page had no imported document when it was read for them (written or not): no head of a split
   * document, nor a snapshot's head written from one, named anything of the page then (import-steps.ts).
   */
  documentless: Set<PrebuiltThread>;
}

/**
 * Spends one write past what the budget's threads need (a queue entry, a staged part) when the day's allowance has
 * it: false, and nothing spent, once the budget and IMPORT_QUEUE_ALLOWANCE are used up.
 */
export function takeQueueWrite(budget: ImportBudget): boolean {
  if (!hasQueueRoom(budget)) return false;
  budget.writes -= 1;
  return true;
}

/** Whether the budget plus IMPORT_QUEUE_ALLOWANCE has `writes` writes left (a queue entry, a post's staged parts). */
export function hasQueueRoom(budget: ImportBudget, writes = 1): boolean {
  return budget.writes + IMPORT_QUEUE_ALLOWANCE >= writes;
}

/**
 * The writes a queued thread takes when the cron publishes it alone (import-run's formula: document, count, snapshot,
 * the closing, an index entry per pending comment, and a split snapshot's values, estimated from its shown bytes:
 * two per 64 KiB once past 128 KiB). Kept in its queue entry's metadata, so GET /import can say when it fits.
 */
export function queuedThreadWrites(thread: PrebuiltThread): number {
  const pending = thread.entries.filter((entry) => entry.status === 'pending').length;
  const shown = thread.shown.reduce((sum, run) => sum + run.length, 0);
  const split = shown > SNAPSHOT_SPLIT.tailChars ? 2 * Math.ceil(shown / SNAPSHOT_SPLIT.partChars) : 0;
  return 3 + pending + (thread.closed ? 1 : 0) + split;
}

/** What stops a thread needing `writes` writes and one list: null when the budget has room for both. */
function shortageOf(budget: ImportBudget, writes: number): ImportShortage | null {
  if (writes > budget.writes) return 'writes';
  return budget.lists < 1 ? 'lists' : null;
}

/** When queued threads are written, and what they wait for when it is today's budget (GET /import tells the owner). */
export interface ImportWait {
  resumesAt: Date;
  queuedFor?: ImportShortage;
}

/**
 * With too few of today's writes or lists left for the next queued thread (`needs`: the writes it takes, as
 * `queuedThreadWrites` says), the next 00:00 UTC; with room for it, the next cron run that resumes imports (one with
 * imports in the first RESUME_HOURS after 00:00, cron-schedule.ts), which is 00:00 again after them.
 */
export function importWait(budget: ImportBudget, now: number, needs: number): ImportWait {
  const midnight = dailyLimitResetAt(now);
  const shortage = shortageOf(budget, needs);
  if (shortage !== null) return { resumesAt: midnight, queuedFor: shortage };
  const step = 10 * 60_000;
  for (let run = Math.floor(now / step) * step + step; run < midnight.getTime(); run += step) {
    if (new Date(run).getUTCHours() < RESUME_HOURS && cronRun(run).imports) return { resumesAt: new Date(run) };
  }
  return { resumesAt: midnight };
}

/** What KV's own daily limit refused: its message names the operation (`KV list() limit exceeded for the day.`). */
function limitShortage(error: Error): ImportShortage {
  return /\blist\(\)/i.test(error.message) ? 'lists' : 'writes';
}

export function importDailyLimit(env: Env): number {
  const raw = env.IMPORT_DAILY_LIMIT;
  return raw !== undefined && /^\d{1,9}$/.test(raw.trim()) ? Number(raw.trim()) : IMPORT_DAILY_LIMIT;
}

/** Today's room for imports: the limit less today's estimated use (two list() calls per site, storage/usage.ts). */
export async function importBudget(env: Env, usage: UsageTally, now: number): Promise<ImportBudget> {
  const sites = configuredSites(env).map((site) => site.id);
  const today = await todaysUsage(env.SALA, sites, usage.peek(now), now);
  const limit = importDailyLimit(env);
  return { writes: limit - today.kvWrites.used, lists: limit - today.kvLists.used };
}

/**
 * Writes `threads` in order while today's budget lasts (it is spent as they are written). The first thread that does not
 * fit, or meets the daily limit on the way, and every one after it, is left unwritten, so the queue keeps the
 * owner's order. A thread whose document was written but whose snapshot was not is left unwritten too: written again
 * it adds nothing, and its rebuild then makes it visible. With `dryRun`, only reads: each thread's outcome is what
 * the import would be (`imported` with the comments it would add, or `unchanged`), whatever today's budget.
 *
 * A page that has nothing yet (no imported document, no comment key: one read and a list of one key) is published
 * from the thread's prebuilt pieces, joined: document, a split snapshot's parts, count and head, the snapshot exactly
 * what the rebuild would build, with no comment parsed or mapped again. Any other page (imported before, or with
 * readers' comments) goes through the merge and the rebuild, the snapshot's one writer.
 *
 * With `queueHolds` (a request's, never the cron's, which publishes the queue), a thread that would be written but
 * waits in the import queue exactly as given is `queued`, in a dry run too: nothing written, no budget spent, and the
 * cron publishes it. A thread that is unchanged is so without the queue being listed.
 *
 * With `run` (`ImportRequest.run`), each document written says so, with the comments it added; a thread of that
 * document sent again by the same run, with nothing new, is answered as the first time (`imported`, those comments),
 * since the client never had that answer (it sends a batch again only when the first answer was lost).
 *
 * With `piecesDigest` (a request's: import-stage.ts `publishedDigest`; the cron's: the queue entry's), a post in parts is published
 * alone with its parts' digest in its document's metadata, and a document with it is known as that post's by it, not
 * by comparing MBs (`publishedAloneAt`).
 */
export async function importThreads(
  kv: KVNamespace,
  site: string,
  threads: PrebuiltThread[],
  todaysBudget: BudgetSource,
  now = new Date(),
  {
    dryRun = false,
    keptIds = true,
    queueHolds = async () => false,
    run,
    piecesDigest = async () => undefined,
  }: {
    dryRun?: boolean;
    /** The import run the request belongs to (`ImportRequest.run`); the cron's writes belong to none. */
    run?: string;
    queueHolds?: QueueHolds;
    /** What a post assembled from staged parts is known by (import-stage.ts `publishedDigest`); undefined otherwise. */
    piecesDigest?: (thread: PrebuiltThread) => Promise<string | undefined>;
    /**
     * Whether the comments may keep ids from the file (a Sala export), so some may have been posted on the page here;
     * false for other sources, whose ids are derived from the source's (comment-id.ts) and so are never a posted
     * comment's: no read for them (30 bulk reads at 3,000 comments). One for all threads, or one per thread (the
     * cron's, from each queue entry).
     */
    keptIds?: boolean | readonly boolean[];
  } = {},
): Promise<ImportRun> {
  const documents = new ImportedThreads(kv);
  const snapshots = new ThreadStore(kv);
  const index = new ModerationQueue(kv);
  const results: ImportThreadResult[] = [];
  const documentless = new Set<PrebuiltThread>();
  const elsewhere = new ImportedElsewhere(kv, site);
  // Before the first big post's rebuild, one mark naming the big posts' pages from there on (a write): a count written
  // ahead of its snapshot by an invocation cut between the two is then found and put right by the cron's repair
  // (storage/repair.ts). Only posts bigger than a request takes (sent in parts) that go through the merge: their
  // rebuild writes the count, then works out and writes the snapshot's parts, then its head, and their last part is
  // the request that may run out of CPU time there. A post published alone takes none: its count is put between its
  // snapshot's parts and its head (`publishAlone`), so the two puts follow each other, as a whole thread's do.
  let marked = dryRun;
  const mark: ImportMarker = {
    writes: (thread) => (marked || !isBigPost(thread) ? 0 : 1),
    async write(from) {
      if (marked || !isBigPost(threads[from]!)) return;
      const big = threads.slice(from).filter(isBigPost);
      const pages = await Promise.all(big.map(async (rest) => (await pageRef(site, rest.pageId)).pageHash));
      await new DirtyPages(kv).markImport(site, { importedAt: now.toISOString(), pages });
      marked = true;
    },
  };

  for (let i = 0; i < threads.length; i++) {
    const thread = threads[i]!;
    const page = await pageRef(site, thread.pageId);
    // Its comments imported at another address already (the file's addresses rewritten otherwise since): they stay.
    let moved: { pageId: string; ids: Set<string> } | null = null;
    const push = (result: ImportThreadResult): void => {
      results.push(moved ? { ...result, elsewhere: { pageId: moved.pageId, comments: moved.ids.size } } : result);
    };
    const unwritten = (shortage: ImportShortage): ImportRun => ({
      shortage,
      documentless,
      results: [
        ...results,
        // Nothing of them is added yet: the cron adds them later.
        ...threads.slice(i).map((rest) => ({ pageId: rest.pageId, outcome: 'queued' as const, added: 0 })),
      ],
      unwritten: threads.slice(i),
    });
    // As bytes: parsed below, unless it is this thread published alone and stopped before its snapshot.
    const document = await documents.readStored(page);
    const stored = document?.bytes ?? null;
    if (stored === null) documentless.add(thread);
    // A first import of nothing, not closed: nothing to write (mergeImport would say the same).
    if (stored === null && commentCount(thread) === 0 && !thread.closed) {
      push({ pageId: thread.pageId, outcome: 'unchanged', added: 0 });
      continue;
    }
    const kept = typeof keptIds === 'boolean' ? keptIds : (keptIds[i] ?? true);
    const posted = kept ? await postedHere(kv, page, thread) : new Set<string>();
    if (stored === null) {
      moved = await elsewhere.of(page, commentIds(thread));
      for (const id of moved?.ids ?? []) posted.add(id);
    }
    if (await isHereAlready(kv, page, thread, posted, stored !== null)) {
      push({ pageId: thread.pageId, outcome: 'unchanged', added: 0 });
      continue;
    }
    // Sent again before the cron published it: it waits already (a changed thread is queued again, or paused).
    const waiting = { pageId: thread.pageId, outcome: 'queued' as const, added: 0 };
    if (stored === null && (await queueHolds(thread))) {
      push(waiting);
      continue;
    }
    if (stored === null && dryRun) {
      push({ pageId: thread.pageId, outcome: 'imported', added: commentCount(thread) - posted.size });
      continue;
    }
    const alone = stored === null && posted.size === 0 && !(await hasCommentKeys(kv, page));
    if (alone) {
      const outcome = await publishAlone(kv, page, thread, todaysBudget, now, {
        run,
        pieces: await piecesDigest(thread),
      });
      if (outcome !== 'published') return unwritten(outcome);
      push({ pageId: thread.pageId, outcome: 'imported', added: commentCount(thread) });
      continue;
    }

    const snapshot = await snapshots.readFields(page);
    const piecesOf = () => piecesDigest(thread);
    // Published alone from these very parts and shown as of that document: answered as the merge answers, its MBs
    // never parsed (a request answers it earlier still, before the parts are read: `answerOfPublished`).
    const known = snapshot === null ? null : await answerAsPublished(document, snapshot.importedAt, piecesOf, run);
    if (known !== null) {
      push({ pageId: thread.pageId, ...known });
      continue;
    }
    // Published alone, then stopped after its document (on the free plan, out of CPU time): nothing of it shows, and
    // the pieces publish it again at about the last part's cost, where the merge and a rebuild from the document map
    // and parse every comment again.
    if (snapshot === null && !dryRun && posted.size === 0 && document !== null) {
      const pieces = await piecesDigest(thread);
      const published = publishedAloneAt(document, thread, pieces);
      // Waiting in the queue (its rebuild met KV's daily limit), it is answered so below and published by the cron.
      if (published !== null && !(await hasCommentKeys(kv, page)) && !(await queueHolds(thread))) {
        // Written by this run (or both by none), the document stays as it is: the rest is published as of its time.
        const there = published.run === run ? published.at : undefined;
        const outcome = await publishAlone(kv, page, thread, todaysBudget, now, { run, pieces, documentAt: there });
        if (outcome !== 'published') return unwritten(outcome);
        push({ pageId: thread.pageId, outcome: 'imported', added: commentCount(thread) });
        continue;
      }
    }
    const existing = stored === null ? null : (JSON.parse(decoder.decode(stored)) as ImportedThread);
    const whole = toPrepared(thread);
    const prepared = { ...whole, comments: whole.comments.filter((comment) => !posted.has(comment.id)) };
    let merge = mergeImport(existing, prepared, now, run);
    // New to this page's document: imported at another address already, they stay there.
    if (existing !== null && merge.added.length > 0) {
      moved = await elsewhere.of(
        page,
        merge.added.map((comment) => comment.id),
      );
      const away = moved?.ids;
      if (away)
        merge = mergeImport(
          existing,
          { ...prepared, comments: prepared.comments.filter((c) => !away.has(c.id)) },
          now,
          run,
        );
    }
    const closeNow = thread.closed && merge.firstImport;
    // An earlier import of this thread whose rebuild never landed is not visible yet: rebuild it now.
    const behind = existing !== null && snapshot?.importedAt !== existing.updatedAt;
    // This run wrote the document, and its answer was lost: the thread is answered as then.
    const again =
      merge.next === null && run !== undefined && existing?.importRun?.id === run ? existing.importRun : null;
    if (merge.next === null && !closeNow && !behind) {
      push({ pageId: thread.pageId, ...(again ? { outcome: 'imported', added: again.added } : UNCHANGED) });
      continue;
    }
    if (existing !== null && (await queueHolds(thread))) {
      push(waiting);
      continue;
    }

    if (dryRun) {
      // What the import would do today, budget aside: nothing is written, not even the queue.
      push({ pageId: thread.pageId, outcome: 'imported', added: merge.added.length });
      continue;
    }

    const held = merge.added.filter((comment) => comment.status === 'pending');
    // Upper bound: the rebuild skips the count's write when the count did not change.
    const writes = (merge.next ? 1 : 0) + held.length + (closeNow ? 1 : 0) + 2 + mark.writes(thread);
    const budget = await todaysBudget();
    const shortage = shortageOf(budget, writes);
    if (shortage !== null) return unwritten(shortage);

    try {
      await mark.write(i);
      // Index entries first, as storage/changes.ts saves a comment: an entry whose comment is not there yet is
      // skipped and dropped by the admin list, while a held comment without an entry would never reach the queue.
      for (const comment of held) await index.file(page, comment);
      if (merge.next !== null) await documents.write(page, merge.next);
      if (closeNow) await closeThread(kv, page, thread, now);
    } catch (error) {
      if (isDailyLimitError(error)) return unwritten(limitShortage(error as Error));
      throw error;
    }
    budget.writes -= writes;
    budget.lists -= 1;
    // The rebuild's own failure does not say why; it is mostly its writes (the count and the snapshot).
    if (!(await scheduleRebuild(kv, page))) return unwritten('writes');
    push({ pageId: thread.pageId, outcome: 'imported', added: merge.added.length + (again?.added ?? 0) });
  }
  return { results, unwritten: [], documentless };
}

const decoder = new TextDecoder();

const UNCHANGED = { outcome: 'unchanged', added: 0 } as const;

/** The import's mark (`DirtyPages.markImport`), written once before its first big post's merge and rebuild. */
interface ImportMarker {
  /** The write it takes before `thread`'s: 1 for a big post until written. */
  writes(thread: PrebuiltThread): number;
  /** Before the writes of `threads[from]`: writes it if that is a big post, naming the big posts from there on. */
  write(from: number): Promise<void>;
}

/** A post of more comments than one request takes: sent in parts, published by its last part. */
function isBigPost(thread: PrebuiltThread): boolean {
  return commentCount(thread) > LIMITS.importComments;
}

/** What the merge answers a thread that adds nothing: `unchanged`, or as first answered to the run sending it again. */
export type PublishedAnswer = Pick<ImportThreadResult, 'outcome' | 'added'>;

/**
 * The merge's answer for a post in parts whose document was published alone from these very parts (its metadata keeps
 * their digest, `pieces`, which any later put drops) and is the one the snapshot shows (its head's time is the
 * snapshot's `importedAt`, not an earlier document whose rebuild never landed): the merge would add nothing (the digest
 * covers every part's bytes; what changed since lives in keys of its own), so it is `unchanged`, or, sent again by the
 * run that published it, `imported` with the comments the head says that write added. Null when it is not known so:
 * the merge's path answers then. `pieces` is asked last, once the document and snapshot could be that post's.
 */
async function answerAsPublished(
  document: StoredDocument | null,
  importedAt: string | undefined,
  pieces: () => Promise<string | undefined>,
  run: string | undefined,
): Promise<PublishedAnswer | null> {
  if (document?.pieces === undefined) return null;
  const head = headOf(document.bytes);
  if (head === null || head.updatedAt !== importedAt || document.pieces !== (await pieces())) return null;
  const again = run !== undefined && head.run?.id === run ? head.run : null;
  return again ? { outcome: 'imported', added: again.added } : UNCHANGED;
}

/**
 * `answerAsPublished` for a post in parts whose last part a request brings, worked out before its parts are read or
 * joined, from the document's head and metadata (one read, its MBs not taken in), the snapshot's fields and then
 * `pieces` (the parts' digests from their keys' metadata). importThreads gives the same answer when the post is the
 * first thread it takes (no thread before it can leave it unwritten): its document is there, so nothing before that
 * check answers it but `isHereAlready`, every comment posted here (a Sala export's, `keptIds`; each edited by the owner
 * keeps a key), which answers `unchanged` too, but for the run that published it, whose answer is left to it.
 */
export async function answerOfPublished(
  kv: KVNamespace,
  page: PageRef,
  pieces: () => Promise<string | undefined>,
  { run, keptIds }: { run: string | undefined; keptIds: boolean },
): Promise<PublishedAnswer | null> {
  const document = await new ImportedThreads(kv).readHead(page, HEAD_BYTES);
  if (document?.pieces === undefined) return null;
  const snapshot = await new ThreadStore(kv).readFields(page);
  if (snapshot === null) return null;
  const answer = await answerAsPublished(document, snapshot.importedAt, pieces, run);
  return keptIds && answer?.outcome === 'imported' ? null : answer;
}

/** When a document was published alone, and by which import run (`ImportRequest.run`), as its head says. */
interface PublishedAt {
  at: Date;
  run?: string;
}

/**
 * When the imported document is the one `publishAlone` writes for the thread, its time and import run (taken from its
 * head); else null. It is when published from the same parts (`pieces`, their digest, the same as its metadata's), or
 * else (written by the version before digests, or a whole thread's) when it has the same bytes as that time and run
 * give. Compared as bytes, not parsed: a big post's document is MBs.
 */
function publishedAloneAt(
  document: StoredDocument,
  thread: PrebuiltThread,
  pieces: string | undefined,
): PublishedAt | null {
  const stored = document.bytes;
  const head = headOf(stored);
  if (head === null) return null;
  const run = head.run?.id;
  const at = new Date(head.updatedAt);
  const published: PublishedAt = run === undefined ? { at } : { at, run };
  if (pieces !== undefined && document.pieces === pieces) return published;
  let offset = 0;
  for (const chunk of publishPrebuilt(thread, published.at, false, run).document) {
    if (offset + chunk.length > stored.length) return null;
    // Natively (workerd's extension), chunk by chunk: a JS loop over a big post's 2 MB took 4 to 5 ms.
    if (!crypto.subtle.timingSafeEqual(stored.subarray(offset, offset + chunk.length), chunk)) return null;
    offset += chunk.length;
  }
  return offset === stored.length ? published : null;
}

/**
 * The bytes of a document its head is read from: past the longest page id (6 bytes a character at most as JSON), so
 * the run after it is never cut off.
 */
const HEAD_BYTES = PAGE_ID_MAX * 6 + 1024;

/** A document's time and import run (`ImportedThread.updatedAt`, `importRun`), read from its head; null without a time. */
function headOf(stored: Uint8Array): { updatedAt: string; run?: ImportRunMark } | null {
  const head = decoder.decode(stored.subarray(0, HEAD_BYTES));
  const updatedAt = /"updatedAt":"([^"]{1,40})"/.exec(head)?.[1];
  const time = updatedAt === undefined ? NaN : Date.parse(updatedAt);
  if (!Number.isFinite(time) || new Date(time).toISOString() !== updatedAt) return null;
  const run =
    /^\{"pageId":"(?:[^"\\]|\\.)*","updatedAt":"[^"]*","importRun":\{"id":"([\w-]{1,64})","added":(\d{1,9})\}/.exec(
      head,
    );
  return run ? { updatedAt, run: { id: run[1]!, added: Number(run[2]) } } : { updatedAt };
}

/** Whether readers (or the owner) have commented on the page in Sala: one list() of at most one key. */
async function hasCommentKeys(kv: KVNamespace, page: PageRef): Promise<boolean> {
  const listed = await kv.list({ prefix: commentPrefix(page), limit: 1 });
  return listed.keys.length > 0;
}

/**
 * The thread's comments that were posted on this page in Sala (a Sala export keeps their ids): one bulk read per 100.
 * They are already here, as comment keys the import never writes.
 */
async function postedHere(kv: KVNamespace, page: PageRef, thread: PrebuiltThread): Promise<Set<string>> {
  const posted = new Set<string>();
  for (let i = 0; i < thread.entries.length; i += BULK_READ_KEYS) {
    const ids = thread.entries.slice(i, i + BULK_READ_KEYS).map((entry) => entry.id);
    const values = await kv.get(
      ids.map((id) => commentKey(page, id)),
      'text',
    );
    for (const id of ids) if (values.get(commentKey(page, id)) != null) posted.add(id);
  }
  return posted;
}

/**
 * Whether the thread is this site's own (its export imported into it again): every comment was posted here, so the
 * site's open or closed state stands too; or, without comments, a first import closing a page closed here already.
 */
async function isHereAlready(
  kv: KVNamespace,
  page: PageRef,
  thread: PrebuiltThread,
  posted: Set<string>,
  documentThere: boolean,
): Promise<boolean> {
  if (commentCount(thread) > 0) return posted.size === commentCount(thread);
  return !documentThere && thread.closed && (await new ClosedThreads(kv).get(page)) !== null;
}

async function closeThread(kv: KVNamespace, page: PageRef, thread: PrebuiltThread, now: Date): Promise<void> {
  const closedAt = thread.closedAt !== undefined ? new Date(thread.closedAt) : now;
  await new ClosedThreads(kv).close(page, thread.pageId, thread.pageUrl ?? null, closedAt);
}

/**
 * Publishes a thread on a page that has nothing else: its first import and no comment key, so no owner decision
 * either (or its document only, which a cut invocation wrote: then the rest). Same writes as the rebuild path
 * (pending comments' index entries, document, closing, count, snapshot) in the same order, the document before what
 * makes it public, but for a split snapshot's parts, put before the count (nothing shows them before the head); what
 * ran short when today's budget or KV's daily limit stops it (a document already written then is published by the
 * rebuild when the thread comes again).
 */
async function publishAlone(
  kv: KVNamespace,
  page: PageRef,
  thread: PrebuiltThread,
  todaysBudget: BudgetSource,
  now: Date,
  {
    run,
    pieces,
    documentAt,
  }: {
    run?: string | undefined;
    /** Kept with the document: a post's parts' digest (`StoredDocument.pieces`). */
    pieces?: string | undefined;
    /**
     * The document this writes is there already, written at this time (an invocation cut after it): not written
     * again, and the snapshot and count say that time, as the rebuild checks (`ThreadSnapshot.importedAt`).
     */
    documentAt?: Date | undefined;
  },
): Promise<'published' | ImportShortage> {
  // Pending comments reach the owner's queue through an index entry each: they are read back for it, when there are any.
  const pending = hasPending(thread);
  const held = pending ? storedComments(thread).filter((comment) => comment.status === 'pending') : [];
  // Closed before its first comment (the owner closed the page in Sala): the snapshot says so too.
  const closed = thread.closed || (await new ClosedThreads(kv).get(page)) !== null;
  const published = publishPrebuilt(thread, documentAt ?? now, closed, run);
  // A big thread's snapshot is written in parts besides its head (storage/threads.ts).
  const document = documentAt === undefined ? 1 : 0;
  const writes = document + held.length + (thread.closed ? 1 : 0) + 2 + joinedPartCount(published.snapshot);
  const budget = await todaysBudget();
  const shortage = shortageOf(budget, writes);
  if (shortage !== null) return shortage;
  const snapshots = new ThreadStore(kv);
  try {
    const index = new ModerationQueue(kv);
    for (const comment of held) await index.file(page, comment);
    if (document > 0) {
      const ends = endsOf(commentIds(thread));
      await new ImportedThreads(kv).writeJson(page, published.document, { pieces, ends });
    }
    if (thread.closed) await closeThread(kv, page, thread, now);
    // The count before the snapshot's head, as the rebuild (a snapshot whose count is missing would never be put right
    // by a rebuild, which finds the thread unchanged), but after the split snapshot's parts, which show nothing without
    // the head: the work and the writes of a big post's snapshot come before the count, where an invocation stopped
    // (out of CPU time) leaves nothing shown and nothing counted, and the head's put follows the count's.
    await snapshots.writeJoined(page, published.snapshot, now.getTime(), () =>
      snapshots.writeCount(page, published.total, published.countMetadata, thread.pageId),
    );
  } catch (error) {
    if (isDailyLimitError(error)) return limitShortage(error as Error);
    throw error;
  }
  budget.writes -= writes;
  budget.lists -= 1;
  return 'published';
}

export interface ResumeReport {
  site: string;
  imported: number;
  unchanged: number;
  /** Threads this run took but could not write (today's budget): still queued. */
  left: number;
}

/**
 * The cron's part: in the first runs after 00:00 UTC, publishes the oldest queued threads of each site (big posts
 * after the rest, `ImportQueue.oldest`; one list() per site, up to THREADS_PER_RUN threads and COMMENTS_PER_RUN
 * comments a run), within the day's budget, deleting each queue key once its thread is written; the rest waits for
 * the next run or day. Each thread is published as a
 * request publishes it (importThreads), so a run's CPU is bounded by what it takes, not by what waits.
 */
export async function resumeImports(env: Env, usage: UsageTally, scheduledTime: number): Promise<ResumeReport[]> {
  if (new Date(scheduledTime).getUTCHours() >= RESUME_HOURS) return [];
  const kv = env.SALA;
  const queue = new ImportQueue(kv);
  const reports: ResumeReport[] = [];
  const budget = lazyBudget(() => importBudget(env, usage, scheduledTime));
  let room = THREADS_PER_RUN;
  for (const site of configuredSites(env)) {
    if (room <= 0) break;
    const entries = await queue.oldest(site.id, { threads: room, comments: COMMENTS_PER_RUN });
    if (entries.length === 0) continue;
    const taken = entries.flatMap((entry) => entry.threads);
    const keptIds = entries.flatMap((entry) => entry.threads.map(() => entry.keptIds));
    // A queued post in parts keeps its parts' digest with the document, as the request that publishes one does.
    const pieces = new Map(entries.map((entry) => [entry.threads[0]!, entry.pieces]));
    const run = await importThreads(kv, site.id, taken, budget, new Date(scheduledTime), {
      keptIds,
      piecesDigest: async (thread) => pieces.get(thread),
    });
    // Threads are written in order: an entry goes once all of its are (a re-run of a written one changes nothing).
    let written = taken.length - run.unwritten.length;
    for (const entry of entries) {
      if (written < entry.threads.length) break;
      written -= entry.threads.length;
      await queue.remove(entry);
    }
    room -= taken.length;
    reports.push({
      site: site.id,
      imported: run.results.filter((result) => result.outcome === 'imported').length,
      unchanged: run.results.filter((result) => result.outcome === 'unchanged').length,
      left: run.unwritten.length,
    });
    if (run.unwritten.length > 0) break; // the day's budget is spent
  }
  return reports;
}
