/**
 * <sala-admin-import>: the Import tab. The owner chooses (or drops) an export file; it is read and parsed in this
 * browser into a plan (in slices, with its progress shown and a button to cancel, the page responsive meanwhile), previewed (counts by status, what is left out and why, the pages the threads land on, what
 * the server already has), re-parsed when the address rewrites or options change, then sent in batches one after
 * another with a progress bar and a final report. Sending the same file again adds nothing: the Worker merges by
 * the comments' source ids. When the server pauses the import (the day's writes are spent), the tab says so and sends
 * the rest itself after 00:00 UTC while the page stays open, or stops waiting when the owner says so. A batch lost with
 * the connection goes again when it is back; one the server failed, once more after a few seconds. The admin page
 * keeps a site's element while its run is alive, so the run goes on, and shows again, while the owner visits other
 * sections; a second file waits until it ends, and a second admin page of this browser refuses to start one beside it
 * (a Web Lock per site), then says when that run has ended. A paused file is remembered in this browser
 * (`PausedFile`), so the tab says what was left unsent after the page is closed, until that file is imported to its end
 * or the owner forgets it; every admin page of the browser shows the same note. What waits on the server (queued for the
 * cron) is read again just after each time the tab names for it, so a tab left open follows the queue as it drains.
 */
import { html, LitElement, nothing, type TemplateResult, type PropertyDeclarations } from 'lit';
import type {
  ImportShortage,
  ImportStatus,
  ImportStatusResponse,
  ImportThread,
  ImportThreadResult,
} from '@sala/protocol';
import { define } from '../../internal/define.js';
import { readJson, removeItem, writeJson } from '../../internal/storage.js';
import { ApiError, toApiError } from '../../internal/api-client.js';
import type { AdminContext } from '../context.js';
import { cellLabel } from '../cell-label.js';
import { bidiText, isolate, isolatedHtml, spoken, type AdminStringKey } from '../strings/admin-strings.js';
import {
  FREE_PLAN_POST_COMMENTS,
  importBatches,
  newImportRun,
  tallyResults,
  type ImportBatch,
  type ImportBatches,
  type ImportTally,
  type ThreadSize,
} from './batches.js';
import { importTabStyles } from './import-tab.styles.js';
import {
  closingThreads,
  DEFAULT_IMPORT_OPTIONS,
  ImportFileError,
  leavingOpen,
  type ImportOptions,
  type ImportPlan,
} from './plan.js';
import type { ReadFileOptions, ReadProgress } from './read-file.js';

/**
 * Turns a file into a plan, saying how far it has got and stopping when the signal aborts; the parser and its format
 * modules load the first time a file is chosen.
 */
export type ImportParser = (
  file: Blob,
  options: ImportOptions,
  reading: Required<Pick<ReadFileOptions, 'signal' | 'onProgress'>>,
) => ImportPlan | Promise<ImportPlan>;

/**
 * The part of the page that reads import files could not be fetched: its chunk is gone from the server (Sala deployed
 * again since the page opened: chunks are named by their content) or the connection dropped. Reloading the page helps.
 */
export class ReaderUnloadableError extends Error {}

/** The parser that loads the file reader with `load` (its own chunk, fetched when the owner first chooses a file). */
export function parseWith(load: () => Promise<typeof import('./read-file.js')>): ImportParser {
  return async (file, options, reading) => {
    let reader: typeof import('./read-file.js');
    try {
      reader = await load();
    } catch (error) {
      throw new ReaderUnloadableError(String(error));
    }
    return reader.readImportFile(file, options, reading);
  };
}

const loadAndParse = parseWith(() => import('./read-file.js'));

/**
 * Posts a preview's dry run checks, in whole batches (so a few more when a batch ends past it): about 1,000 KV reads.
 * A bigger file is checked in part, since each option change checks again and the free plan has 100,000 reads a day.
 */
const DRY_RUN_PAGES = 500;

/** The first batches, up to the one that brings the pages they name to `pages`. */
function firstBatches(batches: readonly ImportBatch[], pages: number): ImportBatch[] {
  const named = new Set<string>();
  const taken: ImportBatch[] = [];
  for (const batch of batches) {
    if (named.size >= pages) break;
    taken.push(batch);
    for (const thread of batch.request.threads) named.add(thread.pageId);
  }
  return taken;
}
/**
 * Waits until `time` (ms since the epoch); tests hand in their own. A timer in the page: asleep or in a background tab
 * it may fire late, never early.
 */
export type ImportWaiter = (time: number) => Promise<void>;

const waitUntil: ImportWaiter = (time) => new Promise((resolve) => setTimeout(resolve, Math.max(0, time - Date.now())));

/**
 * How long after the server's `resumesAt` (00:00 UTC) a paused import goes on: the server's clock as measured here is
 * off by an answer's trip, and a batch sent before the server's midnight is only paused again.
 */
const RESUME_AFTER_MS = 60_000;

/**
 * How far the server's clock is ahead of this browser's (ms, to the second; negative when behind), from an answer's
 * `serverTime`; null when it does not say (a Worker before it did).
 */
function serverAheadOf(answer: { serverTime?: string }, receivedAt: number): number | null {
  const time = answer.serverTime === undefined ? NaN : Date.parse(answer.serverTime);
  return Number.isFinite(time) ? Math.round((time - receivedAt) / 1000) * 1000 : null;
}

/** The batch's threads the server paused, in order, as a batch of their own to send again; null when none was. */
function pausedPart(batch: ImportBatch, results: readonly ImportThreadResult[]): ImportBatch | null {
  const threads = batch.request.threads.filter((_, i) => results[i]?.outcome === 'paused');
  if (threads.length === 0) return null;
  const comments = threads.reduce((sum, thread) => sum + thread.comments.length, 0);
  return { request: { ...batch.request, threads }, comments };
}

/**
 * How long a run waits before it sends again a batch the server failed: Cloudflare's error page when the Worker ran out
 * of CPU time ("Worker exceeded resource limits") or any 5xx not Sala's own, or Sala's 500. Long enough for a busy
 * moment to pass, short enough that the owner watching the progress line does not think it stuck.
 */
export const IMPORT_RETRY_AFTER_MS = 10_000;

/**
 * The waits before a batch whose request never reached the server (fetch rejected: the connection lost) is sent again
 * while this browser says it is online: a Wi-Fi that drops for a moment is back for the first or second try, a router
 * restarting within a few minutes; after the last (about 4 minutes of waits, 5 with the failed requests' own time) the
 * run stops, since a connection online yet unable to reach the server for that long (a captive portal, a DNS failure)
 * needs the owner, and importing the same file again goes on from there. None is longer than a minute.
 */
export const IMPORT_RECONNECT_WAITS_MS = [5_000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000];

/**
 * How long a run waits for a batch's answer before it takes the connection for lost and sends the batch again (the
 * server merges by source ids, so a batch that did go in adds nothing the second time). A half-open connection after a
 * Wi-Fi change, or a proxy that never answers, otherwise holds the run until the browser gives up, many minutes later.
 * Generous: 1 MiB takes about 35 s up a 256 kbit/s link (a poor mobile one), and a Worker busy with KV a few seconds
 * more; shorter, a slow but working link would time out at every try and the run stop after the last. A server that
 * never answers then stops the run after its 8 requests and the waits between them, about 16 minutes.
 */
export const IMPORT_REQUEST_TIMEOUT_MS = 90_000;

/**
 * How long the preview's server check waits for each of its dry runs (the waiting line: `IMPORT_STATUS_TIMEOUT_MS`):
 * requests that only read (a dry run's batch a few dozen KV reads), answered in a second or two; with none by then (a
 * half-open connection, a proxy that never answers), the tab says so and offers to check again. Before, "Checking…"
 * stayed up for good.
 */
export const IMPORT_CHECK_TIMEOUT_MS = 30_000;

/**
 * How long the waiting line waits for GET …/import (one KV list, two more when something waits: answered in well under
 * a second). With none by then, the tab says what waits is not known, with Check again, and shows the file field:
 * importing without the line is safe (a post that waits is answered `queued`, and the preview's check says so of each).
 * Before, the tab showed "Loading…" for the whole `IMPORT_CHECK_TIMEOUT_MS`, with nothing to act on.
 */
export const IMPORT_STATUS_TIMEOUT_MS = 5_000;

/** The tab's own signal, ended also when `ms` (`IMPORT_CHECK_TIMEOUT_MS` unless given) have passed. */
function checkSignal(tab: AbortSignal, ms = IMPORT_CHECK_TIMEOUT_MS): AbortSignal {
  return AbortSignal.any([tab, AbortSignal.timeout(ms)]);
}

/** A check that got no answer: lost with the connection, or none in time (`checkSignal`, the tab still there). */
function noAnswer(error: unknown, tab: AbortSignal): boolean {
  if (tab.aborted) return false;
  return (error instanceof DOMException && error.name === 'TimeoutError') || toApiError(error).code === 'network';
}

/**
 * The longest wait for the `online` event while this browser says it is offline: a run then never gives up (the owner
 * has Stop), but tries once a minute, as the event can be missed (a computer waking from sleep) or `onLine` be wrong.
 */
const OFFLINE_RETRY_MS = 60_000;

/** Resolves at the browser's next `online` event; `signal` removes the listener. */
function backOnline(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => window.addEventListener('online', () => resolve(), { once: true, signal }));
}

/** The server failed the request, not refused what it carried: sent again, it may go through. */
function serverFailed({ code }: ApiError): boolean {
  return code === 'bad_response' || code === 'internal';
}

/** The batch without the threads of the posts in `leftOut` (page ids); null when nothing else is in it. */
function withoutPosts(batch: ImportBatch, leftOut: ReadonlySet<string>): ImportBatch | null {
  const threads = batch.request.threads.filter((thread) => !leftOut.has(thread.pageId));
  if (threads.length === batch.request.threads.length) return batch;
  if (threads.length === 0) return null;
  const comments = threads.reduce((sum, thread) => sum + thread.comments.length, 0);
  return { request: { ...batch.request, threads }, comments };
}

/** Whether the request with `thread` publishes its post: the post whole, or its last part. */
function publishes(thread: ImportThread): boolean {
  return !thread.part || thread.part.index === thread.part.count - 1;
}

/** What tells a chosen file from another: a different file of the same name and size has another modification time. */
interface FileIdentity {
  name: string;
  size: number;
  /** `File.lastModified`, ms since the epoch. */
  lastModified: number;
}

/**
 * A file whose import paused part-way, kept in this browser's localStorage per site (`pausedFileKey`): the tab says
 * what was not sent after the page is closed or the owner stops waiting, until that file's import completes. Not on
 * the server: a pause means the day's KV writes are spent, and remembering it there would cost one more.
 */
interface PausedFile {
  name: string;
  size: number;
  /** Absent in a note written before it was kept: such a note matches by name and size. */
  lastModified?: number;
  /** ISO 8601: when the import paused. */
  pausedAt: string;
  /** ISO 8601: the next 00:00 UTC, when the server takes writes again. */
  resumesAt: string;
  /** Posts and comments not sent when it paused. */
  threads: number;
  comments: number;
}

/**
 * The Web Lock a run of `site` holds for its life, its wait for the reset included: another admin page of this browser
 * (a second tab or window) then refuses to start one beside it.
 */
function importLockName(site: string): string {
  return `sala:import:${site}`;
}

/** This browser's Web Locks; undefined where it has none (pages then know nothing of each other's runs). */
function webLocks(): LockManager | undefined {
  return navigator.locks as LockManager | undefined;
}

/**
 * Calls `then` once `site`'s import lock is free: asks for it in the queue and lets go of it as soon as it is granted.
 * Never, once `signal` aborts (another file, a run of this page, or the tab left).
 */
function whenImportLockFree(locks: LockManager, site: string, signal: AbortSignal, then: () => void): void {
  locks
    .request(importLockName(site), { signal }, () => {
      if (!signal.aborted) then();
    })
    .catch(() => {
      // Aborted: the wait is no longer wanted.
    });
}

function pausedFileKey(site: string): string {
  return `sala:import-paused:${site}`;
}

function readPausedFile(site: string): PausedFile | null {
  const stored = readJson(pausedFileKey(site));
  if (typeof stored !== 'object' || stored === null) return null;
  const { name, size, lastModified, pausedAt, resumesAt, threads, comments } = stored as Record<string, unknown>;
  const valid =
    typeof name === 'string' &&
    typeof pausedAt === 'string' &&
    typeof resumesAt === 'string' &&
    (lastModified === undefined || typeof lastModified === 'number') &&
    [size, threads, comments].every((count) => typeof count === 'number' && Number.isFinite(count));
  return valid ? (stored as PausedFile) : null;
}

/** Whether the note `paused` is about `file`. */
function sameFile(paused: PausedFile, file: FileIdentity): boolean {
  return (
    paused.name === file.name &&
    paused.size === file.size &&
    (paused.lastModified === undefined || paused.lastModified === file.lastModified)
  );
}

/** The posts and comments in `batches`: a post sent in parts counts once. */
function unsent(batches: readonly ImportBatch[]): { threads: number; comments: number } {
  const pages = new Set(batches.flatMap((batch) => batch.request.threads.map((thread) => thread.pageId)));
  return { threads: pages.size, comments: batches.reduce((sum, batch) => sum + batch.comments, 0) };
}

/** Rows of the pages table shown before "and M more". */
const SHOWN_THREADS = 20;
/** Page ids of the posts a file closes named in the preview before "…". */
const SHOWN_CLOSING = 10;
const STATUSES: ImportStatus[] = ['approved', 'pending', 'spam', 'rejected'];
/** The waiting line by what GET /import says the queue waits for: a budget spent today, or only the next cron run. */
const WAITING_STRINGS: Record<ImportShortage | 'next run', AdminStringKey> = {
  writes: 'importWaitingWrites',
  lists: 'importWaitingLists',
  'next run': 'importWaitingNextRun',
};
/** Codes with which the Worker refuses a batch for what is in it: its message names the field. */
const REFUSALS = new Set([
  'invalid_field',
  'invalid_json',
  'payload_too_large',
  'too_many_threads',
  'too_many_comments',
]);

/** The rewrite and option fields as typed; empty fields rewrite nothing. */
interface OptionFields {
  /** The blog's address, for a file that gives only the posts' paths (Google Takeout). */
  siteOrigin: string;
  https: boolean;
  bloggerDotCom: boolean;
  fromOrigin: string;
  toOrigin: string;
  prefixFrom: string;
  prefixTo: string;
  pingbacks: ImportOptions['pingbacks'];
  keepSpam: boolean;
}

const DEFAULT_FIELDS: OptionFields = {
  siteOrigin: '',
  https: DEFAULT_IMPORT_OPTIONS.rewrites.https,
  bloggerDotCom: DEFAULT_IMPORT_OPTIONS.rewrites.bloggerDotCom,
  fromOrigin: '',
  toOrigin: '',
  prefixFrom: '',
  prefixTo: '',
  pingbacks: DEFAULT_IMPORT_OPTIONS.pingbacks,
  keepSpam: DEFAULT_IMPORT_OPTIONS.keepSpam,
};

export function importOptions(fields: OptionFields): ImportOptions {
  const fromOrigin = fields.fromOrigin.trim();
  const toOrigin = fields.toOrigin.trim();
  const prefixFrom = fields.prefixFrom.trim();
  const siteOrigin = fields.siteOrigin.trim();
  return {
    rewrites: {
      https: fields.https,
      bloggerDotCom: fields.bloggerDotCom,
      ...(fromOrigin && toOrigin ? { fromOrigin, toOrigin } : {}),
      ...(prefixFrom ? { pathPrefix: { from: prefixFrom, to: fields.prefixTo.trim() || '/' } } : {}),
    },
    pingbacks: fields.pingbacks,
    keepSpam: fields.keepSpam,
    ...(siteOrigin ? { siteOrigin } : {}),
  };
}

/**
 * What the server already has, from a dry run of every batch; `unknown` when the Worker cannot say, `no answer` when a
 * request of the check got none (lost, or none within `IMPORT_CHECK_TIMEOUT_MS`): the owner may check again.
 */
type DryRun =
  | { state: 'checking' }
  | { state: 'unknown' }
  | { state: 'no answer' }
  | {
      state: 'known';
      tally: ImportTally;
      addedByPage: Map<string, number>;
      /** Posts that wait on the server already, exactly as in the file (queued for the cron): not new, not in yet. */
      waitingPages: Set<string>;
      /**
       * Waiting posts changed since they were queued (`ImportThreadResult.estimate`, on a part before the last or on a
       * last part the staged parts cannot join): the dry run can only estimate them, so their comments
       * (`estimatedComments`) are not in `tally.added`.
       */
      estimatedPages: Set<string>;
      estimatedComments: number;
      checkedPages: number;
      /** Comments of the file imported at another address already (`elsewhereOf`), which the import leaves there. */
      elsewhere?: Elsewhere;
      /** The file's posts with comments imported at another address: not here, whatever else they add. */
      elsewherePages: Set<string>;
    };

interface Progress {
  done: number;
  total: number;
  comments: number;
  /** ISO 8601: the server paused the import until then (the next 00:00 UTC); the rest is sent after it. */
  pausedUntil?: string;
  /**
   * A batch (1-based) is sent again after a wait: the server failed it (after `IMPORT_RETRY_AFTER_MS`), or its request
   * never reached the server (when the connection is back).
   */
  retrying?: { batch: number; after: 'server failure' | 'lost connection' };
}

/** Comments the server found imported at other addresses already (`ImportThreadResult.elsewhere`), and those pages. */
interface Elsewhere {
  comments: number;
  pages: string[];
}

/**
 * What the results say is imported at other addresses already; undefined when nothing is. A post is counted once (a
 * batch sent again answers it again), but for a dry run's parts (`byPart`), each checked alone, which add up.
 */
function elsewhereOf(results: readonly ImportThreadResult[], byPart = false): Elsewhere | undefined {
  const byPost = new Map<string, { pageId: string; comments: number }>();
  for (const { pageId, elsewhere } of results) {
    const before = byPart ? byPost.get(pageId) : undefined;
    if (elsewhere) byPost.set(pageId, { ...elsewhere, comments: elsewhere.comments + (before?.comments ?? 0) });
  }
  if (byPost.size === 0) return undefined;
  const found = [...byPost.values()];
  return {
    comments: found.reduce((sum, there) => sum + there.comments, 0),
    pages: [...new Set(found.map((there) => there.pageId))],
  };
}

interface Report {
  tally: ImportTally;
  /** Comments imported at other addresses already, left there. */
  elsewhere?: Elsewhere;
  resumesAt?: string;
  /** What the day ran out of, when posts were queued. */
  queuedFor?: ImportShortage;
  /** Why the run stopped before the last batch. */
  stopped?: string;
  /** Posts the server failed twice and the run went on without: what the owner is told of each batch of them. */
  failed?: string[];
  /** The owner stopped waiting for the daily reset. */
  stoppedWaiting?: boolean;
  /**
   * A post this run imported, whose comments the report opens: the site-wide lists hold imported ones only once
   * moderated. With nothing new, a post already imported (`already`): the owner still wants to see it.
   */
  openPost?: { pageId: string; title: string; already?: boolean };
}

/**
 * The post the report links to: the first this run imported, else (a run that found everything there) the first
 * already imported, at the address its comments are (another one than the file's, `elsewhere`, when they were left
 * there); none when the run wrote nothing and found nothing there.
 */
function postToOpen(
  results: readonly ImportThreadResult[],
  threads: readonly { pageId: string; title?: string }[],
): Report['openPost'] {
  const imported = results.find((result) => result.outcome === 'imported');
  const found = imported ?? results.find((result) => result.outcome === 'unchanged');
  if (!found) return undefined;
  const title = threads.find((thread) => thread.pageId === found.pageId)?.title ?? found.pageId;
  if (imported) return { pageId: found.pageId, title };
  return { pageId: found.elsewhere?.pageId ?? found.pageId, title, already: true };
}

export class SalaAdminImport extends LitElement {
  static override styles = importTabStyles;
  static override properties: PropertyDeclarations = {
    context: { attribute: false },
    parse: { attribute: false },
    wait: { attribute: false },
    fields: { state: true },
    file: { state: true },
    reading: { state: true },
    readProgress: { state: true },
    plan: { state: true },
    batches: { state: true },
    fileError: { state: true },
    dryRun: { state: true },
    progress: { state: true },
    report: { state: true },
    runError: { state: true },
    waiting: { state: true },
    waitingUnknown: { state: true },
    dragging: { state: true },
    leaveOpen: { state: true },
    runWhenRead: { state: true },
    pausedFile: { state: true },
    runElsewhere: { state: true },
    pausedElsewhere: { state: true },
    statusKnown: { state: true },
  };

  context!: AdminContext;
  /** The parser; tests may hand in their own. */
  parse: ImportParser = loadAndParse;
  /** How a paused import waits for the reset; tests may hand in their own clock. */
  wait: ImportWaiter = waitUntil;
  /** How the waiting line waits for the cron run (or the reset) it names, to be read again; tests may hand in their own. */
  waitForQueue: ImportWaiter = waitUntil;

  private fields: OptionFields = { ...DEFAULT_FIELDS };
  private file: FileIdentity | null = null;
  private reading = false;
  /** How far the file being read has got; null until the parser first says. */
  private readProgress: ReadProgress | null = null;
  private plan: ImportPlan | null = null;
  private batches: ImportBatches | null = null;
  private fileError = '';
  private dryRun: DryRun | null = null;
  private progress: Progress | null = null;
  private report: Report | null = null;
  private runError = '';
  private waiting: ImportStatusResponse | null = null;
  /** The waiting line's request got no answer: what waits on the server is not known, and the owner may ask again. */
  private waitingUnknown = false;
  private dragging = false;
  /** The owner keeps open the posts the file closes (unchecked: the file's state, as it says). */
  private leaveOpen = false;
  /** Import was clicked while an option change had the file read again: the run starts when the new plan is ready. */
  private runWhenRead = false;
  /** A file of this site whose import paused part-way, remembered in this browser; null when none is. */
  private pausedFile: PausedFile | null = null;
  /**
   * Import was refused: another page of this browser holds this site's import lock (`under way`), or held it until
   * just now (`ended`); null when neither is said.
   */
  private runElsewhere: 'under way' | 'ended' | null = null;
  /**
   * Another page of this browser holds this site's import lock while the paused file's note is shown: that page's run
   * goes on by itself, and forgetting the note here would be undone when it ends, so Forget is not offered.
   */
  private pausedElsewhere = false;
  /**
   * What waits on the server and whether the paused file's run goes on in another page are known (or their check
   * gave up): until then the tab shows "Loading…" where their notes go, and nothing below, which a late note would
   * have pushed down under the owner's pointer. Once known, it stays so for the element.
   */
  private statusKnown = false;

  /** The chosen file, kept (not its text) so that an option change reads it again. */
  #file: Blob | null = null;
  /** Bumped by every new file or option change, so an older parse or dry run cannot overwrite a newer one. */
  #generation = 0;
  #abort = new AbortController();
  /** Stops the parse under way: a newer one replaces it, the owner cancels it, or the tab is left. */
  #stopReading = new AbortController();
  /**
   * Ends the run's wait at once (the owner's Stop): for the daily reset, or before a batch is sent again; null when the
   * run is not waiting.
   */
  #stopWaiting: (() => void) | null = null;
  /** Import was clicked and the site's import lock is being asked for. */
  #claiming = false;
  /** Ends the wait for another page's run to let go of the site's lock; null when the tab is not waiting for one. */
  #stopAwaitingOther: AbortController | null = null;
  /** Ends the wait for another page's run that the paused file's note waits on; null when it waits on none. */
  #stopWatchingElsewhere: AbortController | null = null;
  /**
   * How far the server's clock is ahead of this browser's, from its latest import answer: the waits for its `resumesAt`
   * are timed by the server's clock, since this computer's may be hours off (it would otherwise send, or read, again
   * every minute until the server's midnight).
   */
  #serverAhead = 0;
  /** The latest wait for the time the waiting line names: only it reads the line again; null when none is wanted. */
  #followingQueue: object | null = null;
  /** The number format of `#numberFormat`, with the language it was made for. */
  #format?: { lang: string; number: Intl.NumberFormat };

  /**
   * Whether a run is alive: asked for, sending, or waiting for the reset. The admin page keeps the element while one
   * is, and otherwise lets it go (with its file and plan) when the owner leaves the tab.
   */
  get running(): boolean {
    return this.progress !== null || this.#claiming;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#abort = new AbortController();
    this.pausedFile = readPausedFile(this.context.site);
    window.addEventListener('storage', this.#pausedFileStored);
    void Promise.all([this.#loadWaiting(), this.#watchPausedElsewhere()]).then(() => (this.statusKnown = true));
    // The check of what the server has was cut off when the owner left: it is made again for the preview shown.
    if (this.dryRun?.state === 'checking' && this.batches && !this.progress) void this.#checkServer(++this.#generation);
    if (this.runElsewhere === 'under way') this.#awaitOtherRun();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#abort.abort();
    window.removeEventListener('storage', this.#pausedFileStored);
    // Nobody is there to read that the other page's run ended: the page's request for the lock goes.
    this.#stopAwaitingOther?.abort();
    this.#stopAwaitingOther = null;
    this.#stopWatchingElsewhere?.abort();
    this.#stopWatchingElsewhere = null;
    this.pausedElsewhere = false;
    // Coming back reads the waiting line again, and follows it from there.
    this.#followingQueue = null;
    // A file half read is forgotten: nobody is there to see it finish, and the field no longer names it.
    if (this.reading) {
      this.#forgetFile();
      const input = this.renderRoot.querySelector<HTMLInputElement>('#import-file');
      if (input) input.value = '';
    }
  }

  /**
   * Another page of this browser wrote or removed this site's paused-file note (its run paused, imported the file to its
   * end, or the owner forgot it there): the note here says the same, and that its run goes on there while it does. A
   * pause there may have queued posts on the server: the waiting line is read again.
   */
  #pausedFileStored = (event: StorageEvent): void => {
    if (event.key !== null && event.key !== pausedFileKey(this.context.site)) return;
    this.pausedFile = readPausedFile(this.context.site);
    void this.#watchPausedElsewhere();
    if (event.newValue !== null) void this.#loadWaiting();
  };

  /** A previous import's threads waiting for the cron are shown as soon as the tab opens. */
  async #loadWaiting(): Promise<void> {
    const tab = this.#abort.signal;
    try {
      const status = await this.context.api.importStatus(this.context.site, checkSignal(tab, IMPORT_STATUS_TIMEOUT_MS));
      this.#heard(status);
      this.waiting = status.queuedThreads > 0 ? status : null;
      this.waitingUnknown = false;
    } catch (error) {
      // No answer: the line says what waits is not known. A Worker without the route, or another failure: the tab
      // works without the line.
      if (noAnswer(error, tab)) this.waitingUnknown = true;
      return;
    }
    this.#followQueue();
  }

  /**
   * The cron writes what waits at the time the line names (its next run, or after the reset): the line is read again
   * just after it, and so on while something waits, so a tab left open follows the queue as it drains.
   */
  #followQueue(): void {
    const resumesAt = this.waiting?.resumesAt;
    if (resumesAt === undefined) {
      this.#followingQueue = null;
      return;
    }
    const following = (this.#followingQueue = {});
    void this.waitForQueue(this.#justAfter(resumesAt)).then(() => {
      if (this.#followingQueue === following && this.isConnected) void this.#loadWaiting();
    });
  }

  /** Keeps how far the server's clock is from this browser's, as an import answer just received says. */
  #heard(answer: { serverTime?: string }): void {
    this.#serverAhead = serverAheadOf(answer, Date.now()) ?? this.#serverAhead;
  }

  /**
   * This browser's time a minute after the server's `time` (its `resumesAt`), by the server's clock as last heard; never
   * sooner than a minute from now, so a time already past is not asked about again at once.
   */
  #justAfter(time: string): number {
    return Math.max(Date.parse(time) - this.#serverAhead, Date.now()) + RESUME_AFTER_MS;
  }

  /**
   * The page language's number format, made once per language: a progress render formats a few numbers for each row of
   * the posts table, and making a formatter each time was 8% of a big import's rendering in Chromium.
   */
  #numberFormat(): Intl.NumberFormat {
    const { lang } = this.context.i18n;
    if (this.#format?.lang !== lang) this.#format = { lang, number: new Intl.NumberFormat(lang) };
    return this.#format.number;
  }

  #numbers(values: Record<string, string | number>): Record<string, string> {
    const number = this.#numberFormat();
    return Object.fromEntries(
      Object.entries(values).map(([key, value]) => [key, typeof value === 'number' ? number.format(value) : value]),
    );
  }

  /** "1 comment", "5 comments": pluralised as the language does it. */
  #comments(count: number): string {
    return this.context.i18n.plural(count, 'importCommentsOne', 'importCommentsOther');
  }

  /** `comments` and `threads` for a summary, each with its noun: "1 comment" in "2 posts". */
  #summaryCounts(comments: number, threads: number): Record<'comments' | 'threads', string> {
    return {
      comments: this.#comments(comments),
      threads: this.context.i18n.plural(threads, 'importPostsOne', 'importPostsOther'),
    };
  }

  #size(bytes: number): string {
    const megabytes = bytes >= 100_000;
    return new Intl.NumberFormat(this.context.i18n.lang, {
      style: 'unit',
      unit: megabytes ? 'megabyte' : 'kilobyte',
      maximumFractionDigits: 1,
    }).format(bytes / (megabytes ? 1_000_000 : 1_000));
  }

  async #choose(file: File | undefined): Promise<void> {
    if (!file) return;
    // One run at a time: a dropped file waits until this one ends (the file field is disabled meanwhile).
    if (this.progress) return this.context.announce(this.context.i18n.t('importBusy'));
    this.runWhenRead = false;
    this.#forgetOtherRun();
    this.file = { name: file.name, size: file.size, lastModified: file.lastModified };
    this.report = null;
    this.runError = '';
    this.plan = null;
    this.dryRun = null;
    this.#file = file;
    await this.#parse(++this.#generation);
  }

  async #parse(generation: number): Promise<void> {
    const { i18n } = this.context;
    const file = this.#file;
    if (file === null) return;
    this.#stopReading.abort();
    const stop = (this.#stopReading = new AbortController());
    this.reading = true;
    this.readProgress = null;
    this.fileError = '';
    // The preview stays as it was until the new plan replaces it.
    let plan: ImportPlan;
    try {
      plan = await this.parse(file, importOptions(this.fields), {
        signal: stop.signal,
        onProgress: (progress) => {
          if (generation === this.#generation) this.readProgress = progress;
        },
      });
    } catch (error) {
      // Replaced by a newer parse, or cancelled: that one, or `#cancelReading`, says what happens next.
      if (generation !== this.#generation || stop.signal.aborted) return;
      this.reading = false;
      this.runWhenRead = false;
      this.plan = null;
      this.batches = null;
      this.fileError =
        error instanceof ImportFileError
          ? i18n.t(`importFileError.${error.code}`)
          : error instanceof ReaderUnloadableError
            ? i18n.t('importReaderUnloadable')
            : i18n.t('importFileUnreadable', { message: error instanceof Error ? error.message : String(error) });
      this.context.announce(this.fileError);
      // The file needs the blog's address: the field to type it in takes focus.
      if (error instanceof ImportFileError && error.code === 'needs-origin') {
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>('#import-siteOrigin')?.focus();
      }
      return;
    }
    if (generation !== this.#generation) return;
    this.plan = plan;
    this.dryRun = null;
    this.batches = this.#batchesOf(plan);
    this.reading = false;
    this.readProgress = null;
    const comments = STATUSES.reduce((sum, status) => sum + plan.counts[status], 0);
    this.context.announce(
      comments === 0
        ? i18n.t('importNothing')
        : // Spoken alone, the summary ends a sentence, in the language's own full stop, not the list's colon.
          i18n
            .t('importSummary', this.#summaryCounts(comments, plan.threads.length))
            .replace(/[:：៖]$/, i18n.t('fullStop')),
    );
    // Import was clicked during this reading: it goes now, with the new plan; its end checks the server.
    if (this.runWhenRead) {
      this.runWhenRead = false;
      return this.#run();
    }
    if (this.batches.batches.length > 0) await this.#checkServer(generation);
  }

  /**
   * A dry run of every batch: which posts are new and what each adds. Nothing is written. Comments it finds at
   * another address are announced (`announce`), as the preview's line saying so is not a live region; not after a
   * run, whose report said so.
   */
  async #checkServer(generation: number, announce = true): Promise<void> {
    const { api, site } = this.context;
    const batches = firstBatches(this.batches?.batches ?? [], DRY_RUN_PAGES);
    this.dryRun = { state: 'checking' };
    const results = [];
    try {
      for (const batch of batches) {
        // The owner left the tab: nobody reads the answer.
        if (!this.isConnected) return;
        const response = await api.importBatch(site, batch.request, {
          dryRun: true,
          signal: checkSignal(this.#abort.signal),
        });
        this.#heard(response);
        if (generation !== this.#generation) return;
        results.push(...response.threads);
      }
    } catch (error) {
      // No answer: said so, with Check again. 404 or 400: a Worker without dry runs; anything else: the check failed.
      // Either way, say it is unknown.
      if (generation === this.#generation && !this.#abort.signal.aborted)
        this.dryRun = { state: noAnswer(error, this.#abort.signal) ? 'no answer' : 'unknown' };
      return;
    }
    const addedByPage = new Map<string, number>();
    for (const result of results) addedByPage.set(result.pageId, (addedByPage.get(result.pageId) ?? 0) + result.added);
    const waitingPages = new Set(
      results.filter((result) => result.outcome === 'queued').map((result) => result.pageId),
    );
    const estimated = results.filter((result) => result.estimate);
    const elsewhere = elsewhereOf(results, true);
    this.dryRun = {
      state: 'known',
      tally: tallyResults(results.filter((result) => !result.estimate)),
      addedByPage,
      waitingPages,
      estimatedPages: new Set(estimated.map((result) => result.pageId)),
      estimatedComments: estimated.reduce((sum, result) => sum + result.added, 0),
      checkedPages: addedByPage.size,
      ...(elsewhere ? { elsewhere } : {}),
      elsewherePages: new Set(results.filter((result) => result.elsewhere).map((result) => result.pageId)),
    };
    if (elsewhere && announce) this.context.announce(this.#elsewhereText(elsewhere));
  }

  /** The batches to send: the file's threads, their closing dropped when the owner leaves the posts open. */
  #batchesOf(plan: ImportPlan): ImportBatches {
    return importBatches(this.leaveOpen ? leavingOpen(plan) : plan);
  }

  /** Closing or not changes what the import does: the batches and the server's check are made again, not the file. */
  async #setLeaveOpen(leaveOpen: boolean): Promise<void> {
    this.leaveOpen = leaveOpen;
    if (!this.plan || this.progress) return;
    this.batches = this.#batchesOf(this.plan);
    const generation = ++this.#generation;
    if (this.batches.batches.length > 0) await this.#checkServer(generation);
    else this.dryRun = null;
  }

  #change(fields: Partial<OptionFields>): void {
    this.fields = { ...this.fields, ...fields };
    if (this.#file && !this.progress) void this.#parse(++this.#generation);
  }

  /** The owner stops a file's reading: the tab is as before the file was chosen, the file field focused. */
  async #cancelReading(): Promise<void> {
    this.#forgetFile();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#import-file');
    // Choosing the same file again is then a change.
    if (input) input.value = '';
    await this.updateComplete;
    input?.focus();
    this.context.announce(this.context.i18n.t('importReadingCancelled'));
  }

  /** Stops any reading and forgets the file and its plan. */
  #forgetFile(): void {
    this.#stopReading.abort();
    this.#forgetOtherRun();
    this.#generation += 1;
    this.#file = null;
    this.file = null;
    this.reading = false;
    this.runWhenRead = false;
    this.readProgress = null;
    this.plan = null;
    this.batches = null;
    this.dryRun = null;
  }

  async #run(): Promise<void> {
    if (this.running) return;
    // The file is being read again for a changed option: the click is held, and the run starts with the new plan.
    // The run's status line, a live region, says so: announced as well, a screen reader read it twice.
    if (this.reading) {
      this.runWhenRead = true;
      return;
    }
    const batches = this.batches?.batches;
    if (!batches || batches.length === 0) return;
    const file = this.file;
    const large = this.batches?.large ?? [];
    this.#forgetOtherRun();
    // A browser without Web Locks does not know of other pages' runs, and sends as it did before them.
    const locks = webLocks();
    if (!locks) return this.#send(batches, file, large);
    this.#claiming = true;
    try {
      await locks.request(importLockName(this.context.site), { ifAvailable: true }, async (lock) => {
        this.#claiming = false;
        if (lock === null) {
          this.runElsewhere = 'under way';
          this.#awaitOtherRun();
        } else await this.#send(batches, file, large);
      });
    } catch {
      // Only a request that steals it takes the lock from a run: the run goes on, no longer guarded.
    } finally {
      this.#claiming = false;
    }
  }

  /**
   * Waits in the queue for the site's import lock, which another page's run holds, and lets go of it as soon as it is
   * granted: the status line then says that run has ended. The owner starts this page's import: it needs a click.
   */
  #awaitOtherRun(): void {
    const locks = webLocks();
    if (!locks) return;
    this.#stopAwaitingOther?.abort();
    const stop = (this.#stopAwaitingOther = new AbortController());
    whenImportLockFree(locks, this.context.site, stop.signal, () => {
      this.#stopAwaitingOther = null;
      if (this.runElsewhere !== 'under way') return;
      this.runElsewhere = 'ended';
      // That run may have spent today's import writes: the status line says so, with the reset, from what waits.
      void this.#loadWaiting();
    });
  }

  /**
   * The paused file's note, shown while another page of this browser holds the site's import lock (its run, perhaps
   * the one that paused), says so and offers no Forget; once that page lets go, the note is read again from storage,
   * which that run clears when it imported the file to its end.
   */
  async #watchPausedElsewhere(): Promise<void> {
    const locks = webLocks();
    if (!locks || !this.pausedFile || this.running) return;
    const name = importLockName(this.context.site);
    const held = await locks.query().then(
      (state) => (state.held ?? []).some((lock) => lock.name === name),
      () => false,
    );
    if (!held || !this.isConnected || this.running) return;
    this.#stopWatchingElsewhere?.abort();
    const stop = (this.#stopWatchingElsewhere = new AbortController());
    this.pausedElsewhere = true;
    whenImportLockFree(locks, this.context.site, stop.signal, () => {
      this.#stopWatchingElsewhere = null;
      this.pausedElsewhere = false;
      this.pausedFile = readPausedFile(this.context.site);
    });
  }

  /** Another file or a run of this page: what was said of the other page's run no longer applies. */
  #forgetOtherRun(): void {
    this.#stopAwaitingOther?.abort();
    this.#stopAwaitingOther = null;
    this.runElsewhere = null;
  }

  /** Sends `batches` one after another, waits for the reset when the server pauses them, and reports how it ended. */
  async #send(batches: readonly ImportBatch[], file: FileIdentity | null, large: ThreadSize[]): Promise<void> {
    const { api, site } = this.context;
    // A run outlives option changes: it sends the batches previewed when it started.
    this.#generation += 1;
    this.report = null;
    this.runError = '';
    this.progress = { done: 0, total: batches.length, comments: 0 };
    // A server check under way is outdated (its answer is dropped); left "checking", the section stayed aria-busy.
    if (this.dryRun?.state === 'checking') this.dryRun = null;
    // Every request of the run says it is of this run: a batch sent again because its answer was lost is answered as
    // the first time, what it wrote `imported`, not `unchanged` (an earlier run's import of the same file still is).
    const run = newImportRun();
    let results: ImportThreadResult[] = [];
    let resumesAt: string | undefined;
    let queuedFor: ImportShortage | undefined;
    let stopped: string | undefined;
    let stoppedWaiting = false;
    let sent = 0;
    let index = 0;
    // What is left to send: a batch the server paused in part goes again with its paused threads only.
    let next: ImportBatch | undefined = batches[0];
    // A batch the server failed is sent once more; failed again, its posts are left out and the run goes on, unless the
    // batch before failed so too (the server fails everything, not one post: the run stops).
    let retried = false;
    let failedInARow = 0;
    // Times this batch went again after a lost connection while the browser said it was online.
    let reconnects = 0;
    const failed: string[] = [];
    const leftOut = new Set<string>();
    const advance = () => {
      index += 1;
      this.progress = { done: index, total: batches.length, comments: sent };
      // A post left out is left out whole: its later parts would only be staged, and its last part refused.
      for (next = batches[index]; next !== undefined; next = batches[index]) {
        const rest = withoutPosts(next, leftOut);
        if (rest !== null) return void (next = rest);
        index += 1;
        this.progress = { done: index, total: batches.length, comments: sent };
      }
    };
    while (next !== undefined) {
      // Not tied to the tab: an owner who opens another section meanwhile does not stop the import.
      let response;
      const deadline = AbortSignal.timeout(IMPORT_REQUEST_TIMEOUT_MS);
      try {
        response = await api.importBatch(site, { ...next.request, run }, { signal: deadline });
      } catch (error) {
        // Out of time, whether waiting for the answer or reading it: as good as a lost connection.
        const failure = deadline.aborted
          ? new ApiError('network', `POST import: no answer in ${IMPORT_REQUEST_TIMEOUT_MS / 1000} s`)
          : toApiError(error);
        // KV's own daily limit, or the file's settings and bans past today's budget: the batch waits for the reset.
        if (failure.code === 'daily_limit_reached' && failure.resumesAt !== undefined) {
          if (await this.#pause(failure.resumesAt, file, [next, ...batches.slice(index + 1)])) continue;
          stoppedWaiting = true;
          break;
        }
        // The request never reached the server, or its answer never came: the batch goes again when the connection is
        // back, and is never left out (its posts are not at fault). Offline, the run waits for as long as it takes.
        const reconnect = navigator.onLine ? IMPORT_RECONNECT_WAITS_MS[reconnects] : OFFLINE_RETRY_MS;
        if (failure.code === 'network' && reconnect !== undefined) {
          if (navigator.onLine) reconnects += 1;
          if (await this.#retryAfter(reconnect, 'lost connection', index)) continue;
          stopped = this.#stopMessage(failure, index, batches.length, next.request.threads, large);
          break;
        }
        if (serverFailed(failure) && !retried) {
          retried = true;
          if (await this.#retryAfter(IMPORT_RETRY_AFTER_MS, 'server failure', index)) continue;
          stopped = this.#stopMessage(failure, index, batches.length, next.request.threads, large);
          break;
        }
        retried = false;
        if (serverFailed(failure) && failedInARow === 0) {
          failedInARow = 1;
          failed.push(this.#failedMessage(failure, next.request.threads, large));
          for (const thread of next.request.threads) leftOut.add(thread.pageId);
          advance();
          continue;
        }
        stopped = this.#stopMessage(failure, index, batches.length, next.request.threads, large);
        break;
      }
      retried = false;
      failedInARow = 0;
      reconnects = 0;
      this.#heard(response);
      // A part before a post's last says nothing of the post: sent again as staged (its answer lost), it is `unchanged`,
      // which would count the post as already imported had the run stopped before its last part.
      const threads = next.request.threads;
      results.push(
        ...response.threads.map((result, i) =>
          result.outcome === 'unchanged' && threads[i] && !publishes(threads[i])
            ? { ...result, outcome: 'staged' as const }
            : result,
        ),
      );
      // The report's time is when the latest queued posts are written: an answer that queued none (one that only
      // paused, or any answer from a Worker that always says when its day resets) does not change it.
      if (response.threads.some((result) => result.outcome === 'queued')) {
        resumesAt = response.resumesAt;
        queuedFor = response.queuedFor;
      }
      const paused = pausedPart(next, response.threads);
      if (paused !== null) {
        const resumesAt = response.resumesAt ?? new Date(Date.now() + this.#serverAhead).toISOString();
        if (!(await this.#pause(resumesAt, file, [paused, ...batches.slice(index + 1)]))) {
          stoppedWaiting = true;
          break;
        }
        // Sent again now: their answer then says what happened to them.
        results = results.filter((result) => result.outcome !== 'paused');
        next = paused;
        continue;
      }
      sent += next.comments;
      advance();
    }
    const tally = tallyResults(results);
    const openPost = postToOpen(results, this.plan?.threads ?? []);
    const elsewhere = elsewhereOf(results);
    const report: Report = {
      tally,
      ...(elsewhere ? { elsewhere } : {}),
      ...(openPost ? { openPost } : {}),
      ...(resumesAt ? { resumesAt } : {}),
      ...(queuedFor ? { queuedFor } : {}),
      ...(stopped ? { stopped } : {}),
      ...(failed.length > 0 ? { failed } : {}),
      ...(stoppedWaiting ? { stoppedWaiting } : {}),
    };
    // What waits on the server now: this run's queued posts, or an earlier run's that the cron has not written yet. Read
    // while the progress line still shows, so the report comes whole with the focus on its heading: shown first and
    // focused once this was read, it took an owner who had begun reading it (or tabbed into it) back to its top.
    if (this.isConnected) await this.#loadWaiting();
    this.progress = null;
    this.report = report;
    this.runError = [...failed, stopped ?? ''].filter(Boolean).join(' ');
    // The file went in to its end: the notice that it paused part-way is no longer true.
    if (!stopped && !stoppedWaiting && file) this.#forgetPausedFile(file);
    const summary = [this.runError, ...this.#reportLines(report), this.#pausedFileText()].filter(Boolean).join(' ');
    // The owner went to another section: the page's toast tells them how it ended, and the preview is checked again
    // when they come back (`connectedCallback`), so it says what is still new then.
    if (!this.isConnected) {
      if (this.plan && !stopped) this.dryRun = { state: 'checking' };
      return void this.context.toast({ message: summary });
    }
    await this.updateComplete;
    const heading = this.renderRoot.querySelector<HTMLElement>('#import-report-heading');
    heading?.focus();
    this.context.announce(summary);
    // The preview's "new on the server" was before this run: check again, so it says what is still new now.
    if (this.plan && !stopped) await this.#checkServer(this.#generation, false);
  }

  /**
   * The server has paused the import: says so in the progress line (a live region), in the owner's time, remembers
   * what of `file` is left (`remaining`) in case the page is closed, and waits until just after `resumesAt`, the next
   * 00:00 UTC, when today's writes are reset. False when the owner stopped waiting.
   */
  async #pause(resumesAt: string, file: FileIdentity | null, remaining: readonly ImportBatch[]): Promise<boolean> {
    const progress = { ...this.progress!, pausedUntil: resumesAt };
    this.progress = progress;
    if (file) {
      const pausedFile = { ...file, pausedAt: new Date().toISOString(), resumesAt, ...unsent(remaining) };
      writeJson(pausedFileKey(this.context.site), pausedFile);
      this.pausedFile = pausedFile;
    }
    // The owner went to another section: the page's toast tells them.
    if (!this.isConnected) this.context.toast({ message: this.#progressText(progress) });
    // What the server queued before pausing is shown now, not only when the owner leaves the tab and comes back.
    else void this.#loadWaiting();
    const going = await this.#stoppable(this.wait(this.#justAfter(resumesAt)));
    const { pausedUntil: _, ...sending } = progress;
    this.progress = sending;
    return going;
  }

  /**
   * Batch `index` is sent again after `ms`, or, after a lost connection, as soon as the browser is back online: the
   * progress line says so, with the owner's Stop. False when the owner stopped.
   */
  async #retryAfter(ms: number, after: 'server failure' | 'lost connection', index: number): Promise<boolean> {
    this.progress = { ...this.progress!, retrying: { batch: index + 1, after } };
    const online = new AbortController();
    const waits = [this.wait(Date.now() + ms)];
    if (after === 'lost connection') waits.push(backOnline(online.signal));
    const going = await this.#stoppable(Promise.race(waits));
    online.abort();
    const { retrying: _, ...sending } = this.progress;
    this.progress = sending;
    return going;
  }

  /** Waits for `wait`, or until the owner stops waiting (`#stopWaiting`): false then. */
  async #stoppable(wait: Promise<void>): Promise<boolean> {
    const stopped = new Promise<false>((resolve) => (this.#stopWaiting = () => resolve(false)));
    const going = await Promise.race([wait.then(() => true as const), stopped]);
    this.#stopWaiting = null;
    return going;
  }

  /** The paused file is forgotten once it has been imported to its end, in this page or another. */
  #forgetPausedFile(file: FileIdentity): void {
    const stored = readPausedFile(this.context.site);
    if (stored && !sameFile(stored, file)) return;
    removeItem(pausedFileKey(this.context.site));
    this.pausedFile = null;
  }

  /** The owner forgets the note (the file is never to be sent, or was sent elsewhere); what is in stays in. */
  async #dismissPausedFile(): Promise<void> {
    const paused = this.pausedFile;
    if (!paused) return;
    removeItem(pausedFileKey(this.context.site));
    this.pausedFile = null;
    // The button is gone: focus goes to the file field, the next thing the owner may want.
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#import-file')?.focus();
    this.context.announce(this.context.i18n.t('importForgotPausedFile', { file: paused.name }));
  }

  /** What is left of a paused file, or '' when none is remembered. */
  #pausedFileText(): string {
    const paused = this.pausedFile;
    if (!paused) return '';
    const { i18n } = this.context;
    return i18n.t('importPausedFile', {
      file: paused.name,
      time: i18n.fullDate(paused.pausedAt),
      resumes: i18n.fullDate(paused.resumesAt),
      ...this.#summaryCounts(paused.comments, paused.threads),
    });
  }

  /** The progress line: batches sent, or why and until when the import is paused. */
  #progressText(progress: Progress): string {
    const { i18n } = this.context;
    const numbers = this.#numbers({ done: progress.done, total: progress.total, comments: progress.comments });
    const { retrying } = progress;
    if (retrying?.after === 'server failure') {
      const seconds = IMPORT_RETRY_AFTER_MS / 1000;
      return i18n.t('importRetrying', this.#numbers({ batch: retrying.batch, total: progress.total, seconds }));
    }
    if (retrying)
      return i18n.t('importConnectionLost', this.#numbers({ batch: retrying.batch, total: progress.total }));
    if (progress.pausedUntil === undefined) return i18n.t('importProgress', numbers);
    return i18n.t('importPaused', { ...numbers, time: i18n.fullDate(progress.pausedUntil) });
  }

  /**
   * The translated reason a run stopped; a refusal quotes the Worker's message and names the field and post. A batch
   * that publishes a post of more than `FREE_PLAN_POST_COMMENTS` comments (`large`) failing otherwise most likely ran
   * out of CPU time on the free plan: that is said, with the post.
   */
  #stopMessage(error: ApiError, index: number, total: number, threads: ImportThread[], large: ThreadSize[]): string {
    const { i18n } = this.context;
    const position = this.#numbers({ batch: index + 1, total });
    const resume = i18n.t('importResume');
    if (!REFUSALS.has(error.code)) {
      const why = this.#largeReason(threads, large);
      return `${i18n.t('importStopped', { ...position, error: this.context.failed(error) })}${why} ${resume}`;
    }
    const refused = i18n.t('importRefused', { ...position, message: error.message });
    const thread = /^threads\[(\d+)\]/.exec(error.field ?? '');
    const page = thread ? threads[Number(thread[1])] : undefined;
    const field = error.field
      ? ` ${i18n.t('importRefusedField', { field: error.field, page: isolate(page?.title ?? page?.pageId ?? '') })}`
      : '';
    return `${refused}${field} ${resume}`;
  }

  /** ' ' and why a post of more than `FREE_PLAN_POST_COMMENTS` that `threads` publish may fail (`large`), or ''. */
  #largeReason(threads: ImportThread[], large: ThreadSize[]): string {
    const post = large.find((size) => threads.some((thread) => thread.pageId === size.pageId && publishes(thread)));
    if (!post) return '';
    const count = this.#numbers({ count: post.comments });
    return ` ${this.context.i18n.t('importStoppedLarge', { post: isolate(post.title ?? post.pageId), ...count })}`;
  }

  /** The posts of a batch the server failed twice, left out of the run: which, why, and what the owner can do. */
  #failedMessage(error: ApiError, threads: ImportThread[], large: ThreadSize[]): string {
    const { i18n } = this.context;
    const names = threads.slice(0, 3).map((thread) => `“${isolate(thread.title ?? thread.pageId)}”`);
    const more = threads.length - names.length;
    const posts =
      more > 0
        ? i18n.t('importPostsMore', { posts: names.join(', '), ...this.#numbers({ count: more }) })
        : names.join(', ');
    return `${i18n.t('importFailed', { posts, error: this.context.failed(error) })}${this.#largeReason(threads, large)}`;
  }

  #reportLines(report: Report): string[] {
    const { i18n } = this.context;
    const { tally } = report;
    const lines: string[] = report.stoppedWaiting ? [i18n.t('importStoppedWaiting')] : [];
    const elsewhere = report.elsewhere ? [this.#elsewhereText(report.elsewhere)] : [];
    if (tally.added === 0 && tally.queued === 0 && !report.stopped && !report.failed && !report.stoppedWaiting)
      // "Already here" is not so of comments left at another address.
      return [i18n.t(report.elsewhere ? 'importReportNothingElsewhere' : 'importReportNothing'), ...elsewhere];
    if (tally.imported > 0)
      lines.push(
        i18n.t('importReportImported', {
          ...this.#numbers({ count: tally.imported }),
          added: this.#comments(tally.added),
        }),
      );
    if (tally.unchanged > 0) lines.push(i18n.t('importReportUnchanged', this.#numbers({ count: tally.unchanged })));
    if (tally.queued > 0) {
      const time = i18n.fullDate(report.resumesAt ?? '');
      const key = report.queuedFor === 'lists' ? 'importReportQueuedLists' : 'importReportQueued';
      lines.push(i18n.t(key, { ...this.#numbers({ count: tally.queued }), time }));
    }
    return [...lines, ...elsewhere];
  }

  /** Comments imported at other addresses already: how many, where (up to 3 addresses), and how to move them. */
  #elsewhereText(elsewhere: Elsewhere): string {
    const shown = elsewhere.pages.slice(0, 3).join(', ');
    return this.context.i18n.t('importAtOtherAddress', {
      comments: this.#comments(elsewhere.comments),
      pages: elsewhere.pages.length > 3 ? `${shown}…` : shown,
    });
  }

  #drop(event: DragEvent): void {
    event.preventDefault();
    this.dragging = false;
    void this.#choose(event.dataTransfer?.files[0]);
  }

  protected override render(): TemplateResult {
    const { i18n } = this.context;
    const busy = this.reading || this.dryRun?.state === 'checking';
    return html`<section aria-labelledby="import-heading" aria-busy=${busy ? 'true' : 'false'}>
      <h2 id="import-heading" tabindex="-1">${i18n.t('importHeading')}</h2>
      <p class="muted" id="import-intro">${i18n.t('importIntro')}</p>
      <div role="status">
        ${
          this.statusKnown
            ? html`${this.report ? nothing : this.#renderWaiting()}
              ${this.progress ? nothing : this.#renderPausedFile()}`
            : html`<p class="muted">${i18n.t('loading')}</p>`
        }
      </div>
      ${this.statusKnown ? this.#renderBody() : nothing}
    </section>`;
  }

  /** The file field and what follows it: its options, the reading, the preview and the run. */
  #renderBody(): TemplateResult {
    const { i18n } = this.context;
    return html`<div
        class="drop ${this.dragging ? 'dragging' : ''}"
        @dragover=${(event: DragEvent) => {
          event.preventDefault();
          this.dragging = true;
        }}
        @dragleave=${() => (this.dragging = false)}
        @drop=${(event: DragEvent) => this.#drop(event)}
      >
        <label for="import-file">${i18n.t('importFileLabel')}</label>
        <input
          id="import-file"
          type="file"
          accept=".xml,.json,.atom,application/xml,text/xml,application/json"
          aria-describedby=${this.progress ? 'import-drop-note import-busy-note' : 'import-drop-note'}
          ?disabled=${this.progress !== null}
          @change=${(event: Event) => void this.#choose((event.target as HTMLInputElement).files?.[0])}
        />
        <p class="muted" id="import-drop-note">${i18n.t('importDrop')}</p>
        ${this.progress ? html`<p class="note" id="import-busy-note">${i18n.t('importBusy')}</p>` : nothing}
      </div>
      ${this.#renderOptions()} ${this.reading && this.file ? this.#renderReading(this.file) : nothing}
      ${this.fileError ? html`<p class="alert" role="alert">${this.fileError}</p>` : nothing}
      ${this.plan ? this.#renderPreview(this.plan) : nothing} ${this.plan ? this.#renderRun() : nothing}`;
  }

  /** The file being read: its name and size, how far it has got (a bar without a value until the parser says). */
  #renderReading(file: FileIdentity): TemplateResult {
    const { i18n } = this.context;
    const size = this.#size(file.size);
    const label = i18n.t('importReading', { file: spoken(file.name), size });
    const progress = this.readProgress;
    const fraction = progress === null || progress.total === 0 ? null : progress.done / progress.total;
    const percent =
      fraction === null ? '' : new Intl.NumberFormat(i18n.lang, { style: 'percent' }).format(Math.min(1, fraction));
    return html`<div class="reading">
      <p class="note">${isolatedHtml(i18n, 'importReading', { file: file.name, size })}</p>
      <progress
        aria-label=${label}
        max="100"
        value=${fraction === null ? nothing : Math.floor(fraction * 100)}
      ></progress>
      <p class="note" id="import-read-progress">
        ${
          progress === null
            ? ''
            : i18n.t(progress.phase === 'reading' ? 'importReadingProgress' : 'importBuildingProgress', { percent })
        }
      </p>
      <button type="button" id="import-cancel-reading" @click=${() => void this.#cancelReading()}>
        ${i18n.t('importCancelReading')}
      </button>
    </div>`;
  }

  #renderWaiting(): TemplateResult | typeof nothing {
    const { waiting } = this;
    if (this.waitingUnknown) {
      const { i18n } = this.context;
      return html`<div class="note">
        <p id="import-waiting-unknown" tabindex="-1">
          ${i18n.t('importWaitingNoAnswer', this.#numbers({ seconds: IMPORT_STATUS_TIMEOUT_MS / 1000 }))}
        </p>
        <button type="button" @click=${() => void this.#readWaitingAgain()}>${i18n.t('importCheckAgain')}</button>
      </div>`;
    }
    if (!waiting) return nothing;
    const time = this.context.i18n.fullDate(waiting.resumesAt ?? '');
    return html`<p class="note">
      ${this.context.i18n.t(WAITING_STRINGS[waiting.queuedFor ?? 'next run'], {
        ...this.#summaryCounts(waiting.queuedComments, waiting.queuedThreads),
        time,
      })}
    </p>`;
  }

  /** The owner asks again what waits on the server; the line keeps the focus its button had. */
  async #readWaitingAgain(): Promise<void> {
    const line = this.renderRoot.querySelector<HTMLElement>('#import-waiting-unknown');
    line?.focus();
    await this.#loadWaiting();
    await this.updateComplete;
    // Answered: the line is gone, or says what waits; the heading of the tab takes the focus then.
    if (!this.waitingUnknown) this.renderRoot.querySelector<HTMLElement>('#import-heading')?.focus();
  }

  /** A file of this site that paused part-way: what was not sent, and that importing it again skips what is in. */
  #renderPausedFile(): TemplateResult | typeof nothing {
    const text = this.#pausedFileText();
    if (!text) return nothing;
    const { i18n } = this.context;
    if (this.pausedElsewhere && !this.running)
      return html`<div class="note paused-file">
        <p id="import-paused-file">${i18n.t('importPausedFileElsewhere', { file: this.pausedFile!.name })}</p>
      </div>`;
    return html`<div class="note paused-file">
      <p id="import-paused-file">${text}</p>
      <p class="muted" id="import-forget-note">${i18n.t('importForgetPausedFileNote')}</p>
      <button
        type="button"
        id="import-forget-paused-file"
        aria-describedby="import-paused-file import-forget-note"
        @click=${() => void this.#dismissPausedFile()}
      >
        ${i18n.t('importForgetPausedFile')}
      </button>
    </div>`;
  }

  #renderPreview(plan: ImportPlan): TemplateResult {
    const { i18n } = this.context;
    const comments = STATUSES.reduce((sum, status) => sum + plan.counts[status], 0);
    const tooLarge = this.batches?.tooLarge ?? [];
    const skipped = [
      ...plan.skipped.filter((skip) => skip.count > 0),
      ...(tooLarge.length > 0
        ? [
            {
              reason: 'too-large' as const,
              count: tooLarge.reduce((sum, thread) => sum + thread.comments, 0),
              examples: tooLarge.map((thread) => thread.title ?? thread.pageId),
            },
          ]
        : []),
    ];
    return html`<div class="preview">
      <p class="note">${i18n.t('importFormat', { format: i18n.t(`importSource.${plan.source}`) })}</p>
      ${
        comments === 0
          ? html`<p>${i18n.t('importNothing')}</p>`
          : html`<p>${i18n.t('importSummary', this.#summaryCounts(comments, plan.threads.length))}</p>
              <ul class="counts">
                ${STATUSES.filter((status) => plan.counts[status] > 0).map(
                  (status) =>
                    html`<li>${i18n.t(`importStatus.${status}`, this.#numbers({ count: plan.counts[status] }))}</li>`,
                )}
              </ul>`
      }
      <h3>${i18n.t('importSkippedHeading')}</h3>
      ${
        skipped.length === 0
          ? html`<p class="muted">${i18n.t('importNothingSkipped')}</p>`
          : html`<ul class="skipped">
              ${skipped.map(
                (skip) =>
                  html`<li>
                    <span
                      >${i18n.t('importSkippedItem', {
                        reason: i18n.t(`importSkip.${skip.reason}` as AdminStringKey),
                        ...this.#numbers({ count: skip.count }),
                      })}</span
                    >
                    ${
                      skip.examples.length > 0
                        ? html`<span class="muted examples"
                            >${bidiText(i18n.t('importExamples', { examples: skip.examples.slice(0, 3).map(isolate).join(' · ') }))}</span
                          >`
                        : nothing
                    }
                  </li>`,
              )}
            </ul>`
      }
      ${this.#renderLarge(this.batches?.large ?? [])} ${this.#renderClosing(plan)} ${this.#renderDryRun()}
      ${plan.threads.length > 0 ? this.#renderThreads(plan) : nothing}
    </div>`;
  }

  /** The posts sent last for their size, and why (`FREE_PLAN_POST_COMMENTS`). */
  #renderLarge(large: ThreadSize[]): TemplateResult | typeof nothing {
    if (large.length === 0) return nothing;
    const { i18n } = this.context;
    const examples = large
      .slice(0, 3)
      .map((post) =>
        i18n.t('importLargePost', {
          post: isolate(post.title ?? post.pageId),
          ...this.#numbers({ count: post.comments }),
        }),
      )
      .join(', ');
    return html`<p class="note" id="import-large">
      ${bidiText(i18n.t('importLargePosts', { examples, ...this.#numbers({ count: large.length, limit: FREE_PLAN_POST_COMMENTS }) }))}
    </p>`;
  }

  /** The posts the import would close, named, and the owner's choice to leave them open. */
  #renderClosing(plan: ImportPlan): TemplateResult | typeof nothing {
    const closing = closingThreads(plan);
    if (closing.length === 0) return nothing;
    const { i18n } = this.context;
    const pages = closing.slice(0, SHOWN_CLOSING).map((thread) => thread.pageId);
    if (closing.length > SHOWN_CLOSING) pages.push('…');
    return html`<div class="note" id="import-closing">
      <p>
        ${i18n.plural(closing.length, 'importClosingOne', 'importClosingOther', {
          pages: pages.join(', '),
        })}
      </p>
      <div class="choice">
        <input
          id="import-leaveOpen"
          type="checkbox"
          .checked=${this.leaveOpen}
          ?disabled=${this.progress !== null}
          @change=${(event: Event) => void this.#setLeaveOpen((event.target as HTMLInputElement).checked)}
        />
        <label for="import-leaveOpen">${i18n.t('importLeaveOpen')}</label>
      </div>
    </div>`;
  }

  #renderDryRun(): TemplateResult | typeof nothing {
    const { i18n } = this.context;
    const { dryRun } = this;
    if (!dryRun) return nothing;
    const estimate =
      dryRun.state === 'known' && dryRun.estimatedPages.size > 0
        ? i18n.t('importDryRunEstimate', {
            comments: this.#comments(dryRun.estimatedComments),
            threads: i18n.plural(dryRun.estimatedPages.size, 'importPostsOne', 'importPostsOther'),
          })
        : '';
    if (dryRun.state === 'no answer')
      return html`<div class="note">
        <p id="import-dry-run" tabindex="-1">
          ${i18n.t('importDryRunNoAnswer', this.#numbers({ seconds: IMPORT_CHECK_TIMEOUT_MS / 1000 }))}
        </p>
        ${
          this.progress
            ? nothing
            : html`<button type="button" @click=${() => void this.#checkAgain()}>${i18n.t('importCheckAgain')}</button>`
        }
      </div>`;
    const text =
      dryRun.state === 'checking'
        ? i18n.t('importDryRunChecking')
        : dryRun.state === 'unknown'
          ? i18n.t('importDryRunUnknown')
          : i18n.t(
              dryRun.checkedPages < (this.plan?.threads.length ?? 0) ? 'importDryRunPartial' : 'importDryRunSummary',
              {
                ...this.#numbers({
                  unchanged: dryRun.tally.unchanged,
                  checked: dryRun.checkedPages,
                  total: this.plan?.threads.length ?? 0,
                }),
                added: this.#comments(dryRun.tally.added),
              },
            );
    const elsewhere = dryRun.state === 'known' && dryRun.elsewhere ? this.#elsewhereText(dryRun.elsewhere) : '';
    const said = [text, estimate, elsewhere].filter(Boolean).join(' ');
    return html`<p class="note" id="import-dry-run" tabindex="-1">${said}</p>`;
  }

  /** The owner asks again after a check got no answer: its line, now "Checking…", keeps the focus the button had. */
  async #checkAgain(): Promise<void> {
    const checked = this.#checkServer(++this.#generation);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#import-dry-run')?.focus();
    await checked;
  }

  #renderThreads(plan: ImportPlan): TemplateResult {
    const { i18n } = this.context;
    const dryRun = this.dryRun?.state === 'known' ? this.dryRun : null;
    const more = plan.threads.length - SHOWN_THREADS;
    return html`<div class="scroll" role="region" aria-labelledby="import-posts-caption" tabindex="0">
        <table class="stacked" role="table">
          <caption id="import-posts-caption">
            ${i18n.t('importPostsCaption')}
          </caption>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">${i18n.t('importColumnPost')}</th>
              <th scope="col" role="columnheader">${i18n.t('importColumnPage')}</th>
              <th scope="col" role="columnheader" class="number">${i18n.t('importColumnComments')}</th>
              ${dryRun ? html`<th scope="col" role="columnheader" class="number">${i18n.t('importColumnNew')}</th>` : nothing}
            </tr>
          </thead>
          <tbody role="rowgroup">
            ${plan.threads.slice(0, SHOWN_THREADS).map((thread) => {
              const added = dryRun?.addedByPage.get(thread.pageId);
              // Nothing at all in a cell without a title (an :empty cell): on a phone it would be an empty line.
              const title = thread.title
                ? html`${cellLabel(i18n, 'importColumnPost')}<bdi>${thread.title}</bdi>`
                : nothing;
              return html`<tr role="row">
                <td role="cell">${title}</td>
                <td role="cell">${cellLabel(i18n, 'importColumnPage')}<code>${thread.pageId}</code></td>
                <td role="cell" class="number">
                  ${cellLabel(i18n, 'importColumnComments')}${this.#numbers({ count: thread.comments.length })['count']}
                </td>
                ${
                  dryRun
                    ? html`<td role="cell" class="number">
                        ${cellLabel(i18n, 'importColumnNew')}
                        ${
                          dryRun.estimatedPages.has(thread.pageId)
                            ? i18n.t('importEstimateThere')
                            : dryRun.waitingPages.has(thread.pageId)
                              ? i18n.t('importWaitingThere')
                              : added === 0
                                ? i18n.t(
                                    dryRun.elsewherePages.has(thread.pageId) ? 'importElsewhereThere' : 'importAlready',
                                  )
                                : this.#numbers({ count: added ?? 0 })['count']
                        }
                      </td>`
                    : nothing
                }
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
      ${more > 0 ? html`<p class="muted">${i18n.t('importMore', this.#numbers({ count: more }))}</p>` : nothing}`;
  }

  #renderOptions(): TemplateResult {
    const { i18n } = this.context;
    const { fields } = this;
    const disabled = this.progress !== null;
    const text = (name: keyof OptionFields, label: AdminStringKey, placeholder: string, hint = 'import-rewrite-hint') =>
      html`<div class="field">
        <label for="import-${name}">${i18n.t(label)}</label>
        <input
          id="import-${name}"
          type="text"
          inputmode="url"
          autocomplete="off"
          spellcheck="false"
          placeholder=${placeholder}
          aria-describedby=${hint}
          .value=${String(fields[name])}
          ?disabled=${disabled}
          @change=${(event: Event) => this.#change({ [name]: (event.target as HTMLInputElement).value })}
        />
      </div>`;
    const check = (name: 'https' | 'bloggerDotCom' | 'keepSpam', label: AdminStringKey) =>
      html`<div class="choice">
        <input
          id="import-${name}"
          type="checkbox"
          .checked=${fields[name]}
          ?disabled=${disabled}
          @change=${(event: Event) => this.#change({ [name]: (event.target as HTMLInputElement).checked })}
        />
        <label for="import-${name}">${i18n.t(label)}</label>
      </div>`;
    const pingbacks = (value: ImportOptions['pingbacks'], label: AdminStringKey) =>
      html`<div class="choice">
        <input
          id="import-pingbacks-${value}"
          type="radio"
          name="pingbacks"
          .checked=${fields.pingbacks === value}
          ?disabled=${disabled}
          @change=${() => this.#change({ pingbacks: value })}
        />
        <label for="import-pingbacks-${value}">${i18n.t(label)}</label>
      </div>`;
    return html`<fieldset>
        <legend>${i18n.t('importRewritesLegend')}</legend>
        <p class="muted">${i18n.t('importRewritesNote')}</p>
        ${text('siteOrigin', 'importSiteOrigin', 'https://name.blogspot.com', 'import-site-hint')}
        <p class="muted" id="import-site-hint">${i18n.t('importSiteOriginHint')}</p>
        ${check('https', 'importRewriteHttps')} ${check('bloggerDotCom', 'importRewriteBlogger')}
        <div class="pair">
          ${text('fromOrigin', 'importRewriteFrom', 'https://old.example.com')}
          ${text('toOrigin', 'importRewriteTo', 'https://blog.example.com')}
        </div>
        <div class="pair">
          ${text('prefixFrom', 'importRewritePrefixFrom', '/blog/')} ${text('prefixTo', 'importRewritePrefixTo', '/')}
        </div>
        <p class="muted" id="import-rewrite-hint">${i18n.t('importRewriteHint')}</p>
      </fieldset>
      <fieldset>
        <legend>${i18n.t('importKeepLegend')}</legend>
        <fieldset class="inner">
          <legend>${i18n.t('importPingbacks')}</legend>
          ${pingbacks('skip', 'importPingbacksSkip')} ${pingbacks('links', 'importPingbacksLinks')}
        </fieldset>
        ${check('keepSpam', 'importKeepSpam')}
      </fieldset>`;
  }

  /** After a run: why it stopped, if it did, then what it did (a run stopped at its first batch did nothing). */
  #renderReport(report: Report): TemplateResult {
    const lines = this.#reportLines(report);
    return html`<h3 id="import-report-heading" tabindex="-1">${this.context.i18n.t('importReportHeading')}</h3>
      ${this.runError ? html`<p class="alert" role="alert">${bidiText(this.runError)}</p>` : nothing}
      ${
        lines.length > 0
          ? html`<ul class="report">
              ${lines.map((line) => html`<li>${bidiText(line)}</li>`)}
            </ul>`
          : nothing
      }
      ${this.#renderWhere(report)} ${this.#renderWaiting()}`;
  }

  /** Where the imported comments are: per post, not in the site-wide Approved list, which the owner looks at first. */
  #renderWhere(report: Report): TemplateResult | typeof nothing {
    const post = report.openPost;
    if (!post) return nothing;
    const { i18n } = this.context;
    return html`<p>
      ${i18n.t('importReportWhere')}
      <a href="#comments?page=${encodeURIComponent(post.pageId)}"
        >${isolatedHtml(i18n, post.already ? 'importReportOpenImported' : 'importReportOpenPost', { post: post.title })}</a
      >
    </p>`;
  }

  /** Another page's run has ended: with today's import writes spent (as GET /import says), until when this waits. */
  #elsewhereEndedText(): string {
    const { i18n } = this.context;
    const spent = this.waiting?.queuedFor !== undefined && this.waiting.resumesAt !== undefined;
    return spent
      ? i18n.t('importElsewhereEndedSpent', { time: i18n.fullDate(this.waiting!.resumesAt!) })
      : i18n.t('importElsewhereEnded');
  }

  #renderRun(): TemplateResult {
    const { i18n } = this.context;
    const { progress, report } = this;
    const sendable = (this.batches?.batches.length ?? 0) > 0;
    const status = progress
      ? this.#progressText(progress)
      : this.runWhenRead
        ? this.context.i18n.t('importAfterReading')
        : this.runElsewhere === 'under way'
          ? this.context.i18n.t('importElsewhere')
          : this.runElsewhere === 'ended'
            ? this.#elsewhereEndedText()
            : '';
    return html`<div class="run">
      ${
        sendable
          ? html`<button
              type="button"
              class="primary"
              id="import-run"
              aria-disabled=${progress || this.reading ? 'true' : nothing}
              @click=${() => void this.#run()}
            >
              ${progress ? i18n.t('importing') : i18n.t('importButton')}
            </button>`
          : nothing
      }
      ${
        progress?.pausedUntil !== undefined || progress?.retrying !== undefined
          ? html`<button type="button" id="import-stop-waiting" @click=${() => this.#stopWaiting?.()}>
              ${i18n.t('importStopWaiting')}
            </button>`
          : nothing
      }
      ${
        progress
          ? html`<progress
              aria-label=${i18n.t('importProgressLabel')}
              max=${progress.total}
              .value=${progress.done}
            ></progress>`
          : nothing
      }
      <p class="note" role="status" id="import-run-status">${status}</p>
      ${report ? this.#renderReport(report) : nothing}
    </div>`;
  }
}

define('sala-admin-import', SalaAdminImport);

declare global {
  interface HTMLElementTagNameMap {
    'sala-admin-import': SalaAdminImport;
  }
}
