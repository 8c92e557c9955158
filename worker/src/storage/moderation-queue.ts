/**
 * The moderation index: one key per stored comment under its current status (`v1:status:{site}:{status}:…`,
 * newest first), with a summary in its metadata. The owner's queue and lists are list() calls on it, never a
 * scan of every comment. It is derived from the comment keys: whoever saves a comment moves its entry
 * (storage/changes.ts), and a list that meets an entry disagreeing with its comment drops and repairs it.
 */
import type { AdminCommentStatus } from '@sala/protocol';
import { indexSummary, summaryMatches, type IndexSummary } from '../domain/admin-comment.js';
import type { StoredComment } from '../domain/stored-comment.js';
import { statusIndexKey, statusIndexPrefix, type PageRef } from './keys.js';

export const ADMIN_STATUSES: readonly AdminCommentStatus[] = ['pending', 'approved', 'spam', 'rejected'];

/** Counting stops here: one list() call per status. */
export const COUNT_LIMIT = 1000;

/** list() calls (of 1,000 keys) one search may make before it returns a cursor to continue from. */
const SEARCH_LISTS = 5;

export interface IndexEntry {
  key: string;
  commentId: string;
  status: AdminCommentStatus;
  summary: IndexSummary;
}

function entryKey(site: string, comment: StoredComment): string {
  return statusIndexKey(site, comment.status, Date.parse(comment.createdAt), comment.id);
}

/**
 * Our cursor: KV's cursor for a list() page plus how many of that page's keys were already served, because KV
 * cannot resume in the middle of a page.
 */
function makeCursor(kvCursor: string | undefined, skip: number): string {
  return btoa(JSON.stringify({ c: kvCursor ?? null, s: skip }));
}

function readCursor(cursor: string | null): { kvCursor: string | undefined; skip: number } {
  if (cursor === null || cursor === '') return { kvCursor: undefined, skip: 0 };
  try {
    const { c, s } = JSON.parse(atob(cursor)) as { c: unknown; s: unknown };
    if ((c === null || typeof c === 'string') && typeof s === 'number' && Number.isInteger(s) && s >= 0 && s < 1000) {
      return { kvCursor: c ?? undefined, skip: s };
    }
  } catch {
    // fall through
  }
  throw new RangeError('not a moderation queue cursor');
}

function listed(status: AdminCommentStatus, key: KVNamespaceListKey<IndexSummary>): IndexEntry | null {
  if (!key.metadata) return null;
  return { key: key.name, commentId: key.name.slice(-26), status, summary: key.metadata };
}

export class ModerationQueue {
  constructor(private readonly kv: KVNamespace) {}

  /**
   * Files `comment` under its status, and takes it out from under `previous`'s if that differs. A deleted
   * comment leaves the index. The new entry is written before the old one goes, so a failure in between
   * shows the comment twice (and the list repairs it) rather than losing it.
   */
  async record(page: PageRef, comment: StoredComment, previous: StoredComment | null): Promise<void> {
    await this.file(page, comment);
    await this.unfileBefore(page, comment, previous);
  }

  /** Writes `comment`'s entry under its status; a deleted comment has none. */
  async file(page: PageRef, comment: StoredComment): Promise<void> {
    if (comment.deletedAt !== undefined) return;
    await this.kv.put(entryKey(page.site, comment), '', { metadata: indexSummary(comment, page.pageHash) });
  }

  /** Deletes `previous`'s entry unless `comment` (its newer record) is filed under the same key. */
  async unfileBefore(page: PageRef, comment: StoredComment, previous: StoredComment | null): Promise<void> {
    const key = comment.deletedAt === undefined ? entryKey(page.site, comment) : null;
    const previousKey = previous !== null && previous.deletedAt === undefined ? entryKey(page.site, previous) : null;
    if (previousKey !== null && previousKey !== key) await this.kv.delete(previousKey);
  }

  /** Drops an entry that no longer matches its comment. */
  async forget(entry: IndexEntry): Promise<void> {
    await this.kv.delete(entry.key);
  }

  /**
   * Up to `limit` entries of `status`, newest first, from `cursor` on; with `query`, only those whose summary
   * matches (reading at most a few thousand entries before handing back a cursor to continue from). Throws
   * RangeError for a cursor this method did not make.
   */
  async list(
    site: string,
    status: AdminCommentStatus,
    options: { limit: number; cursor?: string | null; query?: string | null },
  ): Promise<{ entries: IndexEntry[]; cursor: string | null }> {
    const query = options.query ?? null;
    let { kvCursor, skip } = readCursor(options.cursor ?? null);
    const entries: IndexEntry[] = [];
    for (let calls = 0; calls < (query ? SEARCH_LISTS : 2); calls++) {
      const page = await this.kv.list<IndexSummary>({
        prefix: statusIndexPrefix(site, status),
        limit: query ? 1000 : 100,
        ...(kvCursor ? { cursor: kvCursor } : {}),
      });
      for (let i = skip; i < page.keys.length; i++) {
        const entry = listed(status, page.keys[i]!);
        if (entry && (query === null || summaryMatches(entry.summary, query))) entries.push(entry);
        if (entries.length === options.limit) {
          if (i + 1 < page.keys.length) return { entries, cursor: makeCursor(kvCursor, i + 1) };
          return { entries, cursor: page.list_complete ? null : makeCursor(page.cursor, 0) };
        }
      }
      skip = 0;
      if (page.list_complete) return { entries, cursor: null };
      kvCursor = page.cursor;
    }
    return { entries, cursor: makeCursor(kvCursor, 0) };
  }

  /** Comments per status, each counted up to COUNT_LIMIT. Costs one list() per status. */
  async counts(site: string): Promise<Record<AdminCommentStatus, number>> {
    const counts = await Promise.all(
      ADMIN_STATUSES.map(async (status) => {
        const page = await this.kv.list({ prefix: statusIndexPrefix(site, status), limit: COUNT_LIMIT });
        return [status, page.keys.length] as const;
      }),
    );
    return Object.fromEntries(counts) as Record<AdminCommentStatus, number>;
  }
}
