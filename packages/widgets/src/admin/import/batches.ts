/**
 * Splits an import plan into the requests the Worker takes: at most 50 threads, 50 comments and 1 MiB of JSON each,
 * in the plan's order. A thread too big for one request is sent in parts (`ImportThread.part`), in order, each in
 * a request of its own: the Worker stages every part before the last and shows the whole post only with the last,
 * so a reader never sees half of it, and a reply may come in a later part than its parent. Only a single comment
 * over the byte limit, or a post of more than `IMPORT_BATCH_LIMITS.parts` parts, cannot be sent and is reported.
 * Posts of more than `FREE_PLAN_POST_COMMENTS` comments go last, smallest first (see there).
 */
import {
  LIMITS,
  type ImportComment,
  type ImportRequest,
  type ImportThread,
  type ImportThreadResult,
} from '@sala/protocol';
import type { ImportPlan } from './plan.js';

/**
 * The Worker's limits per request: threads and bytes (`IMPORT_LIMITS`, worker/src/domain/import-input.ts) and
 * comments (`LIMITS.importComments`, which keeps a request within the free plan's 10 ms of CPU).
 */
export const IMPORT_BATCH_LIMITS = {
  threads: 50,
  bytes: 1024 * 1024,
  comments: LIMITS.importComments as number,
  /** Parts one post may be sent in (`IMPORT_LIMITS.parts`). */
  parts: 100,
};

export type BatchLimits = typeof IMPORT_BATCH_LIMITS;

/** Characters of an import run's id (`ImportRequest.run`), which every request of the run carries. */
const RUN_ID_LENGTH = 32;

/**
 * A new import run's id: 16 random bytes in hex, `RUN_ID_LENGTH` characters. `getRandomValues`, not `randomUUID`: an
 * admin page on plain http (a Worker reached by a LAN address) has only the former.
 */
export function newImportRun(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(RUN_ID_LENGTH / 2)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
}

export interface ImportBatch {
  request: ImportRequest;
  /** Comments in the request, for the progress line. */
  comments: number;
}

/**
 * Posts of more comments go after every other thread (`LIMITS.freePlanPostComments`): the request that publishes
 * one may run out of the free plan's CPU time, and then the rest of the blog is already imported; the preview and a
 * stopped run say why.
 */
export const FREE_PLAN_POST_COMMENTS: number = LIMITS.freePlanPostComments;

/** A thread named in the preview: its page, title and number of comments. */
export interface ThreadSize {
  pageId: string;
  title?: string;
  comments: number;
}

/** A thread that cannot be sent: one of its comments is larger than a request may be, or it needs too many parts. */
export type TooLargeThread = ThreadSize;

export interface ImportBatches {
  batches: ImportBatch[];
  tooLarge: TooLargeThread[];
  /** Posts of more than `FREE_PLAN_POST_COMMENTS` comments, sent last, in the order they are sent. */
  large: ThreadSize[];
}

function sizeOf(thread: ImportThread): ThreadSize {
  return { pageId: thread.pageId, ...(thread.title ? { title: thread.title } : {}), comments: thread.comments.length };
}

const encoder = new TextEncoder();

function jsonBytes(value: unknown): number {
  return encoder.encode(JSON.stringify(value)).length;
}

/**
 * The plan's threads in requests within `limits`, in the plan's order but for posts of more than
 * `FREE_PLAN_POST_COMMENTS` comments, which follow all the others, smallest first; `plan.extras` go with the first
 * request. Sizes are exact: a request's JSON is its empty shell (its run's id in it) plus each thread's JSON and the
 * commas between them.
 */
export function importBatches(
  plan: Pick<ImportPlan, 'source' | 'threads' | 'extras'>,
  limits: BatchLimits = IMPORT_BATCH_LIMITS,
): ImportBatches {
  const batches: ImportBatch[] = [];
  const tooLarge: TooLargeThread[] = [];
  let threads: ImportThread[] = [];
  let bytes = 0;
  let comments = 0;

  // With room for the run's id, which the request carries when sent (`newImportRun`).
  const shellBytes = () => jsonBytes({ ...shell(plan, batches.length === 0), run: 'x'.repeat(RUN_ID_LENGTH) });
  const flush = () => {
    if (threads.length === 0) return;
    batches.push({ request: { ...shell(plan, batches.length === 0), threads }, comments });
    threads = [];
    comments = 0;
  };
  const start = () => {
    flush();
    bytes = shellBytes();
  };
  start();

  const isLarge = (thread: ImportThread) => thread.comments.length > FREE_PLAN_POST_COMMENTS;
  const largeThreads = plan.threads.filter(isLarge).sort((a, b) => a.comments.length - b.comments.length);
  const large: ThreadSize[] = [];
  for (const thread of [...plan.threads.filter((thread) => !isLarge(thread)), ...largeThreads]) {
    const parts = splitThread(thread, limits.bytes - shellBytes(), limits.comments, limits.parts);
    if (!parts) {
      tooLarge.push(sizeOf(thread));
      continue;
    }
    if (isLarge(thread)) large.push(sizeOf(thread));
    for (const { part, partBytes } of parts) {
      // A page may be named once per request, so a split thread's parts go in separate requests.
      const samePage = threads.some((sent) => sent.pageId === part.pageId);
      const full =
        threads.length >= limits.threads ||
        bytes + 1 + partBytes > limits.bytes ||
        comments + part.comments.length > limits.comments;
      if (full || samePage) start();
      bytes += partBytes + (threads.length > 0 ? 1 : 0);
      threads.push(part);
      comments += part.comments.length;
    }
  }
  flush();
  return { batches, tooLarge, large };
}

/** A request without threads: the source, and the plan's extras on the first. */
function shell(plan: Pick<ImportPlan, 'source' | 'extras'>, first: boolean): ImportRequest {
  return { source: plan.source, ...(first ? plan.extras : {}), threads: [] };
}

/**
 * Posts of more comments send their last comment alone, in a last part of its own: the request that publishes the post
 * then checks and maps one comment besides joining the parts (1,000 comments: 21 ms on a new isolate against 35, in
 * turn, worker/docs/import.md), for one staged part more (a KV write). Smaller posts, most of those sent in parts, keep
 * their last part whole: their join is small, and the writes of a blog's import stay as they were.
 */
export const ONE_COMMENT_LAST_PART_OVER = 500;

/**
 * The thread itself when it fits in `room` bytes and `maxComments`; else parts of it in the thread's order, each
 * marked with its place (`part`), for a post of more than `ONE_COMMENT_LAST_PART_OVER` comments the last holding only
 * its last comment (unless that takes a part more than `maxParts`); undefined when one comment alone does not fit, or
 * more than `maxParts` are needed.
 */
function splitThread(
  thread: ImportThread,
  room: number,
  maxComments: number,
  maxParts: number,
): { part: ImportThread; partBytes: number }[] | undefined {
  const wholeBytes = jsonBytes(thread);
  if (wholeBytes <= room && thread.comments.length <= maxComments) return [{ part: thread, partBytes: wholeBytes }];
  // The widest `part` a request may carry, so every part fits once its own place is written in.
  const emptyBytes = jsonBytes({ ...thread, comments: [], part: { index: maxParts, count: maxParts } });
  const runs: ImportComment[][] = [];
  let comments: ImportComment[] = [];
  let bytes = emptyBytes;
  const createdAtOf = new Map(thread.comments.map((comment) => [comment.sourceId, comment.createdAt]));
  for (const comment of withKnownParents(thread.comments)) {
    // Counted with its parent's time, which it carries when its parent ends up in another part (`withParentTimes`).
    const parentCreatedAt = comment.parentSourceId ? createdAtOf.get(comment.parentSourceId) : undefined;
    const commentBytes = jsonBytes(parentCreatedAt ? { ...comment, parentCreatedAt } : comment) + 1;
    if (emptyBytes + commentBytes > room) return undefined;
    if (bytes + commentBytes > room || comments.length + 1 > maxComments) {
      runs.push(comments);
      comments = [];
      bytes = emptyBytes;
    }
    comments.push(comment);
    bytes += commentBytes;
  }
  if (comments.length > 0) runs.push(comments);
  if (runs.length > maxParts) return undefined;
  // The last part joins the post and publishes it: its own comments, checked and mapped in that request too, were a
  // third of its CPU at 1,000 comments (worker/docs/import.md), so a big post's carries one, for a write more.
  const last = runs.at(-1)!;
  const big = thread.comments.length > ONE_COMMENT_LAST_PART_OVER;
  if (big && last.length > 1 && runs.length < maxParts) runs.splice(-1, 1, last.slice(0, -1), last.slice(-1));
  return runs.map((run, index) => {
    const part: ImportThread = {
      ...thread,
      comments: withParentTimes(run, createdAtOf),
      part: { index, count: runs.length },
    };
    return { part, partBytes: jsonBytes(part) };
  });
}

/**
 * A part's comments, each reply whose parent is in another part carrying that parent's time (`parentCreatedAt`): the
 * Worker then writes the parent's id when it stages the part, and the request that publishes the post reads and joins
 * the parts rather than finding each such parent among thousands by source id.
 */
function withParentTimes(run: ImportComment[], createdAtOf: ReadonlyMap<string, string>): ImportComment[] {
  const here = new Set(run.map((comment) => comment.sourceId));
  return run.map((comment) =>
    comment.parentSourceId && !here.has(comment.parentSourceId)
      ? { ...comment, parentCreatedAt: createdAtOf.get(comment.parentSourceId)! }
      : comment,
  );
}

/**
 * A reply whose parent is not in the thread at all (the source skipped it) goes to the top level, as the Worker
 * puts it in a whole thread: in parts, the Worker would refuse a parent it finds in no part.
 */
function withKnownParents(comments: ImportComment[]): ImportComment[] {
  const ids = new Set(comments.map((comment) => comment.sourceId));
  return comments.map((comment) =>
    comment.parentSourceId && !ids.has(comment.parentSourceId) ? { ...comment, parentSourceId: null } : comment,
  );
}

/** What a run (or a dry run) did, counted by page, for the report. */
export interface ImportTally {
  /** Pages with something written. */
  imported: number;
  /** Pages where every comment was already there. */
  unchanged: number;
  /** Pages kept for the cron after 00:00 UTC. */
  queued: number;
  /** Pages the server paused at the day's writes, nothing of them kept: to be sent again after 00:00 UTC. */
  paused: number;
  /** Comments written (those of queued threads are counted when the cron writes them). */
  added: number;
}

/**
 * The Worker's per-thread results counted by page: the parts of a split thread count once, as `queued` if any
 * part waits, else `imported` if any part wrote something, else `paused` if a part is, else `unchanged`. A part
 * staged before the post's last counts nothing: the last part's result says what happened to the whole post.
 */
export function tallyResults(results: readonly ImportThreadResult[]): ImportTally {
  const byPage = new Map<string, Exclude<ImportThreadResult['outcome'], 'staged'>>();
  const rank = { unchanged: 0, paused: 1, imported: 2, queued: 3 } as const;
  let added = 0;
  for (const { pageId, outcome, added: count } of results) {
    if (outcome === 'staged') continue;
    if (outcome !== 'queued') added += count;
    const seen = byPage.get(pageId);
    if (!seen || rank[outcome] > rank[seen]) byPage.set(pageId, outcome);
  }
  const tally: ImportTally = { imported: 0, unchanged: 0, queued: 0, paused: 0, added };
  for (const outcome of byPage.values()) tally[outcome] += 1;
  return tally;
}
