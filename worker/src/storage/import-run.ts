/**
 * Writing imported threads: each thread is merged into its page's imported document (one write), its pending
 * comments filed for moderation, and its page rebuilt (snapshot + count), one thread at a time, while today's
 * KV writes allow. What does not fit waits in the import queue for the cron after 00:00 UTC. A thread is complete
 * or not visible: its document is written whole, and only the rebuild that follows makes it public.
 */
import type { ImportThreadResult } from '@sala/protocol';
import { isDailyLimitError } from '../domain/daily-limit.js';
import type { PreparedThread } from '../domain/import-input.js';
import { mergeImport } from '../domain/imported-thread.js';
import type { UsageTally } from '../domain/usage.js';
import { ClosedThreads } from './closed-threads.js';
import { ImportQueue } from './import-queue.js';
import { ImportedThreads } from './imported-threads.js';
import { pageRef } from './keys.js';
import { ModerationQueue } from './moderation-queue.js';
import { configuredSites } from './sites.js';
import { scheduleRebuild } from './thread-rebuild.js';
import { ThreadStore } from './threads.js';
import { todaysUsage } from './usage.js';

/**
 * Imports write only while today's estimated KV writes (and lists) stay under this: 600 of the free plan's 1,000
 * leaves 400 for readers' comments, moderation and view batches that day (a blog with 50 comments a day spends
 * about 300 on comments), and covers the estimate's undercount (it sees 82-92% of the real use). The
 * IMPORT_DAILY_LIMIT var changes it (a paid plan has no daily limit).
 */
export const IMPORT_DAILY_LIMIT = 600;

/** Cron runs from 00:00 UTC for this many hours resume queued imports; later runs only cost a list() if they did. */
export const RESUME_HOURS = 2;

/** Threads one cron run writes: about 10 KV operations each, beside the cron's other work in 1,000. */
export const THREADS_PER_RUN = 20;

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
  /** One per thread given, in order; threads that did not fit are `queued`. */
  results: ImportThreadResult[];
  /** The threads not written, in order: the caller queues them. */
  unwritten: PreparedThread[];
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
 * owner's order. A thread whose document was written but whose rebuild failed is left unwritten too: written again
 * it adds nothing, and its rebuild then makes it visible. With `dryRun`, only reads: each thread's outcome is what
 * the import would be (`imported` with the comments it would add, or `unchanged`), whatever today's budget.
 */
export async function importThreads(
  kv: KVNamespace,
  site: string,
  threads: PreparedThread[],
  todaysBudget: BudgetSource,
  now = new Date(),
  { dryRun = false }: { dryRun?: boolean } = {},
): Promise<ImportRun> {
  const documents = new ImportedThreads(kv);
  const snapshots = new ThreadStore(kv);
  const index = new ModerationQueue(kv);
  const results: ImportThreadResult[] = [];

  for (let i = 0; i < threads.length; i++) {
    const thread = threads[i]!;
    const page = await pageRef(site, thread.pageId);
    const [existing, snapshot] = await Promise.all([documents.read(page), snapshots.read(page)]);
    const merge = mergeImport(existing, thread, now);
    const closeNow = thread.closed && merge.firstImport;
    // An earlier import of this thread whose rebuild never landed is not visible yet: rebuild it now.
    const behind = existing !== null && snapshot?.importedAt !== existing.updatedAt;
    if (merge.next === null && !closeNow && !behind) {
      results.push({ pageId: thread.pageId, outcome: 'unchanged', added: 0 });
      continue;
    }

    if (dryRun) {
      // What the import would do today, budget aside: nothing is written, not even the queue.
      results.push({ pageId: thread.pageId, outcome: 'imported', added: merge.added.length });
      continue;
    }

    const held = merge.added.filter((comment) => comment.status === 'pending');
    // Upper bound: the rebuild skips the count's write when the count did not change.
    const writes = (merge.next ? 1 : 0) + held.length + (closeNow ? 1 : 0) + 2;
    const unwritten = (): ImportRun => ({
      results: [
        ...results,
        // Nothing of them is added yet: the cron adds them later.
        ...threads.slice(i).map((rest) => ({ pageId: rest.pageId, outcome: 'queued' as const, added: 0 })),
      ],
      unwritten: threads.slice(i),
    });
    const budget = await todaysBudget();
    if (writes > budget.writes || budget.lists < 1) return unwritten();

    try {
      // Index entries first, as storage/changes.ts saves a comment: an entry whose comment is not there yet is
      // skipped and dropped by the admin list, while a held comment without an entry would never reach the queue.
      for (const comment of held) await index.file(page, comment);
      if (merge.next !== null) await documents.write(page, merge.next);
      if (closeNow) {
        const closedAt = thread.closedAt !== undefined ? new Date(thread.closedAt) : now;
        await new ClosedThreads(kv).close(page, thread.pageId, thread.pageUrl ?? null, closedAt);
      }
    } catch (error) {
      if (isDailyLimitError(error)) return unwritten();
      throw error;
    }
    budget.writes -= writes;
    budget.lists -= 1;
    if (!(await scheduleRebuild(kv, page))) return unwritten();
    results.push({ pageId: thread.pageId, outcome: 'imported', added: merge.added.length });
  }
  return { results, unwritten: [] };
}

export interface ResumeReport {
  site: string;
  imported: number;
  unchanged: number;
  /** Threads still waiting in the queue entry this run took from. */
  left: number;
}

/**
 * The cron's part: in the first runs after 00:00 UTC, writes up to THREADS_PER_RUN threads from the oldest queued
 * import of each site (one list() per site), within the day's budget, and keeps the rest for the next run or day.
 */
export async function resumeImports(env: Env, usage: UsageTally, scheduledTime: number): Promise<ResumeReport[]> {
  if (new Date(scheduledTime).getUTCHours() >= RESUME_HOURS) return [];
  const kv = env.SALA;
  const queue = new ImportQueue(kv);
  const reports: ResumeReport[] = [];
  const budget = lazyBudget(() => importBudget(env, usage, scheduledTime));
  let room = THREADS_PER_RUN;
  for (const site of configuredSites(env)) {
    if (room === 0) break;
    const entry = await queue.oldest(site.id);
    if (entry === null) continue;
    const taken = entry.batch.threads.slice(0, room);
    const run = await importThreads(kv, site.id, taken, budget, new Date(scheduledTime));
    const rest = [...run.unwritten, ...entry.batch.threads.slice(taken.length)];
    if (rest.length !== entry.batch.threads.length) await queue.keepRest(entry, rest);
    room -= taken.length;
    reports.push({
      site: site.id,
      imported: run.results.filter((result) => result.outcome === 'imported').length,
      unchanged: run.results.filter((result) => result.outcome === 'unchanged').length,
      left: rest.length,
    });
    if (run.unwritten.length > 0) break; // the day's budget is spent
  }
  return reports;
}
