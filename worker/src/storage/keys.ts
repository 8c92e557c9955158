/**
 * Every KV key Sala uses, built here and nowhere else. All live under `v1:` so a future layout can sit beside
 * this one; page ids are hashed because a URL can be longer than a key may be (512 bytes).
 *
 *   v1:comment:{site}:{pageHash}:{commentId}   one comment as its author wrote it (source of truth)
 *   v1:decision:{site}:{pageHash}:{commentId}  the owner's latest decision on it, written by the owner only
 *   v1:thread:{site}:{pageHash}                the page's snapshot, written only by the rebuild (a big one: its head)
 *   v1:thread-part:{site}:{pageHash}:{partId}  one part of a big page's snapshot, or the sources of one part's comments,
 *                                              never rewritten (storage/threads.ts)
 *   v1:count:{site}:{pageHash}                 the page's visible comment count, for /counts
 *   v1:dirty:{site}:{pageHash}:{markerId}      "this page needs a rebuild", cleared by the cron
 *   v1:dirty:{site}:import:{markerId}          "these pages' counts may be ahead of their snapshots": an import's
 *                                              publishing, checked and cleared by the cron's repair
 */
import { sha256Hex } from '../domain/bytes.js';
import { hasPageHash, setPageHash } from '../domain/page-hashes.js';
import { POPULARITY_SETTINGS } from '../domain/popularity.js';
import { isolateState } from '../domain/isolate-state.js';

const VERSION = 'v1';

/** One page of one site: what the page-level keys are built from. */
export interface PageRef {
  site: string;
  /** First 32 hex characters (128 bits) of the SHA-256 of the normalised page id. */
  pageHash: string;
}

/**
 * Page hashes this isolate has computed, by page id: an index page's counts hash up to 100 ids per request, a ranking
 * run and the Posts tab every page the popularity state tracks (up to 5,000, which 2,000 kept in turn could never
 * hold: each run hashed them all again).
 */
const pageHashes = isolateState(new Map<string, string>());
const REMEMBERED_HASHES = POPULARITY_SETTINGS.maxTrackedPages + 1000;

/** The page hash this isolate has computed for `pageId`, if any: taken without a promise by a list of thousands. */
export function rememberedPageHash(pageId: string): string | undefined {
  return pageHashes.get(pageId);
}

export async function pageRef(site: string, pageId: string): Promise<PageRef> {
  return { site, pageHash: await pageHashOf(pageId) };
}

async function pageHashOf(pageId: string): Promise<string> {
  let pageHash = pageHashes.get(pageId);
  if (pageHash === undefined) {
    pageHash = (await sha256Hex(pageId)).slice(0, 32);
    if (pageHashes.size >= REMEMBERED_HASHES) pageHashes.delete(pageHashes.keys().next().value!);
    pageHashes.set(pageId, pageHash);
  }
  return pageHash;
}

/** Forgets the page hashes this isolate computed, as a fresh isolate has none (tests count the digests taken). */
export function forgetPageHashes(): void {
  pageHashes.clear();
}

/**
 * Fills in the hashes `column` (domain/page-hashes.ts) lacks for the slots of `pageIds`: those this isolate has,
 * then at most `digests` computed, oldest slots first. Returns how many slots are still without one.
 */
export async function fillPageHashes(
  pageIds: readonly string[],
  column: Uint8Array,
  digests = Infinity,
): Promise<number> {
  const missing: number[] = [];
  pageIds.forEach((pageId, slot) => {
    if (hasPageHash(column, slot)) return;
    const known = pageHashes.get(pageId);
    if (known === undefined) missing.push(slot);
    else setPageHash(column, slot, known);
  });
  const computed = missing.slice(0, digests);
  const hashes = await Promise.all(computed.map((slot) => pageHashOf(pageIds[slot]!)));
  hashes.forEach((pageHash, at) => setPageHash(column, computed[at]!, pageHash));
  return missing.length - computed.length;
}

/** Every comment key of a site, all its pages: the export walks them in key order (page by page). */
export function siteCommentPrefix(site: string): string {
  return `${VERSION}:comment:${site}:`;
}

export function commentPrefix(page: PageRef): string {
  return `${siteCommentPrefix(page.site)}${page.pageHash}:`;
}

/** The page and comment id a comment key was built from, or null for a key this module did not build. */
export function parseCommentKey(key: string): (PageRef & { commentId: string }) | null {
  const match = /^v1:comment:([^:]+):([0-9a-f]{32}):([^:]+)$/.exec(key);
  return match ? { site: match[1]!, pageHash: match[2]!, commentId: match[3]! } : null;
}

export function commentKey(page: PageRef, commentId: string): string {
  return commentPrefix(page) + commentId;
}

/** Every decision key of a page: the rebuild lists them to see which decisions changed since its snapshot. */
export function decisionPrefix(page: PageRef): string {
  return `${VERSION}:decision:${page.site}:${page.pageHash}:`;
}

export function decisionKey(page: PageRef, commentId: string): string {
  return decisionPrefix(page) + commentId;
}

export function threadKey(page: PageRef): string {
  return `${VERSION}:thread:${page.site}:${page.pageHash}`;
}

/** One part of a big page's snapshot: a new id for every part written, so a key never changes value. */
export function threadPartKey(page: PageRef, partId: string): string {
  return `${VERSION}:thread-part:${page.site}:${page.pageHash}:${partId}`;
}

export function countKey(page: PageRef): string {
  return `${VERSION}:count:${page.site}:${page.pageHash}`;
}

export const DIRTY_PREFIX = `${VERSION}:dirty:`;

export function dirtyKey(page: PageRef, markerId: string): string {
  return `${DIRTY_PREFIX}${page.site}:${page.pageHash}:${markerId}`;
}

/**
 * Where an import's mark (storage/dirty-pages.ts `markImport`) has a page hash: never a page's (hex), so the repair's
 * one list of dirty keys finds it and no page's own markers include it.
 */
export const IMPORT_MARK = 'import';

export function importMarkKey(site: string, markerId: string): string {
  return `${DIRTY_PREFIX}${site}:${IMPORT_MARK}:${markerId}`;
}

/** The page and marker id a dirty key was built from, or null for a key this module did not build. */
export function parseDirtyKey(key: string): (PageRef & { markerId: string }) | null {
  if (!key.startsWith(DIRTY_PREFIX)) return null;
  const [site, pageHash, markerId, ...rest] = key.slice(DIRTY_PREFIX.length).split(':');
  if (!site || !pageHash || !markerId || rest.length > 0) return null;
  return { site, pageHash, markerId };
}

// Views and popular posts (issue 3).
//
//   v1:views:{site}:{batchId}                   one isolate's flushed views (a ViewBatch), expiring with its TTL;
//                                               batch ids start with the flush time, so a day or hour is a prefix
//   v1:popularity:{site}                        hourly, daily and all-time views and page metadata (cron only)
//   v1:ranking:{site}                           every popular-posts ranking, the one read of GET /popular (cron only)
//   v1:recent:{site}                            the latest approved comments, the one read of GET /recent-comments
//   v1:verified:{site}                          what each counted page's own HTML said when the cron last read it

/** Every batch of `site` whose id starts with `idPrefix` (a UTC day or hour from `batchIdPrefix`), or all of them. */
export function viewBatchPrefix(site: string, idPrefix = ''): string {
  return `${VERSION}:views:${site}:${idPrefix}`;
}

export function viewBatchKey(site: string, batchId: string): string {
  return viewBatchPrefix(site, batchId);
}

/**
 * The version 1 popularity state (one JSON document): converted a part per run (`popularityConversionKey`), then
 * deleted.
 */
export function popularityKey(site: string): string {
  return `${VERSION}:popularity:${site}`;
}

/**
 * A version 1 state's conversion so far (storage/popularity.ts `readConversion`): the counts of the parts converted,
 * and where the next run goes on. Deleted with the version 1 document once the state is written.
 */
export function popularityConversionKey(site: string): string {
  return `${VERSION}:popconvert:${site}`;
}

/** The popularity counts (binary column store, storage/popularity.ts); carries the cron's usage in its metadata. */
export function popularityCountsKey(site: string): string {
  return `${VERSION}:popcounts:${site}`;
}

/** The popularity counts' ring of past days (binary, storage/popularity.ts), written when a day ends. */
export function popularityDaysKey(site: string): string {
  return `${VERSION}:popdays:${site}`;
}

/** The day ring's sums for the ranking runs (binary, storage/popularity.ts), written with the ring. */
export function popularityDaySumsKey(site: string): string {
  return `${VERSION}:popdaysums:${site}`;
}

/** The beacon metadata of the pages the popularity counts track (JSON), written only when it changes. */
export function popularityMetaKey(site: string): string {
  return `${VERSION}:popmeta:${site}`;
}

export function rankingKey(site: string): string {
  return `${VERSION}:ranking:${site}`;
}

export function verifiedPagesKey(site: string): string {
  return `${VERSION}:verified:${site}`;
}

export function recentCommentsKey(site: string): string {
  return `${VERSION}:recent:${site}`;
}

/** Every count key of a site: listed by the cron for the comment activity in their metadata. */
export function countPrefix(site: string): string {
  return `${VERSION}:count:${site}:`;
}

/** The page a count key belongs to, or null for a key this module did not build. */
export function parseCountKey(key: string): PageRef | null {
  const match = /^v1:count:([^:]+):([0-9a-f]{32})$/.exec(key);
  return match ? { site: match[1]!, pageHash: match[2]! } : null;
}

// Moderation, owner access and notifications (issue 4).
//
//   v1:site:{site}                              the site's settings document, written by the admin API only
//   v1:status:{site}:{status}:{order}           one entry per stored comment under its current status; metadata
//                                               says which page and what to show, so the admin lists with list()
//   v1:closed:{site}:{pageHash}                 the page's thread is closed to new comments
//   v1:ban:{site}:{kind}:{subjectHash}          a ban, expiring with its TTL
//   v1:known:{site}:{commenterHash}             a comment sent with this commenter key has been approved
//   v1:session:{sessionId}                      a signed-in owner session, expiring with its TTL
//   v1:owner-language                           the admin page's language, for the owner's mail (one per Worker)
//   v1:apitoken:{tokenHash}                     an API token
//   v1:delivery:{site}:{order}                  one webhook delivery's outcome, kept 7 days
//   v1:redeliver:{site}:{deliveryId}            a webhook delivery the cron must retry
//   v1:usedlink:{linkId}                        a one-click moderation link already used

export function siteSettingsKey(site: string): string {
  return `${VERSION}:site:${site}`;
}

export function statusIndexPrefix(site: string, status?: string): string {
  return `${VERSION}:status:${site}:${status === undefined ? '' : `${status}:`}`;
}

/**
 * `order` sorts newest first (KV lists keys in ascending order only): the inverted creation time, then the id.
 */
export function statusIndexKey(site: string, status: string, createdAtMs: number, commentId: string): string {
  const newestFirst = (0xffffffffffff - createdAtMs).toString(16).padStart(12, '0');
  return `${statusIndexPrefix(site, status)}${newestFirst}${commentId}`;
}

export function closedThreadPrefix(site: string): string {
  return `${VERSION}:closed:${site}:`;
}

export function closedThreadKey(page: PageRef): string {
  return closedThreadPrefix(page.site) + page.pageHash;
}

export function banPrefix(site: string): string {
  return `${VERSION}:ban:${site}:`;
}

export function banKey(site: string, kind: string, subjectHash: string): string {
  return `${banPrefix(site)}${kind}:${subjectHash}`;
}

export function knownCommenterKey(site: string, commenterHash: string): string {
  return `${VERSION}:known:${site}:${commenterHash}`;
}

export function sessionKey(sessionId: string): string {
  return `${VERSION}:session:${sessionId}`;
}

/** Worker-wide, not per site: one owner signs in for every site of the Worker (storage/owner-language.ts). */
export const OWNER_LANGUAGE_KEY = `${VERSION}:owner-language`;

export const API_TOKEN_PREFIX = `${VERSION}:apitoken:`;

export function apiTokenKey(tokenHash: string): string {
  return API_TOKEN_PREFIX + tokenHash;
}

export function deliveryPrefix(site: string): string {
  return `${VERSION}:delivery:${site}:`;
}

/** Newest first, like the status index. */
export function deliveryKey(site: string, createdAtMs: number, deliveryId: string): string {
  const newestFirst = (0xffffffffffff - createdAtMs).toString(16).padStart(12, '0');
  return `${deliveryPrefix(site)}${newestFirst}${deliveryId}`;
}

export const REDELIVER_PREFIX = `${VERSION}:redeliver:`;

export function redeliverKey(site: string, deliveryId: string): string {
  return `${REDELIVER_PREFIX}${site}:${deliveryId}`;
}

export function usedLinkKey(linkId: string): string {
  return `${VERSION}:usedlink:${linkId}`;
}

/**
 * `v1:mailok:{site}:{emailHash}:{commenterHash}`: this address confirmed it wants reply mails from the site for the
 * comments of one browser (its commenter key), so someone typing the address elsewhere is asked to confirm again.
 */
export function confirmedEmailKey(site: string, emailHash: string, commenterHash: string): string {
  return `${confirmedEmailPrefix(site, emailHash)}:${commenterHash}`;
}

/** Every confirmation of one address on a site (and the email-only key confirmations were once stored under). */
export function confirmedEmailPrefix(site: string, emailHash: string): string {
  return `${VERSION}:mailok:${site}:${emailHash}`;
}

// Imported comments (issue 9).
//
//   v1:imported:{site}:{pageHash}               every comment imported into the page, in one document (the
//                                               import's one write per thread); the rebuild merges it with the
//                                               page's comment keys and the owner's decisions; metadata { pieces }
//                                               when a post in parts was published from its pieces, { parts } for
//                                               the head of a split one
//   v1:imported-part:{site}:{pageHash}:{partId} a run of a split imported document's comments, named by its head's
//                                               `parts` (storage/imported-threads.ts); outside the documents' prefix,
//                                               so their list()s see heads only
//   v1:import-queue:{site}:{queueId}            one thread of an import waiting for a day with KV writes to spare,
//                                               prebuilt; ids are ULIDs, so the oldest thread lists first
//   v1:import-stage:{site}:{pageHash}:{count}:{index}  a part of a post before its last, prebuilt, its digest in the
//                                                      metadata; 3-day expiration
//   v1:import-sweep                             where the cron's sweep of import shares goes on
//                                               (storage/import-sweep.ts), only while a pass spans runs

/** Every imported document of a site: the export's second stage walks them. */
export function importedThreadPrefix(site: string): string {
  return `${VERSION}:imported:${site}:`;
}

export function importedThreadKey(page: PageRef): string {
  return importedThreadPrefix(page.site) + page.pageHash;
}

/** One part of a split imported document (`StoredHead.parts`): never rewritten, named by its head alone. */
export function importedPartKey(page: PageRef, partId: string): string {
  return `${VERSION}:imported-part:${page.site}:${page.pageHash}:${partId}`;
}

/** Every part of every site's split imported documents: the cron's sweep of import shares lists them. */
export const IMPORTED_PART_PREFIX = `${VERSION}:imported-part:`;

/** The page and part id an imported document part's key was built from, or null for a key this module did not build. */
export function parseImportedPartKey(key: string): (PageRef & { partId: string }) | null {
  const match = /^v1:imported-part:([^:]+):([0-9a-f]{32}):([^:]+)$/.exec(key);
  return match ? { site: match[1]!, pageHash: match[2]!, partId: match[3]! } : null;
}

/**
 * One staged part of a post imported in parts (`ImportThread.part`): written with a few days' expiration, read
 * only by the post's last part, never by the rebuild. Keyed by the part's place and the count of parts, so parts
 * are written once each (no read-modify-write) and a post split differently does not mix with an earlier split.
 */
export function importStageKey(page: PageRef, part: { index: number; count: number }): string {
  return `${VERSION}:import-stage:${page.site}:${page.pageHash}:${part.count}:${part.index}`;
}

/** Every staged part of a page, whatever its post's count of parts: the sweep of import shares lists their digests. */
export function importStagePrefix(page: PageRef): string {
  return `${VERSION}:import-stage:${page.site}:${page.pageHash}:`;
}

/**
 * Where the cron's sweep of import shares goes on in its next run (storage/import-sweep.ts): written only when a pass
 * spans runs, deleted when it ends.
 */
export const IMPORT_SWEEP_KEY = `${VERSION}:import-sweep`;

export function importQueuePrefix(site: string): string {
  return `${VERSION}:import-queue:${site}:`;
}

export function importQueueKey(site: string, queueId: string): string {
  return importQueuePrefix(site) + queueId;
}
