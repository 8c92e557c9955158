/**
 * Comment counts for every <sala-comment-count> on a page in one request: the elements that ask in the same task
 * share one GET /counts per API and site (100 pages a request, the API's most), and each count is asked once per
 * page load.
 */
import type { CountsResponse, PublicComment } from '@sala/protocol';
import { toApiError, type ApiClient, type ApiError } from '../internal/api-client.js';
import { readJson } from '../internal/storage.js';

interface Waiter {
  resolve: (count: number) => void;
  reject: (error: ApiError) => void;
}

interface Batch {
  client: ApiClient;
  /** Page id -> the elements' promises waiting for its count. */
  waiting: Map<string, Waiter[]>;
}

/**
 * Pages per counts request: the Worker's `LIMITS.countsPages` (comment-count.test.ts), written here so the count
 * element's chunk does not carry every limit.
 */
export const COUNTS_PER_REQUEST = 100;

/** Batches being gathered, by API origin and site. */
const batches = new Map<string, Batch>();
/** Counts asked for in this page load, by API origin, site and page id. */
const counts = new Map<string, Promise<number>>();
/** The count elements' callbacks, called when a thread on this page changed a count they may show. */
const changeListeners = new Set<() => void>();
/**
 * The reader's own comments each answered count took in, by its key: their id, and whether the count shown holds it.
 * A thread's event about one of them (its own comments are stored before it tells) moves the count only where that
 * answer did not, whichever came first: fired as the count was asked, it had counted the comment twice.
 */
const tookIn = new Map<string, Map<unknown, boolean>>();

/**
 * How much later than the count a comment of the reader's left it (they sent its delete, or an edit the Worker held)
 * must have, by their clock, for the count to be taken as written before, and so still holding it. A count written
 * since (by the rebuild the Worker starts as it takes the change) was written after the request was sent, however late
 * its answer came, and its age makes it later still (the time its own answer took): the margin is for a clock set
 * meanwhile, as a count taken off twice would stay one short.
 */
const LEFT_MARGIN_MS = 1_000;

/**
 * A reader's comment posted or deleted in a `<sala-comments>` on this page moves the counts of its page by one,
 * as the thread's own heading does: the server's count follows only once the page's snapshot is rebuilt, and a
 * count that disagreed with the heading below it would look wrong to the reader who just posted.
 */
for (const [type, delta] of [
  ['sala-comment-posted', 1],
  ['sala-comment-deleted', -1],
] as const) {
  window.addEventListener(type, (event) => {
    // The thread itself, even inside an app's shadow root (the window sees the outermost host as the target).
    const thread = event.composedPath()[0] as { site?: unknown };
    const site = typeof thread.site === 'string' ? thread.site : '';
    const ending = `|${site}|${event.detail.pageId}`;
    // An app's own event may have no comment.
    const id = event.detail.comment?.id;
    let changed = false;
    for (const [key, count] of counts) {
      if (!key.endsWith(ending)) continue;
      counts.set(
        key,
        count.then((value) => {
          // After the answer, whenever the event came: a comment it took in as posted is not added again, nor one it
          // took in as gone taken off again.
          const took = tookIn.get(key)?.get(id);
          return Math.max(0, value + ((delta > 0 ? took === undefined : took !== false) ? delta : 0));
        }),
      );
      changed = true;
    }
    if (changed) for (const listener of changeListeners) listener();
  });
}

/** Calls `listener` whenever a thread on this page changed a count; returns the function that stops it. */
export function onCountChange(listener: () => void): () => void {
  changeListeners.add(listener);
  return () => changeListeners.delete(listener);
}

export function commentCount(client: ApiClient, pageId: string): Promise<number> {
  const source = `${client.origin}|${client.site ?? ''}`;
  const key = `${source}|${pageId}`;
  let count = counts.get(key);
  if (!count) {
    count = new Promise((resolve, reject) => {
      let batch = batches.get(source);
      if (!batch) {
        batch = { client, waiting: new Map() };
        batches.set(source, batch);
        // After this task: every element upgraded or rendered with this one joins the batch.
        setTimeout(() => void send(source), 0);
      }
      batch.waiting.set(pageId, [...(batch.waiting.get(pageId) ?? []), { resolve, reject }]);
    });
    // A failed count may be asked again (the element is re-attached, or its page-id changes back).
    count.catch(() => counts.delete(key));
    counts.set(key, count);
  }
  return count;
}

async function send(source: string): Promise<void> {
  const batch = batches.get(source);
  batches.delete(source);
  if (!batch) return;
  const pages = [...batch.waiting.keys()];
  const requests = [];
  for (let start = 0; start < pages.length; start += COUNTS_PER_REQUEST) {
    requests.push(sendChunk(batch, pages.slice(start, start + COUNTS_PER_REQUEST)));
  }
  await Promise.all(requests);
}

async function sendChunk({ client, waiting }: Batch, pages: string[]): Promise<void> {
  const source = `${client.origin}|${client.site ?? ''}`;
  // The reader's own comments on a page, as its thread keeps them in this browser (comments/own-comments.ts).
  const own = (page: string) => readJson(`sala:own:${source}|${page}`);
  try {
    const newest = pages.filter((page) => Array.isArray(own(page)));
    const response = await client.request<CountsResponse>('GET', '/counts', { query: { page: pages, newest } });
    const now = Date.now();
    for (const page of pages) {
      const count = response.counts?.[page];
      // A page the server does not know yet has no comments; junk is not a count.
      let value = typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : 0;
      // As the thread's heading counts them (own-actions.ts `shownCount`), read as the answer comes, not as it was
      // asked, so that what a thread stored meanwhile is here and its event does not count it again (`tookIn`). The
      // count holds one of the reader's comments once the newest it holds (read with it; both times the Worker's) is
      // not older, unless it was written (`age`, by this browser's clock) before they took it out (`left`): so one it
      // does not hold yet adds one (held for moderation too, while no one else's newer comment is counted), and one
      // they deleted that it still holds takes one off, as does one whose edit was held, under someone else's newer.
      const at = response.newest?.[page] ?? '';
      const written = now - (response.age?.[page] ?? NaN);
      const took = new Map<unknown, boolean>();
      const entries = newest.includes(page) ? own(page) : [];
      for (const entry of Array.isArray(entries) ? (entries as { comment?: PublicComment; left?: number }[]) : []) {
        const { id, createdAt, deleted } = entry?.comment ?? {};
        if (typeof createdAt !== 'string') continue;
        const gone = createdAt < at && written < (entry.left ?? NaN) - LEFT_MARGIN_MS;
        value += deleted ? -Number(gone || createdAt === at) : createdAt > at ? 1 : -Number(gone);
        // Whether the count shown holds it: not one they took out under someone else's newer comment.
        took.set(id, !deleted && (createdAt >= at || !entry.left));
      }
      tookIn.set(`${source}|${page}`, took);
      for (const waiter of waiting.get(page) ?? []) waiter.resolve(Math.max(0, value));
    }
  } catch (caught) {
    const error = toApiError(caught);
    for (const page of pages) for (const waiter of waiting.get(page) ?? []) waiter.reject(error);
  }
}
