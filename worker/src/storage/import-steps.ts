/**
 * A big post published in bounded requests (issues 8 and 9, worker/docs/import.md "The writer of a split imported
 * document"). For a post of more than `STEP_PARTS_OVER` parts, the request staging each part before the last also
 * writes that part's share of the published post, named by the staged part's digest (so a part sent again rewrites
 * nothing): its document part (`importedPartKey`, the stored comments' array), its snapshot part and that part's sources
 * (`threadPartKey`, the shown run and its source lines as the one-request join writes them), none of which anything
 * names yet. Its staged header holds its paging index besides its facts (`isStepPart`), all the last part reads of it.
 * The last part then reads only those headers (a stream each, cut at the first line break), checks the post, and writes
 * the three values that name the parts: the document's head, the count and the snapshot's head, in that order, so an
 * invocation cut before the snapshot's head shows nothing and counts nothing but a count no snapshot shows, and the
 * last part sent again finishes it (`answerOfPublished` knows it by its parts' digest once the snapshot's head is in).
 *
 * Everything else keeps the one-request join (`assembleParts`, import-stage.ts): a part staged without its share (by
 * the version before, by an Import tab from before `parentCreatedAt`, a part with a comment not shown as itself or
 * not in id order, a run longer than `STEP_RUN_BYTES`), parts not in id order from one to the next, a page with an
 * imported document or a comment key already (the merge), a post waiting in the import queue or whose comments were
 * imported at another address, a last part with other threads before it in its request, a dry run, and a last part
 * the day's writes cannot take (queued whole, as now). There the parts' shares are named by nothing: on a page that
 * had no document, the request that publishes the post deletes them (`retireStepValues`); otherwise they stay (see
 * worker/docs/import.md), as they do for an import abandoned before its last part.
 */
import type { ImportPart, ImportThreadResult } from '@sala/protocol';
import { countMetadataOf } from '../domain/comment-activity.js';
import { COMMENT_ID_LENGTH } from '../domain/comment-id.js';
import {
  concatBytes,
  documentOf,
  readPrebuilt,
  readStepHead,
  snapshotFieldsOf,
  type PrebuiltThread,
  type StepHead,
} from '../domain/prebuilt-thread.js';
import { ClosedThreads } from './closed-threads.js';
import type { ImportQueue } from './import-queue.js';
import type { BudgetSource } from './import-run.js';
import { ImportedElsewhere, ImportedThreads } from './imported-threads.js';
import {
  commentPrefix,
  importedPartKey,
  importedThreadKey,
  importStageKey,
  threadPartKey,
  type PageRef,
} from './keys.js';
import { ThreadStore, type WrittenRun } from './threads.js';

const encoder = new TextEncoder();
const OPEN = encoder.encode('[');
const CLOSE = encoder.encode(']');
const LINE = 0x0a;

/** The last segments of the keys of a staged part's share of its post, by the part's digest (`STAGED_DIGEST_CHARS`). */
function shareIds(digest: string): { document: string; part: string; sources: string } {
  return { document: `d${digest}`, part: `r${digest}`, sources: `s${digest}` };
}

/**
 * For a part before the last about to be staged as `value` (its digest `digest`): when it is one that writes its share
 * of the post (`isStepPart`, its header says so), writes it (three puts: its document part, its snapshot part and
 * that part's sources), before the staged value, which says they are there. How many values it wrote: 0 or 3.
 */
export async function writeStepValues(
  kv: KVNamespace,
  page: PageRef,
  value: Uint8Array,
  digest: string,
): Promise<number> {
  if (!stepsOf(value)) return 0;
  const read = readPrebuilt(value);
  const facts = read?.facts?.[0];
  if (read === null || facts == null) return 0;
  const ids = shareIds(digest);
  await kv.put(importedPartKey(page, ids.document), concatBytes([OPEN, read.stored[0]!, CLOSE]), {
    // When it was written (ms): the cron's sweep (import-sweep.ts) deletes a share no head names once no staged part
    // can name it any more, by this time.
    metadata: { at: Date.now() },
  });
  await kv.put(threadPartKey(page, ids.part), read.shown[0]!, { metadata: { at: Date.now() } });
  await kv.put(threadPartKey(page, ids.sources), facts.sources, { metadata: { at: Date.now() } });
  return 3;
}

/** Whether the staged value `value` is a part that writes its share of its post: its first line says so. */
function stepsOf(value: Uint8Array): boolean {
  const end = value.indexOf(LINE);
  return end > 0 && readStepHead(value.subarray(0, end)) !== null;
}

/**
 * Deletes the shares the parts before the last wrote (by their digests), for a post the one-request join published on
 * a page that had no imported document: nothing names them (only a split document's head and the snapshot's head
 * written from it do, and the page had neither). Best effort: a value left behind only takes room.
 */
export async function retireStepValues(kv: KVNamespace, page: PageRef, digests: readonly string[]): Promise<void> {
  await Promise.all(
    digests.flatMap((digest) => {
      const ids = shareIds(digest);
      return [
        kv.delete(importedPartKey(page, ids.document)),
        kv.delete(threadPartKey(page, ids.part)),
        kv.delete(threadPartKey(page, ids.sources)),
      ];
    }),
  );
}

/** A part before the last as the last part reads it: its header's first line, and its digest. */
interface HeadRead {
  head: StepHead;
  digest: string;
}

/**
 * The first line of the staged part under `key`, read as a stream cut at the line break (the rest never taken in),
 * with its digest; null when it is missing, has no digest, or is not a part that wrote its share.
 */
async function readHead(kv: KVNamespace, key: string, digestChars: number): Promise<HeadRead | null> {
  const { value, metadata } = await kv.getWithMetadata<{ digest?: unknown }>(key, 'stream');
  if (value === null) return null;
  const reader = value.getReader();
  const chunks: Uint8Array[] = [];
  let end = -1;
  while (end < 0) {
    const { done, value: chunk } = await reader.read();
    if (done) break;
    const at = chunk.indexOf(LINE);
    if (at >= 0) {
      chunks.push(chunk.subarray(0, at));
      end = at;
    } else {
      chunks.push(chunk);
    }
  }
  await reader.cancel();
  const digest = metadata?.digest;
  if (end < 0 || typeof digest !== 'string' || digest.length !== digestChars) return null;
  const head = readStepHead(chunks.length === 1 ? chunks[0]! : concatBytes(chunks));
  return head === null ? null : { head, digest };
}

/** What publishing a post from its parts' shares needs besides the KV and its page. */
export interface StepPublish {
  /** The last part as prebuilt, its staged form (`prebuiltBytes`) and that form's digest. */
  own: PrebuiltThread;
  ownBytes: Uint8Array;
  ownDigest: string;
  part: ImportPart;
  budget: BudgetSource;
  queue?: ImportQueue | undefined;
  run?: string | undefined;
  now: Date;
  /** The digest of the post's parts' digests (import-stage.ts `digestOfParts`), kept with its document. */
  piecesOf: (digests: readonly string[]) => Promise<string | undefined>;
}

/**
 * Publishes a post of more than `STEP_PARTS_OVER` parts from the shares its earlier parts wrote when staged: reads
 * their headers' first lines (a stream each), checks every part is there and wrote its share, the parts are in id order
 * one after another, each reply to a comment of another part names a comment of an earlier one, and the page has
 * nothing (or this very post's document head, written by an invocation cut before the snapshot's head); then writes the
 * document's head, the count and the snapshot's head (3 writes, a 4th closing the page). Its answer; null when the
 * post must be joined whole (the module's comment lists when), nothing written then.
 */
export async function publishFromSteps(
  kv: KVNamespace,
  page: PageRef,
  { own, ownBytes, ownDigest, part, budget, queue, run, now, piecesOf }: StepPublish,
): Promise<Pick<ImportThreadResult, 'outcome' | 'added'> | null> {
  const ownRead = readPrebuilt(ownBytes);
  const ownFacts = ownRead?.facts?.[0];
  if (ownRead === null || ownFacts == null) return null;
  // A parent held by a placeholder (an Import tab from before parentCreatedAt): joined whole.
  if (own.entries.some((entry) => entry.parentSourceId !== undefined && entry.parentId === null)) return null;
  const keys = Array.from({ length: part.count - 1 }, (_, index) => importStageKey(page, { ...part, index }));
  const reads = await Promise.all(keys.map((key) => readHead(kv, key, ownDigest.length)));
  if (reads.some((read) => read === null)) return null;
  const parts = reads as HeadRead[];
  const heads = parts.map((read) => read.head);
  if (heads.some((head) => head.pageUrl !== own.pageUrl)) return null;
  // In id order part after part (the Import tab sends a post oldest first): the parts are the snapshot's as they are.
  const firsts = heads.map((head) => head.facts.first);
  for (let p = 1; p <= heads.length; p++) {
    const first = p < heads.length ? firsts[p]! : ownFacts.first;
    if (heads[p - 1]!.facts.last >= first) return null;
  }
  const ownIds = own.entries.map((entry) => entry.id).join('');
  if (!parentsBefore(heads, own, ownFacts.first)) return null;

  const digests = [...parts.map((read) => read.digest), ownDigest];
  const pieces = await piecesOf(digests);
  if (pieces === undefined) return null;
  const { value: document, metadata } = await kv.getWithMetadata<{ pieces?: unknown; parts?: unknown }>(
    importedThreadKey(page),
    'stream',
  );
  if (document !== null) {
    await document.cancel();
    // This post's own head, its invocation cut before the snapshot's head: written again with the rest.
    if (metadata?.pieces !== pieces || metadata.parts !== heads.length) return null;
  }
  const listed = await kv.list({ prefix: commentPrefix(page), limit: 1 });
  if (listed.keys.length > 0) return null;
  if (queue !== undefined && (await queue.holdsPage(page.site, page.pageHash))) return null;
  const total = heads.reduce((sum, head) => sum + head.ids.length, ownIds.length) / COMMENT_ID_LENGTH;
  if (document === null) {
    // The post's ids looked up where they are (no set of thousands made): the check lists the site's other documents.
    const among = idLookup(heads, ownIds);
    if ((await new ImportedElsewhere(kv, page.site).of(page, { has: among, size: total })) !== null) return null;
  }

  const closedMark = (await new ClosedThreads(kv).get(page)) !== null;
  const writes = 3 + (own.closed ? 1 : 0);
  const today = await budget();
  if (writes > today.writes || today.lists < 1) return null;

  const updatedAt = now.toISOString();
  const shares = parts.map((read) => shareIds(read.digest));
  await new ImportedThreads(kv).writeJson(
    page,
    documentOf(
      own,
      updatedAt,
      total,
      ownRead.stored,
      run,
      shares.map((share) => share.document),
    ),
    { pieces, ends: [heads[0]!.facts.first, ownFacts.last], parts: heads.length },
  );
  if (own.closed) {
    const closedAt = own.closedAt !== undefined ? new Date(own.closedAt) : now;
    await new ClosedThreads(kv).close(page, own.pageId, own.pageUrl ?? null, closedAt);
  }
  const written = heads.map((head, p): WrittenRun => {
    const run: WrittenRun = {
      id: shares[p]!.part,
      sources: shares[p]!.sources,
      count: head.ids.length / COMMENT_ID_LENGTH,
      chars: head.shownBytes,
      last: head.facts.last,
      newest: head.facts.newest,
      index: head.facts.index,
    };
    if (head.facts.pinned !== undefined) run.pinned = head.facts.pinned;
    return run;
  });
  const snapshots = new ThreadStore(kv);
  const countMetadata = countMetadataOf(total, [], [...heads.map((head) => head.facts), ownFacts], now.getTime());
  await snapshots.writeJoinedHead(
    page,
    snapshotFieldsOf(own, total, updatedAt, own.closed || closedMark),
    written,
    [{ bytes: ownRead.shown[0]!, facts: ownFacts }],
    now.getTime(),
    () => snapshots.writeCount(page, total, countMetadata, own.pageId),
  );
  today.writes -= writes;
  today.lists -= 1;
  return { outcome: 'imported', added: total };
}

/**
 * Where an id is among the post's parts (`heads`, their ids ascending part after part) and the last part's own ids:
 * the index of its part (`heads.length` for the last part's own), or -1 when none holds it. Its part is found by the
 * parts' first ids, then the id by native searches of that part's ids (1,300 characters; a binary search of them
 * sliced an id at each step, which cost more run once on a new isolate).
 */
function partOfId(heads: readonly StepHead[], ownIds: string, id: string): number {
  let low = 0;
  let high = heads.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (heads[middle]!.facts.first > id) high = middle;
    else low = middle + 1;
  }
  // Past the last part's last id: the last part's own, if anywhere.
  const at = low === heads.length && heads.length > 0 && id > heads.at(-1)!.facts.last ? heads.length : low - 1;
  if (at < 0) return -1;
  const within = at === heads.length ? ownIds : heads[at]!.ids;
  for (let found = within.indexOf(id); found >= 0; found = within.indexOf(id, found + 1)) {
    if (found % COMMENT_ID_LENGTH === 0) return at;
  }
  return -1;
}

/** Whether an id is one of the post's (`partOfId`). */
function idLookup(heads: readonly StepHead[], ownIds: string): (id: string) => boolean {
  return (id) => partOfId(heads, ownIds, id) >= 0;
}

/**
 * Whether every reply to a comment of another part (each part's `outside`, the last part's own) names a comment of an
 * earlier part. A parent in its reply's part or a later one, or in none, is left to the one-request join, which refuses
 * what must be (a loop, a parent in no part). The parts' ids ascend part after part (checked before), so a parent is in
 * an earlier part exactly when it is one of the post's ids and comes before its reply's part's first id: that bound
 * is checked as the parents are gathered, then the parents, sorted natively, are found in one walk of the parts, each
 * part's ids searched onwards from the last one found (its ids ascend too), not each looked up from the top (its part
 * by a binary search of the parts' first ids, then a search of that part's ids, through destructured callbacks: at
 * 3,000 comments, 1,500 replies across parts, 1.3 to 2.2 ms of a new isolate's first run, against 0.7 to 1.1).
 */
function parentsBefore(heads: readonly StepHead[], own: PrebuiltThread, ownFirst: string): boolean {
  const named: string[] = [];
  for (let p = 0; p < heads.length; p++) {
    const first = heads[p]!.facts.first;
    const outside = heads[p]!.outside;
    for (let k = 0; k < outside.length; k++) {
      const parentId = outside[k]![2];
      if (!(parentId < first)) return false;
      named.push(parentId);
    }
  }
  for (const entry of own.entries) {
    if (entry.parentSourceId === undefined || entry.parentId === null) continue;
    if (!(entry.parentId < ownFirst)) return false;
    named.push(entry.parentId);
  }
  // Ids are ASCII: the default sort's order is `<`'s.
  named.sort();
  let part = 0;
  let from = 0;
  for (const parentId of named) {
    while (part < heads.length && heads[part]!.facts.last < parentId) {
      part++;
      from = 0;
    }
    if (part === heads.length) return false;
    const ids = heads[part]!.ids;
    let found = ids.indexOf(parentId, from);
    while (found >= 0 && found % COMMENT_ID_LENGTH !== 0) found = ids.indexOf(parentId, found + 1);
    if (found < 0) return false;
    from = found;
  }
  return true;
}
