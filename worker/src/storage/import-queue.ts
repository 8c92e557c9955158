/**
 * Imports waiting for a day with KV writes to spare: one key per thread (`v1:import-queue:{site}:{queueId}`, ids in
 * the order queued), holding it checked, mapped and prebuilt (domain/prebuilt-thread.ts), a post in parts already
 * assembled. Written once by the request; the cron (storage/import-run.ts resumeImports) publishes the oldest (posts
 * over `LIMITS.freePlanPostComments` comments last) and deletes each once published, so no two writers race and a
 * run never rewrites what is left. Each key's metadata holds its value's digest and its page, so a thread sent again
 * (and a post's part, in a dry run) is known to wait here already from a list(), with nothing read.
 */
import { LIMITS } from '@sala/protocol';
import { toBase64Url } from '../domain/bytes.js';
import { newCommentId } from '../domain/comment-id.js';
import type { PreparedThread } from '../domain/import-input.js';
import { commentCount, prebuild, prebuiltBytes, readPrebuilt, type PrebuiltThread } from '../domain/prebuilt-thread.js';
import { importQueueKey, importQueuePrefix, pageRef } from './keys.js';

/** What list() shows of an entry without reading it: the admin page's progress and the cron's choice cost a list(). */
interface QueueMetadata {
  threads: number;
  comments: number;
  /** The writes its thread takes to publish (`queuedThreadWrites`); absent from entries queued before it was kept. */
  writes?: number;
  /**
   * Whether its comments may keep ids from the file (a Sala export), so the cron checks which were posted here (a
   * bulk read per 100); absent from entries queued before it was kept, which are checked.
   */
  keptIds?: boolean;
  /**
   * Its value's digest (`valueDigest`): a thread sent again is known to wait here already by a list(), no read.
   * Absent from entries queued before it was kept: `holding` reads such an entry and works it out.
   */
  digest?: string;
  /**
   * Its thread's page (`PageRef.pageHash`): a dry run of a post's part knows the post waits here, and answers its parts
   * as the import would. Absent from entries queued before it was kept.
   */
  page?: string;
  /**
   * For a post in parts: each part's digest (`partDigest`, PART_DIGEST_CHARS each, in part order), so a part sent again
   * after its staged copy expired (a post waiting past STAGE_TTL_SECONDS) is known to wait here, from a list(), before
   * anything is staged. Absent when a part was staged without its digest, or from entries queued before it was kept.
   */
  parts?: string;
  /**
   * For a post in parts: the digest of its parts' digests (import-stage.ts `publishedDigest`), which the cron keeps
   * with the document it publishes, so the post sent again after a cut is known by it, not by comparing its MBs.
   */
  pieces?: string;
}

/** Characters of one part's digest in `QueueMetadata.parts`: 100 parts take 800 of the metadata's 1,024 bytes. */
export const PART_DIGEST_CHARS = 8;

/** KV's limit on a key's metadata, as JSON. */
const METADATA_BYTES = 1024;

/**
 * A part's digest: the first `chars` characters of its value's SHA-256, base64url (a multiple of 4: 3 bytes each), so a
 * longer digest starts with the shorter. A queued post keeps PART_DIGEST_CHARS of each part's (`QueueMetadata.parts`);
 * a staged part longer ones (import-stage.ts), which a post's document is known by.
 */
export async function partDigest(value: Uint8Array, chars = PART_DIGEST_CHARS): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', value));
  return toBase64Url(hash.subarray(0, (chars / 4) * 3));
}

/** A queue key as list() gives it. */
interface Listed {
  key: string;
  metadata: QueueMetadata | undefined;
}

/**
 * Entries queued before digests were kept read by one request to match a thread sent again (`ImportQueue.holding`):
 * such entries last only until the cron's nights publish them, and this bounds a request's reads whatever waits.
 */
const UNDIGESTED_READS = 50;

/** What waits, and what the thread the cron takes next needs. */
export interface QueueWaiting {
  threads: number;
  comments: number;
  /** Writes the next thread the cron publishes takes (`ImportQueue.oldest`'s order); 0 when nothing waits. */
  nextWrites: number;
}

/** Writes an entry's thread takes: its own figure, else the least any thread takes (document, count, snapshot). */
function entryWrites(metadata: QueueMetadata | null | undefined): number {
  return metadata?.writes ?? 3;
}

/** A post the cron takes only when nothing smaller waits (`ImportQueue.oldest`). */
function isBig(metadata: QueueMetadata | null | undefined): boolean {
  return (metadata?.comments ?? 0) > LIMITS.freePlanPostComments;
}

export interface QueueEntry {
  key: string;
  /** One thread; more only in an entry written before threads were queued one a key. */
  threads: PrebuiltThread[];
  /** Its metadata's `keptIds`, true when absent: importThreads's `keptIds` for its threads. */
  keptIds: boolean;
  /** Its metadata's `pieces`: what its post in parts is known by once published (importThreads's `piecesDigest`). */
  pieces?: string;
}

/**
 * An entry's threads: the one prebuilt thread this version writes, or the request's remaining threads, checked and
 * mapped, that the previous version wrote in one key (at most one request's 50 comments: prebuilt here, in the run
 * that publishes them). Null when it is neither.
 */
function readEntry(value: ArrayBuffer): PrebuiltThread[] | null {
  const thread = readPrebuilt(value);
  if (thread !== null) return [thread];
  try {
    const batch = JSON.parse(new TextDecoder().decode(value)) as { threads?: PreparedThread[] } | null;
    return Array.isArray(batch?.threads) ? batch.threads.map(prebuild) : null;
  } catch {
    return null;
  }
}

/** The first 16 bytes of the SHA-256 of a queued value, base64url: equal only for the same thread, byte for byte. */
async function valueDigest(value: Uint8Array): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', value)).subarray(0, 16));
}

/** Whether a thread's exact content waits in the queue already; see `ImportQueue.holding`. */
export type QueueHolds = (thread: PrebuiltThread) => Promise<boolean>;

export class ImportQueue {
  /** Each site's entries as first listed by `holding` or `holdsPage`: a request lists the queue once. */
  readonly #listed = new Map<string, Promise<Listed[]>>();
  /** Entries read by `holdsPage` or `idsOfPage`, by key: each read once a request. */
  readonly #held = new Map<string, Promise<{ pageHash: string; thread: PrebuiltThread }[]>>();

  constructor(private readonly kv: KVNamespace) {}

  /**
   * Queues one thread, which takes `writes` writes to publish, after every thread queued before it (one write);
   * `keptIds` as importThreads takes it (the file is a Sala export); a post in parts' `parts` and `pieces` as
   * `QueueMetadata` says.
   */
  async add(
    site: string,
    thread: PrebuiltThread,
    queuedAt: Date,
    writes: number,
    keptIds: boolean,
    { parts, pieces }: { parts?: string | undefined; pieces?: string | undefined } = {},
  ): Promise<void> {
    const key = importQueueKey(site, newCommentId(queuedAt.getTime()));
    const value = prebuiltBytes(thread);
    const digest = await valueDigest(value);
    const { pageHash: page } = await pageRef(site, thread.pageId);
    const metadata: QueueMetadata = { threads: 1, comments: commentCount(thread), writes, keptIds, digest, page };
    if (pieces !== undefined) metadata.pieces = pieces;
    // Left out rather than refused when it would not fit (it fits up to 100 parts, the most a post may have).
    if (parts !== undefined && JSON.stringify({ ...metadata, parts }).length <= METADATA_BYTES) metadata.parts = parts;
    await this.kv.put(key, value, { metadata });
  }

  /** Every entry's key and metadata, in the order queued: one list() per 1,000 entries. */
  private async listAll(site: string): Promise<Listed[]> {
    const all: Listed[] = [];
    let cursor: string | undefined;
    do {
      const listed = await this.kv.list<QueueMetadata>({
        prefix: importQueuePrefix(site),
        ...(cursor ? { cursor } : {}),
      });
      all.push(...listed.keys.map((key) => ({ key: key.name, metadata: key.metadata ?? undefined })));
      cursor = listed.list_complete ? undefined : listed.cursor;
    } while (cursor);
    return all;
  }

  /** Threads and comments waiting, and what the next one needs: one list() per 1,000 of them. */
  async waiting(site: string): Promise<QueueWaiting> {
    const sum = { threads: 0, comments: 0 };
    // The first small entry, else the first big one: the one the cron publishes next.
    let next: QueueMetadata | undefined;
    for (const { metadata } of await this.listAll(site)) {
      sum.threads += metadata?.threads ?? 0;
      sum.comments += metadata?.comments ?? 0;
      if (next === undefined || (isBig(next) && !isBig(metadata))) next = metadata ?? { threads: 1, comments: 0 };
    }
    return { ...sum, nextWrites: next === undefined ? 0 : entryWrites(next) };
  }

  /**
   * Asks, thread by thread, whether the thread waits here already exactly as given (a file sent again before the cron
   * published it): the queue is listed once, when first asked, and a thread is hashed only when an entry with a
   * digest has as many comments (a big post's value takes a few ms to hash). An entry queued before digests were kept
   * (one thread, no digest) with as many comments is read, once a request, and its digest worked out from its value,
   * up to `UNDIGESTED_READS` of them a request (past them, an entry matches nothing). An entry of several threads
   * (older still) with as many comments or more in all is read too, within the same reads, and only its threads of
   * the same page and as many comments are prebuilt and compared.
   */
  holding(site: string): QueueHolds {
    let reads = 0;
    const digestsOf = new Map<string, Promise<string[]>>();
    const batchesOf = new Map<string, Promise<PreparedThread[]>>();
    /** An undigested entry's value, read once a request, while UNDIGESTED_READS last: null past them. */
    const readOnce = <T>(cache: Map<string, Promise<T>>, key: string, read: (key: string) => Promise<T>) => {
      let value = cache.get(key);
      if (value === undefined) {
        if (reads === UNDIGESTED_READS) return null;
        reads += 1;
        cache.set(key, (value = read(key)));
      }
      return value;
    };
    return async (thread) => {
      const comments = commentCount(thread);
      // An entry of several threads (the version before one thread a key) may hold it beside others: as many comments
      // or more in all.
      const alike = (await this.#listedOnce(site)).filter(
        ({ metadata }) =>
          metadata !== undefined &&
          (metadata.digest || metadata.threads === 1
            ? metadata.comments === comments
            : metadata.threads > 1 && metadata.comments >= comments),
      );
      if (alike.length === 0) return false;
      const digest = await valueDigest(prebuiltBytes(thread));
      for (const { key, metadata } of alike) {
        if (metadata?.digest) {
          if (metadata.digest === digest) return true;
          continue;
        }
        if (metadata?.threads === 1) {
          const digests = readOnce(digestsOf, key, (key) => this.#digestsOfValue(key));
          if (digests !== null && (await digests).includes(digest)) return true;
          continue;
        }
        // Only its threads of the same page and as many comments are prebuilt, to compare as one-thread entries are.
        const batch = readOnce(batchesOf, key, (key) => this.#batchOfValue(key));
        if (batch === null) continue;
        for (const held of await batch) {
          if (held.pageId !== thread.pageId || held.comments.length !== comments) continue;
          if ((await valueDigest(prebuiltBytes(prebuild(held)))) === digest) return true;
        }
      }
      return false;
    };
  }

  /** The threads of an entry of several (the version before one thread a key), as it wrote them; none when gone. */
  async #batchOfValue(key: string): Promise<PreparedThread[]> {
    const value = await this.kv.get(key, 'arrayBuffer');
    if (value === null || readPrebuilt(value) !== null) return [];
    try {
      const batch = JSON.parse(new TextDecoder().decode(value)) as { threads?: PreparedThread[] } | null;
      return Array.isArray(batch?.threads) ? batch.threads : [];
    } catch {
      return [];
    }
  }

  /**
   * An entry's digest as `add` would keep it now, worked out from its value: of its bytes, and of its thread written
   * again as this version writes it (a value from an earlier version of the format). None when it is gone or unreadable.
   */
  async #digestsOfValue(key: string): Promise<string[]> {
    const value = await this.kv.get(key, 'arrayBuffer');
    if (value === null) return [];
    const threads = readEntry(value);
    const rewritten = threads?.length === 1 ? [await valueDigest(prebuiltBytes(threads[0]!))] : [];
    return [await valueDigest(new Uint8Array(value)), ...rewritten];
  }

  /**
   * The part digests (`QueueMetadata.parts`) of each post in `count` parts of this page that waits here: from the
   * request's one list(), nothing read.
   */
  async partsOfPage(site: string, pageHash: string, count: number): Promise<string[]> {
    const parts: string[] = [];
    for (const { metadata } of await this.#listedOnce(site)) {
      if (metadata?.page === pageHash && metadata.parts?.length === count * PART_DIGEST_CHARS)
        parts.push(metadata.parts);
    }
    return parts;
  }

  /**
   * Whether a thread of this page (`PageRef.pageHash`) waits here: from the entries' metadata, and for entries queued
   * before it said their page (one thread without it, or several), from their values, read once a request, up to
   * `UNDIGESTED_READS` of them (the import matches a thread sent again against them too: `holding`).
   */
  async holdsPage(site: string, pageHash: string): Promise<boolean> {
    return (await this.#entriesOfPage(site, pageHash)).length > 0;
  }

  /**
   * The comment ids of this page's threads waiting here (`holdsPage`'s entries, read): what a dry run's part that
   * cannot be joined with its post's staged parts is counted against. Empty when none waits.
   */
  async idsOfPage(site: string, pageHash: string): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const key of await this.#entriesOfPage(site, pageHash)) {
      for (const held of await this.#heldOnce(site, key)) {
        if (held.pageHash === pageHash) for (const entry of held.thread.entries) ids.add(entry.id);
      }
    }
    return ids;
  }

  /** The keys of entries holding a thread of this page, in the order queued. */
  async #entriesOfPage(site: string, pageHash: string): Promise<string[]> {
    const keys: string[] = [];
    let reads = 0;
    for (const { key, metadata } of await this.#listedOnce(site)) {
      if (metadata?.page !== undefined) {
        if (metadata.page === pageHash) keys.push(key);
        continue;
      }
      if (reads++ >= UNDIGESTED_READS) continue;
      if ((await this.#heldOnce(site, key)).some((held) => held.pageHash === pageHash)) keys.push(key);
    }
    return keys;
  }

  /** An entry's threads with their pages, read once a request; none when it is gone or unreadable. */
  #heldOnce(site: string, key: string): Promise<{ pageHash: string; thread: PrebuiltThread }[]> {
    let held = this.#held.get(key);
    if (held === undefined) {
      held = (async () => {
        const value = await this.kv.get(key, 'arrayBuffer');
        const threads = value === null ? null : readEntry(value);
        return Promise.all(
          (threads ?? []).map(async (thread) => ({ pageHash: (await pageRef(site, thread.pageId)).pageHash, thread })),
        );
      })();
      this.#held.set(key, held);
    }
    return held;
  }

  #listedOnce(site: string): Promise<Listed[]> {
    let listed = this.#listed.get(site);
    if (listed === undefined) this.#listed.set(site, (listed = this.listAll(site)));
    return listed;
  }

  /**
   * The oldest threads, in the order queued, but for posts of more than `LIMITS.freePlanPostComments` comments,
   * which wait until no smaller thread does: publishing one may take more CPU than the free plan gives a run, and a
   * run stopped on it every night must not hold back what was queued after it. At most `threads` of them and, after
   * the first, no more than `comments` comments in all (the run's CPU grows with them). One list() (of up to 1,000
   * keys, the most one list() gives) and one read per entry.
   */
  async oldest(site: string, limits: { threads: number; comments: number }): Promise<QueueEntry[]> {
    const listed = await this.kv.list<QueueMetadata>({ prefix: importQueuePrefix(site) });
    const ordered = [
      ...listed.keys.filter((key) => !isBig(key.metadata)),
      ...listed.keys.filter((key) => isBig(key.metadata)),
    ];
    const taken: { name: string; metadata?: QueueMetadata }[] = [];
    let comments = 0;
    for (const key of ordered) {
      if (taken.length === limits.threads) break;
      comments += key.metadata?.comments ?? 0;
      if (taken.length > 0 && comments > limits.comments) break;
      taken.push(key);
    }
    if (taken.length === 0) return [];
    // One read per entry, as bytes (a bulk read gives only text): a queued post is published with none of it decoded.
    const values = await Promise.all(taken.map(({ name }) => this.kv.get(name, 'arrayBuffer')));
    const entries: QueueEntry[] = [];
    for (const [i, { name: key, metadata }] of taken.entries()) {
      const value = values[i]!;
      // Listed but not readable yet (KV's lag): stop here, so threads stay in the order queued.
      if (value === null) break;
      const threads = readEntry(value);
      if (threads === null) console.error('[sala] import queue entry not readable, left in place:', key);
      else {
        const pieces = threads.length === 1 ? metadata?.pieces : undefined;
        entries.push({ key, threads, keptIds: metadata?.keptIds ?? true, ...(pieces ? { pieces } : {}) });
      }
    }
    return entries;
  }

  /** Drops an entry once all its threads are published. */
  async remove(entry: QueueEntry): Promise<void> {
    await this.kv.delete(entry.key);
  }
}
