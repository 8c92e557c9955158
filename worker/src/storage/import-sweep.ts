/**
 * The cron's sweep of import shares (issue 9, "nothing half-imported"; worker/docs/import.md "An abandoned big import
 * swept"). A part before the last of a post of more than `STEP_PARTS_OVER` parts writes its share of the post when it
 * is staged (import-steps.ts `writeStepValues`): its document part `v1:imported-part:…:d{digest}`, its snapshot part
 * and that part's sources `v1:thread-part:…:r{digest}`, `s{digest}`, with no expiration, before anything names them.
 * Only the post's last part names them (the split document's head, the snapshot's head written from it); an import
 * abandoned before it, a part staged again with other content, or a post then joined whole onto a page that already
 * had a document, leaves them named by nothing, about 1.6 times the comments' bytes, for good.
 *
 * The sweep lists the document parts a page of keys at a time (the list gives each key's metadata, `ShareMetadata`: no
 * read per key) and deletes a share when nothing can name it any more:
 * - it was written longer ago than a staged part lives, and a day (`SWEEP.shareAgeMs`): the last part that could name
 *   it reads staged parts, which expire after `STAGE_TTL_SECONDS`, and a staged put is always preceded by its share's
 *   (so a share older than that has no staged part left that says it is there);
 * - its page's document head does not name it (one read of the head per page with such shares, its value left unread
 *   when it is a whole document, which names none, or names as many parts as the page has shares: `documentNames`);
 * - no staged part of its page has its digest (one list of the page's staged parts): a live import, whatever the
 *   share's age. A share written before its writer kept the time (the build before 2026-12-08) has no age: it is
 *   deleted by the two rules above alone, so no longer than its staged parts live;
 * - and its snapshot part and sources only when the page's snapshot head names neither, in its parts or the parts it
 *   retired (the post joined whole onto a page whose snapshot was written from a split head keeps those parts whose
 *   comments did not change; a later rebuild retires them its own way): the document part alone is deleted then.
 * The snapshot part and sources are deleted before the document part, so a run cut in between leaves the document
 * part for the next pass to find; deleting a key already gone does nothing.
 *
 * Bounded for the free plan: it runs in the nightly runs that resume imports (before `RESUME_HOURS`, import-run.ts),
 * a pass starting in the 00:00 run (or the next nightly run, when the imports it resumed wrote threads); a run lists
 * once (`SWEEP.listLimit` keys), reads the heads of at most `SWEEP.pagesPerRun` pages (and lists their staged parts
 * when they have shares to delete) and deletes at most `SWEEP.deletesPerRun` keys. A pass that does not end in its run
 * writes where it goes on (`IMPORT_SWEEP_KEY`: the list's cursor and the last key handled) and the next nightly run
 * reads it; the pass that ends deletes it. A night with no share costs one list and a read per nightly run (6), and
 * writes nothing.
 */
import { isDailyLimitError } from '../domain/daily-limit.js';
import { DAY_MS } from '../domain/utc-time.js';
import { RESUME_HOURS } from './import-run.js';
import { STAGE_TTL_SECONDS, STAGED_DIGEST_CHARS } from './import-stage.js';
import {
  IMPORT_SWEEP_KEY,
  IMPORTED_PART_PREFIX,
  importedPartKey,
  importedThreadKey,
  importStagePrefix,
  parseImportedPartKey,
  threadKey,
  threadPartKey,
  type PageRef,
} from './keys.js';

/** The sweep's bounds. Mutable for the tests. */
export const SWEEP = {
  /** A share written longer ago than this may be deleted: a staged part's life and a day (KV's 60 s, a slow part). */
  shareAgeMs: STAGE_TTL_SECONDS * 1000 + DAY_MS,
  /** Keys a run lists (one list). */
  listLimit: 1000,
  /** Pages with shares past their age whose heads a run reads. */
  pagesPerRun: 20,
  /** Keys a run deletes: 20 shares of 3 values, 360 a night at most of the free plan's 1,000 a day. */
  deletesPerRun: 60,
};

/** A share's metadata, as `writeStepValues` puts it: when it was written (ms); none on a share of the build before. */
export interface ShareMetadata {
  at?: number;
}

/** Where a pass goes on: the cursor of the list its next run makes (none: the first), and the last key it handled. */
interface SweepState {
  cursor?: string;
  after?: string;
}

export interface SweepReport {
  /** Keys listed. */
  listed: number;
  /** Pages whose heads were read. */
  pages: number;
  /** Keys deleted (document parts, snapshot parts and sources). */
  deleted: number;
  /** Whether the pass ended in this run (false: the next nightly run goes on). */
  ended: boolean;
}

/** A document part of a page, as listed. */
interface Listed {
  name: string;
  page: PageRef;
  partId: string;
  metadata?: ShareMetadata | undefined;
}

const SHARE_ID = new RegExp(`^d[\\w-]{${STAGED_DIGEST_CHARS}}$`);
/** How a split snapshot head's first line ends: its fields' JSON, then its `index` or `sources` array opening. */
const HEAD_LINE_ENDS = [',"index":[', ',"sources":['];
/** A snapshot head's first line longer than this is not parsed: its parts are taken as naming every share. */
const HEAD_LINE_BYTES = 4 * 1024 * 1024;

/**
 * The cron's part, in its runs that resume imports: goes on with a pass, or starts one in the 00:00 run; with `busy`
 * (the run's resumed imports wrote threads and spent its CPU time), it only notes that a pass is due, for the next
 * nightly run. Null when it listed nothing.
 */
export async function sweepImportShares(
  kv: KVNamespace,
  scheduledTime: number,
  { busy = false }: { busy?: boolean } = {},
): Promise<SweepReport | null> {
  const time = new Date(scheduledTime);
  if (time.getUTCHours() >= RESUME_HOURS) return null;
  const starts = time.getUTCHours() === 0 && time.getUTCMinutes() < 10;
  const state = await kv.get<SweepState>(IMPORT_SWEEP_KEY, 'json');
  if (state === null && !starts) return null;
  if (busy) {
    if (state === null) await kv.put(IMPORT_SWEEP_KEY, '{}');
    return null;
  }
  return sweep(kv, scheduledTime, state);
}

async function sweep(kv: KVNamespace, now: number, kept: SweepState | null): Promise<SweepReport> {
  const { listed, state } = await listParts(kv, kept);
  const report: SweepReport = { listed: listed.keys.length, pages: 0, deleted: 0, ended: false };
  const after = state?.after;
  let handled = after;
  for (const group of byPage(listed.keys, after)) {
    const due = group.filter((share) => isDue(share, now));
    if (due.length > 0) {
      if (report.pages >= SWEEP.pagesPerRun) return goOn(kv, report, { cursor: state?.cursor, after: handled });
      report.pages++;
      const shares = group.filter((share) => SHARE_ID.test(share.partId)).length;
      const stopped = await sweepPage(kv, group[0]!.page, { due, shares }, report, (name) => (handled = name));
      if (stopped) return goOn(kv, report, { cursor: state?.cursor, after: handled });
    }
    handled = group.at(-1)!.name;
  }
  if (!listed.list_complete) return goOn(kv, report, { cursor: listed.cursor });
  if (state !== null) await kv.delete(IMPORT_SWEEP_KEY);
  report.ended = true;
  return report;
}

/**
 * A run's list of document parts, from where the pass goes on. A cursor KV no longer takes (how long one lasts is not
 * documented; it is kept from one night to the next) starts the pass over: one list more, not a pass stuck for good.
 */
async function listParts(
  kv: KVNamespace,
  state: SweepState | null,
): Promise<{ listed: KVNamespaceListResult<ShareMetadata>; state: SweepState | null }> {
  const options = { prefix: IMPORTED_PART_PREFIX, limit: SWEEP.listLimit };
  if (state?.cursor === undefined) return { listed: await kv.list<ShareMetadata>(options), state };
  try {
    return { listed: await kv.list<ShareMetadata>({ ...options, cursor: state.cursor }), state };
  } catch (error) {
    if (isDailyLimitError(error)) throw error;
    console.warn(`[sala] import shares sweep: its list's cursor was refused (${String(error)}); the pass starts over`);
    return { listed: await kv.list<ShareMetadata>(options), state: {} };
  }
}

/** The pass goes on in the next nightly run from `state`. */
async function goOn(kv: KVNamespace, report: SweepReport, state: SweepState): Promise<SweepReport> {
  await kv.put(IMPORT_SWEEP_KEY, JSON.stringify(state));
  return report;
}

/** The listed document parts after `after`, a page's together (a list gives them in key order: page by page). */
function byPage(keys: readonly KVNamespaceListKey<ShareMetadata>[], after: string | undefined): Listed[][] {
  const groups: Listed[][] = [];
  for (const key of keys) {
    if (after !== undefined && key.name <= after) continue;
    const parsed = parseImportedPartKey(key.name);
    if (parsed === null) continue;
    const { partId, ...page } = parsed;
    const last = groups.at(-1)?.[0];
    const share = { name: key.name, page, partId, metadata: key.metadata };
    if (last?.page.site === page.site && last.page.pageHash === page.pageHash) groups.at(-1)!.push(share);
    else groups.push([share]);
  }
  return groups;
}

/** Whether a document part is a share past its age, or a share of the build before (no age). */
function isDue(share: Listed, now: number): boolean {
  if (!SHARE_ID.test(share.partId)) return false;
  const at = share.metadata?.at;
  return typeof at !== 'number' || now - at >= SWEEP.shareAgeMs;
}

/**
 * Deletes the shares of `due` (one page's, in key order; `shares`: how many of the page's document parts the list
 * gave are shares) that nothing names, within the run's deletes; `handled` is told each share done with. True when
 * the run's deletes ran out before the last.
 */
async function sweepPage(
  kv: KVNamespace,
  page: PageRef,
  { due, shares }: { due: readonly Listed[]; shares: number },
  report: SweepReport,
  handled: (name: string) => void,
): Promise<boolean> {
  const named = await documentNames(kv, page, shares);
  if (named === 'all') return false;
  const unnamed = due.filter((share) => !named.has(share.partId));
  if (unnamed.length === 0) return false;
  const staged = await stagedDigests(kv, page);
  if (staged === 'all') return false;
  const gone = unnamed.filter((share) => !staged.has(share.partId.slice(1)));
  if (gone.length === 0) return false;
  const snapshot = await snapshotNames(kv, page);
  for (const share of gone) {
    const digest = share.partId.slice(1);
    const others = [`r${digest}`, `s${digest}`].filter((id) => snapshot !== 'all' && !snapshot.has(id));
    if (report.deleted + 1 + others.length > SWEEP.deletesPerRun) return true;
    await Promise.all(others.map((id) => kv.delete(threadPartKey(page, id))));
    await kv.delete(importedPartKey(page, share.partId));
    report.deleted += 1 + others.length;
    handled(share.name);
  }
  return false;
}

/**
 * The parts the page's imported document names: a split one's head's `parts` (its metadata says it is one: a whole
 * document, MBs for a big post, is never read, and names none). 'all' when the head names as many parts as the list
 * gave the page shares (`shares`): every part a head names is in KV (written before it, never deleted while named),
 * so those are they, and the head is not read (a published post's, every night). That only ever keeps shares: a page
 * whose list was cut between two runs' pages may keep an unnamed one until a pass lists it otherwise.
 */
async function documentNames(kv: KVNamespace, page: PageRef, shares: number): Promise<Set<string> | 'all'> {
  const { value, metadata } = await kv.getWithMetadata<{ parts?: unknown }>(importedThreadKey(page), 'stream');
  if (value === null) return new Set();
  if (typeof metadata?.parts !== 'number' || metadata.parts === shares) {
    await value.cancel();
    return metadata?.parts === shares ? 'all' : new Set();
  }
  const head = JSON.parse(await textOf(value)) as { parts?: unknown };
  return new Set(Array.isArray(head.parts) ? head.parts.filter((id) => typeof id === 'string') : []);
}

/** The digests of the page's staged parts (their keys' metadata); 'all' when there are too many to list at once. */
async function stagedDigests(kv: KVNamespace, page: PageRef): Promise<Set<string> | 'all'> {
  const listed = await kv.list<{ digest?: unknown }>({ prefix: importStagePrefix(page) });
  if (!listed.list_complete) return 'all';
  return new Set(listed.keys.flatMap((key) => (typeof key.metadata?.digest === 'string' ? [key.metadata.digest] : [])));
}

/**
 * The snapshot parts and sources the page's snapshot head names, in its parts and the parts it retired (read from its
 * first line alone: its fields, a stream cut there); 'all' when that line is not as this code writes it.
 */
async function snapshotNames(kv: KVNamespace, page: PageRef): Promise<Set<string> | 'all'> {
  const value = await kv.get(threadKey(page), 'stream');
  if (value === null) return new Set();
  const line = await firstLine(value);
  const end = line === null ? undefined : HEAD_LINE_ENDS.find((ending) => line.endsWith(ending));
  if (line === null || end === undefined) return 'all';
  const fields = JSON.parse(`${line.slice(0, -end.length)}}`) as {
    parts?: { id: string; sources?: string }[];
    retired?: { id: string }[];
  };
  const names = new Set<string>();
  for (const part of fields.parts ?? []) {
    names.add(part.id);
    if (part.sources !== undefined) names.add(part.sources);
  }
  for (const part of fields.retired ?? []) names.add(part.id);
  return names;
}

/** The stream's text up to its first line break (the rest never read); null when there is none in its first MiBs. */
async function firstLine(stream: ReadableStream<Uint8Array>): Promise<string | null> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  let end = -1;
  while (end < 0 && length < HEAD_LINE_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    const at = value.indexOf(0x0a);
    chunks.push(at >= 0 ? value.subarray(0, at) : value);
    if (at >= 0) end = length + at;
    length += value.length;
  }
  await reader.cancel();
  if (end < 0) return null;
  const decoder = new TextDecoder();
  return chunks.map((chunk, index) => decoder.decode(chunk, { stream: index < chunks.length - 1 })).join('');
}

/** The stream's text, all of it (a split document's head: its fields, its own comments and its parts' names). */
async function textOf(stream: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}
