/**
 * The cron's popularity work for one site, the single writer of its popularity state and ranking document
 * (KV rule 2): reads the view batches of the hours still open, folds them in with `aggregate`, and writes the
 * state (a fold run: the counts, and the day ring when a day ended) or the ranking (a ranking run) only when they
 * changed. Running it twice, or two runs at once, never counts a view twice: see domain/popularity.ts.
 */
import { toCommentActivity, type CountKeyMetadata } from '../domain/comment-activity.js';
import {
  addV1Counts,
  addV1Meta,
  aggregate,
  catchUpAsOf,
  daySumsServe,
  endsDay,
  hoursToCollect,
  lastFinalHour,
  mayDropPages,
  finishFromV1,
  slotsOf,
  startFromV1,
  V1_COUNT_SECTIONS,
  type PageCounts,
  type PopularityState,
  type StoredPageMeta,
} from '../domain/popularity.js';
import { matchPageHashes, movePageHashes, NO_MATCH, PAGE_HASH_BYTES, UNKNOWN_HASH } from '../domain/page-hashes.js';
import { hintHash, hintHashes, hintsChanged, hintsMissing, moveHashes, withoutHints } from '../domain/page-hints.js';
import { PAGE_VERIFICATION } from '../domain/page-verification.js';
import {
  RANKING_DEPTH,
  encodeRanking,
  rankAll,
  rankingDocument,
  sameRankings,
  windowComments,
  windowViews,
  type CommentActivity,
  type Rankings,
  type WindowComments,
} from '../domain/ranking.js';
import { pagesWithNewestComments } from '../domain/recent-comments.js';
import type { UsageReport, UsageTally } from '../domain/usage.js';
import { utcDay } from '../domain/utc-time.js';
import { entriesWithin, parseEntries, v1Layout } from '../domain/v1-layout.js';
import type { PageActivity } from './comment-activity.js';
import { fillPageHashes, pageRef } from './keys.js';
import type { ListedPages, PageHints } from './page-verification.js';
import { PopularityStore, type ReadState, type V1Conversion } from './popularity.js';
import { ViewBatchStore } from './views.js';
import { onIsolateReset } from '../domain/isolate-state.js';

/**
 * What a run does (domain/cron-schedule.ts): `fold` writes the counts of the hours just ended, `rank` writes the
 * lists from the stored counts and the open hours. The cron never does both in one run (measured over 10 ms of CPU
 * on a first run, worker/README.md "CPU time"); `fold and rank` is for benches and tests that want one call.
 */
export type PopularityPart = 'fold' | 'rank' | 'fold and rank';

export interface PopularityReport {
  part: PopularityPart;
  hours: number;
  batches: number;
  stateWritten: boolean;
  /** KV writes the run made: counts, day ring and its sums, metadata, ranking, and the version 1 document's delete. */
  writes: number;
  rankingWritten: boolean;
  /**
   * The run converted a part of a version 1 state and did only that: `all` when it was the last part (the state is
   * written; the next run folds batches and ranks), `part` when later runs go on; false on any other run.
   */
  converted: 'part' | 'all' | false;
  /** Batches were left for later runs to stay within one invocation's KV operations. */
  catchingUp: boolean;
  /** The pages' hints (`v1:popmeta`) were read: a new page, address or title, or a page to read at a new address. */
  metaRead: boolean;
  /**
   * The ring of past days (`v1:popdays`) was read: a fold that ends a day or may drop pages, or a ranking run its
   * sums (`v1:popdaysums`) do not serve (the runs before a day's first fold).
   */
  daysRead: boolean;
}

/**
 * Batches read per run. A normal run reads one or two hours' batches (tens). CPU is the bound when catching up
 * after an outage, on a first run above all (a cron isolate is often fresh): 120 batches of 40 pages measured 10 to
 * 15 ms for the first run, 60 keep it under 10 (bench:cpu:cron). Three popularity runs an hour still fold 180 batches
 * an hour: a 30-hour outage of 30 batches an hour is caught up in about 6 hours. KV operations (1,000 per
 * invocation) would allow more.
 */
export const MAX_BATCH_READS = 60;

/**
 * Page hashes a write of the counts takes at most (SHA-256 digests, beyond those the isolate has): a page given a
 * slot takes one; counts written before the page hashes were kept (format 5) gain all theirs over a few folds (ten
 * at 5,000 pages when no ranking run in the isolate hashed them), each fold's digests bounded.
 */
export const PAGE_HASHES_PER_WRITE = 500;

/** The cron isolate's usage tally, and the running total for today the state carried when it was read. */
export interface CronUsage {
  tally: UsageTally;
  carried: UsageReport | null;
}

/**
 * Writes the state with the cron's usage so far today in its metadata: what the tally holds is taken into the
 * running total, and given back if the write fails. A put replaces metadata, so the total is always written.
 */
async function writeCountsWithUsage(
  popularity: PopularityStore,
  site: string,
  state: PopularityState,
  hints: Uint32Array,
  pageHashes: Uint8Array,
  usage: CronUsage | undefined,
  withDays = false,
  digests = PAGE_HASHES_PER_WRITE,
): Promise<void> {
  // Page hashes not known yet are taken now (a page given a slot; counts written before format 6), a bounded few
  // per write: the write is made anyway, so they cost no write of their own.
  await fillPageHashes(state.pageIds, pageHashes, digests);
  const now = Date.now();
  const delta = usage?.tally.take(now) ?? null;
  const carried = usage?.carried?.day === utcDay(now) ? usage.carried : null;
  try {
    const total = delta ? PopularityStore.runningTotal(carried, delta) : carried;
    await popularity.writeCounts(site, state, total, hints, withDays, pageHashes);
  } catch (error) {
    if (delta) usage?.tally.giveBack(delta, now);
    throw error;
  }
}

/**
 * The comments on the windows' pages (`windowComments`), and the pages holding the newest comments (whose titles
 * recent comments show). A count key naming its page (`pageId`, as the thread rebuild, an import and the repair write
 * them) is placed in that page's slot by the windows' own map (`slotOf`, `placeNamed`); only the others (keys written
 * before, or a page id over the metadata's limit) are matched by page hash: each slot's from the counts
 * (`pageHashes`, domain/page-hashes.ts), and only a page without one is hashed. A blog whose keys all name their page
 * takes neither the match over every slot nor a digest (worker/docs/cpu-cron.md, 2026-12-07 "The ranking places
 * named count keys").
 */
async function commentsOfPages(
  site: string,
  pageIds: readonly string[],
  slotOf: ReadonlyMap<string, number>,
  pageHashes: Uint8Array | null,
  pages: readonly PageActivity[],
  now: number,
): Promise<{ comments: WindowComments; newest: string[] }> {
  if (pages.length === 0) return { comments: windowComments(pageIds.length, [], now), newest: [] };
  const { placed, named, unnamed } = placeNamed(pageIds, slotOf, pages);
  const slots =
    unnamed.length === 0
      ? named.sort()
      : slotsToMatch(
          placed,
          matchPageHashes(
            pageHashes ?? new Uint8Array(0),
            pageIds.length,
            unnamed.map((index) => pages[index]!.page.pageHash),
          ),
          unnamed,
        );
  // By hash, the keys naming no page, for the slots without a hash stored (new in the open hour, counts of format 5):
  // made on the first.
  let byHash: Map<string, CountKeyMetadata> | undefined;
  const commented: [slot: number, activity: CommentActivity][] = [];
  const withNewest: { pageId: string; last?: string }[] = [];
  for (let index = 0; index < slots.length; index++) {
    const slot = slots[index]!;
    const match = placed[slot]!;
    const pageId = pageIds[slot]!;
    let metadata: CountKeyMetadata | undefined;
    if (match !== UNKNOWN_HASH) metadata = pages[match]!.metadata;
    else {
      byHash ??= new Map(unnamed.map((index) => [pages[index]!.page.pageHash, pages[index]!.metadata]));
      metadata = byHash.get((await pageRef(site, pageId)).pageHash);
    }
    if (metadata === undefined) continue;
    commented.push([slot, toCommentActivity(metadata)]);
    withNewest.push(metadata.last === undefined ? { pageId } : { pageId, last: metadata.last });
  }
  const newest = pagesWithNewestComments(withNewest).map(({ pageId }) => pageId);
  return { comments: windowComments(pageIds.length, commented, now), newest };
}

/**
 * The count keys of `pages` that name their page, each in the windows' slot of it: `placed` holds the key's index in
 * `pages` by slot (`NO_MATCH` elsewhere), `named` those slots, `unnamed` the indexes of the keys naming none. The
 * state's pages take their slots from `slotOf`; a page only the open hour counts is after them in `pageIds`
 * (`openHourSlots`). A key naming a page the windows do not count is left out, as the hash match leaves it; of two
 * naming one page, the first is taken. The loop kept small: with the open hour's map made in it, a fresh isolate's
 * first run had V8 compile it again as it ran over 500 keys (worker/docs/cpu-cron.md, "The ranking places named count
 * keys").
 */
function placeNamed(
  pageIds: readonly string[],
  slotOf: ReadonlyMap<string, number>,
  pages: readonly PageActivity[],
): { placed: Int32Array; named: Int32Array; unnamed: number[] } {
  const placed = new Int32Array(pageIds.length).fill(NO_MATCH);
  const named: number[] = [];
  const unnamed: number[] = [];
  const openHour = pageIds.length > slotOf.size ? openHourSlots(pageIds, slotOf.size) : null;
  for (let index = 0; index < pages.length; index++) {
    const pageId = pages[index]!.metadata.pageId;
    if (pageId === undefined) unnamed.push(index);
    else {
      const slot = slotOf.get(pageId) ?? openHour?.get(pageId);
      if (slot !== undefined && placed[slot] === NO_MATCH) {
        placed[slot] = index;
        named.push(slot);
      }
    }
  }
  return { placed, named: Int32Array.from(named), unnamed };
}

/** The slots of the pages after the first `from` of `pageIds` (those only the open hour counts), by page id. */
function openHourSlots(pageIds: readonly string[], from: number): Map<string, number> {
  const slots = new Map<string, number>();
  for (let slot = from; slot < pageIds.length; slot++) slots.set(pageIds[slot]!, slot);
  return slots;
}

/**
 * The slots with a count key, in order: those `placed` by name, and those `matchPageHashes` found a key naming no page
 * for (`stored`, indexes in `unnamed`) or could not tell (no stored hash), written into `placed` as indexes in the
 * keys. A few hundred of 5,000. A loop of its own, not in `commentsOfPages`: a fresh isolate's first ranking run had
 * V8 compile that whole async function (awaits, its comment activity) for a loop over every slot, 1 to 20 ms on its
 * helper threads (worker/docs/cpu-cron.md, 2026-12-07 "Where a first run's time goes").
 */
function slotsToMatch(placed: Int32Array, stored: Int32Array, unnamed: readonly number[]): number[] {
  const slots: number[] = [];
  for (let slot = 0; slot < stored.length; slot++) {
    const match = stored[slot]!;
    if (placed[slot] !== NO_MATCH) slots.push(slot);
    else if (match !== NO_MATCH) {
      placed[slot] = match === UNKNOWN_HASH ? UNKNOWN_HASH : unnamed[match]!;
      slots.push(slot);
    }
  }
  return slots;
}

function sameHashes(a: Uint32Array, b: Uint32Array): boolean {
  return a.length === b.length && a.every((hash, slot) => hash === b[slot]);
}

/** The pages the lists may show, from each ranking's first pages with a beacon (`rankAll`), and `newest`. */
function listedPages(rankings: Rankings, newest: readonly string[]): ListedPages {
  const read = new Set(newest);
  const kept = new Set(newest);
  for (const ranked of Object.values(rankings)) {
    ranked.forEach(({ pageId }, index) => {
      if (index < PAGE_VERIFICATION.readDepth) read.add(pageId);
      kept.add(pageId);
    });
  }
  return { read, kept };
}

/**
 * Characters of a version 1 document one run parses (JSON.parse takes about 1 ms a 100 KB warm): a part is the
 * smaller share of a run that read the document (1.3 MB at 300 pages), and a run from the isolate's copy fits the free
 * plan's 10 ms with room (worker/README.md "Version 1"). The page hints go in one part, the last, whatever their size.
 */
export const V1_PART_CHARS = 160 * 1024;

/**
 * The layout of the version 1 document last converted: the same text (kept by storage/popularity.ts) is not scanned
 * again.
 */
let lastLayout: { text: string; layout: ReturnType<typeof v1Layout> } | null = null;
onIsolateReset(() => (lastLayout = null));

function layoutOf(text: string): ReturnType<typeof v1Layout> {
  if (lastLayout?.text !== text) lastLayout = { text, layout: v1Layout(text) };
  return lastLayout.layout;
}

/**
 * One run's part of converting the version 1 document `text`: its layout found without parsing it (`v1Layout`), then
 * the entries of its count sections, in order (`V1_COUNT_SECTIONS`), up to `V1_PART_CHARS` of them parsed and added
 * to the counts converted so far, which are written with where the next run goes on (`writeConversion`, one write).
 * The part that reaches the page hints adds them and writes the state as `fromV1` makes it: hints, day ring and sums,
 * counts, then deletes the document and the progress. A run failing half-way leaves the progress as the run before
 * wrote it, and the next run converts the same part again. Readers see the lists as they were until then.
 */
async function convertV1Part(
  popularity: PopularityStore,
  site: string,
  text: string,
  read: V1Conversion | null,
  usage: CronUsage | undefined,
): Promise<{ done: boolean; writes: number }> {
  const layout = layoutOf(text);
  if (layout === null) throw new Error('the version 1 popularity document is not JSON');
  const progress = read ?? (await popularity.readConversion(site, text.length));
  const valueOf = (key: string) => {
    const found = layout.get(key);
    return found === undefined ? undefined : (JSON.parse(text.slice(found.start, found.end)) as unknown);
  };
  const state = progress?.state ?? startFromV1((valueOf('finalizedThrough') as string | null | undefined) ?? null);
  let [section, entry] = progress === null ? [0, 0] : [progress.section, progress.entry];
  let parsed = 0;
  for (; section < V1_COUNT_SECTIONS.length; section++, entry = 0) {
    const found = layout.get(V1_COUNT_SECTIONS[section]!);
    if (found === undefined) continue;
    const { to, chars } = entriesWithin(found, entry, V1_PART_CHARS - parsed, parsed === 0);
    parsed += chars;
    if (to > entry)
      addV1Counts(state, V1_COUNT_SECTIONS[section]!, parseEntries<number | PageCounts>(text, found, entry, to));
    if (to < found.entries.length / 2) {
      entry = to;
      break;
    }
  }
  const hints = layout.get('meta');
  const hintChars = hints === undefined ? 0 : hints.end - hints.start;
  if (section < V1_COUNT_SECTIONS.length || (parsed > 0 && parsed + hintChars > V1_PART_CHARS)) {
    await popularity.writeConversion(site, state, { section, entry, chars: text.length });
    return { done: false, writes: 1 };
  }
  addV1Meta(state, (valueOf('meta') ?? {}) as Record<string, StoredPageMeta>);
  lastLayout = null;
  finishFromV1(state);
  await popularity.writeMeta(site, state);
  const dayWrites = await popularity.writeDays(site, state);
  // No digest here: the last part already parses the hints and writes the whole state; the next folds take them.
  const pageHashes = new Uint8Array(state.pageIds.length * PAGE_HASH_BYTES);
  const hintsOfSlots = hintHashes(state.pageIds, state.meta);
  await writeCountsWithUsage(popularity, site, state, hintsOfSlots, pageHashes, usage, false, 0);
  await popularity.deleteV1(site);
  if (progress === null) return { done: true, writes: 3 + dayWrites };
  await popularity.deleteConversion(site);
  return { done: true, writes: 4 + dayWrites };
}

/**
 * Runs the popularity work for `site` at `now` from `read` (the state as read at the start of the run) and returns
 * the state the run ends with. The ranking shows the metadata
 * `shownMeta` gives for the new state (the pages' own, storage/page-verification.ts), never the beacons' in
 * `state.meta`. While a version 1 document is found instead of counts, a run converts a part of it and ends there
 * (`convertV1Part`): folding and ranking wait for the run after the last part, and the lists stay as they were.
 */
export async function refreshPopularity(
  kv: KVNamespace,
  site: string,
  now: number,
  read: Pick<ReadState, 'state' | 'v1' | 'v1Progress' | 'metaRead' | 'hints' | 'pageHashes' | 'daysUnwritten'>,
  commentActivity: readonly PageActivity[],
  shownMeta: (state: PopularityState, listed: ListedPages, hints: PageHints) => Promise<Record<string, StoredPageMeta>>,
  usage?: CronUsage,
  part: PopularityPart = 'fold and rank',
): Promise<{ state: PopularityState; report: PopularityReport }> {
  const popularity = new PopularityStore(kv);
  // Its `meta` is filled in below if the run needs the hints; the caller's object is left as it was.
  const state = { ...read.state };
  if (read.v1 !== null) {
    const { done, writes } = await convertV1Part(popularity, site, read.v1, read.v1Progress, usage);
    const report: PopularityReport = {
      part,
      hours: 0,
      batches: 0,
      stateWritten: done,
      writes,
      rankingWritten: false,
      converted: done ? 'all' : 'part',
      catchingUp: false,
      metaRead: false,
      daysRead: false,
    };
    return { state, report };
  }
  const batchStore = new ViewBatchStore(kv);

  // Oldest hours first, as many as the read budget takes, but at least one, however busy, so the next run moves on; `aggregate`
  // then runs as of when the last hour taken is final (`catchUpAsOf`). A fold reads only the hours that are final:
  // the open hour is the ranking runs' (half the batches a :10 run read, parsed and hashed).
  const open = hoursToCollect(state, now);
  const final = lastFinalHour(now);
  const hours = part === 'fold' ? open.filter((hour) => hour <= final) : open;
  const keysByHour = await batchStore.keysByHour(site, hours, MAX_BATCH_READS);
  let keys: string[] = [];
  let collected = 0;
  for (const hour of hours) {
    const hourKeys = keysByHour.get(hour);
    // Not listed: past the batches this run reads, as is every later hour (`keysByHour` lists whole days, in order).
    if (hourKeys === undefined) break;
    if (collected >= 1 && keys.length + hourKeys.length > MAX_BATCH_READS) break;
    keys = keys.concat(hourKeys);
    collected += 1;
  }
  const catchingUp = collected < hours.length;
  // A backlog is folded by every popularity run, so the lists come back sooner; they wait until it is folded.
  const folds = part !== 'rank' || catchingUp;
  const ranks = part !== 'fold' && !catchingUp;
  const previousRanking = ranks ? popularity.readStoredRanking(site) : null;
  const asOf = catchingUp ? catchUpAsOf(hours[collected - 1]!, now) : now;

  // The ring of past days: a fold reads it only when it ends a day or may drop pages, so 23 folds of 24 neither read
  // nor write it (0.6 MB at 5,000 pages: worker/README.md "CPU time"); a ranking run reads its sums for the 7 and 30
  // days instead (80 KB), and the ring only when they do not serve (before a day's first fold).
  const sums = state.days === null && ranks ? popularity.readDaySums(site) : null;
  const daysRead = state.days === null && !ranks && endsDay(state, asOf) ? popularity.readDays(site) : null;
  const allBatches = await batchStore.read(keys);
  if (daysRead !== null) state.days = await daysRead;
  if (sums !== null) state.daySums = await sums;
  const daysNeeded = (sums !== null && !daySumsServe(state, state.daySums, asOf)) || mayDropPages(state, allBatches);
  if (state.days === null && daysNeeded) state.days = await popularity.readDays(site);
  // The pages' hints are read only when a beacon brings a new page, address or title (domain/page-hints.ts);
  // otherwise `aggregate` is given the batches without theirs, all of which it already has.
  const slotOf = slotsOf(state.pageIds);
  const storedHash = (pageId: string) => {
    const slot = slotOf.get(pageId);
    return slot === undefined || read.hints === null ? undefined : read.hints[slot];
  };
  // A ranking run looks for new pages only: hashing every hint of the open hour measured about 1.5 ms of its first
  // invocation, so a new address or title of a known page waits for the fold that finalizes its hour.
  let metaRead = read.metaRead;
  const hintsNeeded = folds ? hintsChanged(allBatches, storedHash) : hintsMissing(allBatches, storedHash);
  if (!metaRead && (read.hints === null || hintsNeeded)) {
    state.meta = await popularity.readMeta(site);
    metaRead = true;
  }
  const batches = metaRead ? allBatches : withoutHints(allBatches);
  // The counts were just read and are this run's alone: folded in place.
  const {
    state: next,
    countsChanged: foldedHours,
    daysChanged,
    slotsDropped,
    metaChanged,
  } = aggregate(state, batches, asOf, { ownsCounts: true });
  // Without the hints read, each slot keeps its hash (`aggregate` gives new pages a slot only by a new array).
  const nextHints = metaRead
    ? hintHashes(next.pageIds, next.meta)
    : next.pageIds === state.pageIds
      ? read.hints!
      : moveHashes(state.pageIds, read.hints!, next.pageIds);
  // Each slot's page hash as read, moved with the slots when pages were added or dropped (zero for a page added).
  const nextPageHashes =
    next.pageIds === state.pageIds && read.pageHashes !== null
      ? read.pageHashes
      : movePageHashes(state.pageIds, read.pageHashes, next.pageIds);
  // Hashes the hints just read disagree with (a format 2 value, a retitle) are stored with the counts.
  const countsChanged = foldedHours || (metaRead && (read.hints === null || !sameHashes(read.hints, nextHints)));
  const stateWritten = folds && (countsChanged || metaChanged);
  let writes = 0;
  // The day ring first: the counts name the days it holds. Written when a day ended, or with the first counts
  // written without it (read in a format that held it). After pages were dropped, the slots moved in both: the
  // counts are written with the days in one value instead.
  if (folds && !slotsDropped && (daysChanged || (stateWritten && read.daysUnwritten))) {
    writes += await popularity.writeDays(site, next);
  }
  // Metadata next: counts naming a page whose metadata failed to be written would rank it without a title. A
  // ranking run ranks from what it folded in memory (the fold run may have failed) and leaves the writes to a fold.
  if (folds && metaChanged) {
    await popularity.writeMeta(site, next);
    writes += 1;
  }
  // The cron's usage rides on the counts (one key to list), so they are written whenever the state is.
  if (stateWritten) {
    await writeCountsWithUsage(popularity, site, next, nextHints, nextPageHashes, usage, slotsDropped);
    writes += 1;
  }

  let rankingWritten = false;
  if (ranks) {
    // Ranked once, deeper than a list keeps: the rankings choose the pages to read, then list the pages read.
    const windows = windowViews(next, now);
    const nextSlots = slotsOf(next.pageIds);
    const { comments, newest } = await commentsOfPages(
      site,
      windows.pageIds,
      nextSlots,
      nextPageHashes,
      commentActivity,
      now,
    );
    const hints: PageHints = {
      hashOf(pageId) {
        const slot = nextSlots.get(pageId);
        if (slot !== undefined && nextHints[slot] !== 0) return nextHints[slot];
        const hint = next.meta[pageId];
        return hint ? hintHash(hint) : undefined;
      },
      async read() {
        if (!metaRead) [next.meta, metaRead] = [await popularity.readMeta(site), true];
        return next.meta;
      },
    };
    // The windows' first slots are the state's (`windowViews`): a slot's stored hint hash, with no lookup by id.
    const hasHint = (pageId: string, slot: number) =>
      (slot < nextHints.length && nextHints[slot] !== 0) || hints.hashOf(pageId) !== undefined;
    const ranked = rankAll(windows, comments, hasHint, PAGE_VERIFICATION.keptDepth);
    const shown = await shownMeta(next, listedPages(ranked, newest), hints);
    const ranking = encodeRanking(rankingDocument(ranked, shown, now, RANKING_DEPTH));
    const previous = await previousRanking;
    if (previous === null || !sameRankings(previous, ranking)) {
      await popularity.writeRanking(site, ranking);
      rankingWritten = true;
      writes += 1;
    }
  }
  return {
    state: next,
    report: {
      hours: collected,
      batches: batches.length,
      part,
      stateWritten,
      metaRead,
      daysRead: read.state.days === null && next.days !== null,
      writes,
      rankingWritten,
      converted: false,
      catchingUp,
    },
  };
}
