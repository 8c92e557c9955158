/**
 * Dirty markers: one unique key per change, saying "this page's snapshot may be behind". Writing a new key
 * per change (never updating a shared one) is what keeps concurrent comments from overwriting each other.
 */
import { commentIdTime, newCommentId } from '../domain/comment-id.js';
import { DIRTY_PREFIX, dirtyKey, importMarkKey, parseDirtyKey, type PageRef } from './keys.js';

export interface DirtyMarker {
  key: string;
  page: PageRef;
  /** When the change was made (ms since epoch), read from the marker's time-sortable id. */
  markedAt: number;
}

/**
 * A marker's metadata: the comment whose change it marks, and the version that change writes: `writeId`, of its
 * comment key, `decidedAt`, of its decision key (storage/comments.ts; either or both).
 */
export interface MarkedChange {
  comment: string;
  writeId?: string;
  decidedAt?: string;
}

/**
 * How long after a change every location's list() and reads are taken to show it (KV's propagation, up to 60 s): the
 * cron's repair clears only markers this old, and a request's rebuild takes a change marked this long before a head
 * was built to be in that head (storage/thread-rebuild.ts `byNamed`).
 */
export const MARKER_SETTLE_MS = 2 * 60_000;

/**
 * An import's mark (`DirtyPages.markImport`): the pages a request (or a cron run) may publish, and the time their
 * documents and snapshots then say. Written before the first of their writes, so a count written ahead of its snapshot
 * by an invocation cut between them is found by the cron's repair (storage/repair.ts).
 */
export interface ImportMark {
  importedAt: string;
  /** Page hashes (`PageRef.pageHash`) of the site. */
  pages: string[];
}

export class DirtyPages {
  constructor(private readonly kv: KVNamespace) {}

  /**
   * Records that `page` changed. `change`: the comment whose key or decision key is written next and what that
   * write's version will be (in the marker's metadata, so a rebuild that lists the page's markers learns it without
   * reading them). The value, the page id, is for people reading the namespace. Returns the marker's id
   * (`dirtyKey(page, id)`): a follow-up rebuild's token names it, to find it with a read, not a list().
   */
  async mark(page: PageRef, pageId: string, change?: MarkedChange): Promise<string> {
    const markerId = newCommentId();
    await this.kv.put(dirtyKey(page, markerId), pageId, change === undefined ? {} : { metadata: change });
    return markerId;
  }

  /** Whether the marker `mark` returned `markerId` for is still there (one read): the cron has not cleared it. */
  async has(page: PageRef, markerId: string): Promise<boolean> {
    return (await this.kv.get(dirtyKey(page, markerId))) !== null;
  }

  /**
   * The changes the page's markers name (those the cron has not cleared: every change of the last two to twelve
   * minutes, whichever isolate made it), in one list() call; null when a marker names none (written before markers
   * named their change, or by a change of the page itself, such as closing it) or there are more than `max`: the
   * rebuild then lists every comment key of the page.
   */
  async changes(page: PageRef, max: number): Promise<(MarkedChange & { markedAt: number })[] | null> {
    const listed = await this.kv.list<MarkedChange>({ prefix: dirtyKey(page, ''), limit: max + 1 });
    if (!listed.list_complete || listed.keys.length > max) return null;
    const changes: (MarkedChange & { markedAt: number })[] = [];
    for (const { name, metadata } of listed.keys) {
      const markerId = parseDirtyKey(name)?.markerId;
      if (typeof metadata?.comment !== 'string' || markerId === undefined) return null;
      changes.push({ ...metadata, markedAt: commentIdTime(markerId) });
    }
    return changes;
  }

  /** Marks the pages an import is about to publish (one write: a key of its own, found by `list`). */
  async markImport(site: string, mark: ImportMark): Promise<void> {
    await this.kv.put(importMarkKey(site, newCommentId()), JSON.stringify(mark));
  }

  /** An import's mark as `markImport` wrote it; null when gone or not one. */
  async readImportMark(marker: DirtyMarker): Promise<ImportMark | null> {
    const mark = await this.kv.get<ImportMark>(marker.key, 'json').catch(() => null);
    return mark && typeof mark.importedAt === 'string' && Array.isArray(mark.pages) ? mark : null;
  }

  /** Up to `max` markers, in key order (grouped by page; an import's mark has the page hash IMPORT_MARK). */
  async list(max = 1000): Promise<DirtyMarker[]> {
    const markers: DirtyMarker[] = [];
    let cursor: string | undefined;
    do {
      const listed = await this.kv.list({ prefix: DIRTY_PREFIX, ...(cursor ? { cursor } : {}) });
      for (const { name } of listed.keys) {
        const parsed = parseDirtyKey(name);
        if (parsed === null) continue;
        const { site, pageHash, markerId } = parsed;
        markers.push({ key: name, page: { site, pageHash }, markedAt: commentIdTime(markerId) });
      }
      cursor = listed.list_complete ? undefined : listed.cursor;
    } while (cursor && markers.length < max);
    return markers.slice(0, max);
  }

  async clear(markers: DirtyMarker[]): Promise<void> {
    await Promise.all(markers.map((marker) => this.kv.delete(marker.key)));
  }
}
