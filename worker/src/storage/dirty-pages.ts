/**
 * Dirty markers: one unique key per change, saying "this page's snapshot may be behind". Writing a new key
 * per change (never updating a shared one) is what keeps concurrent comments from overwriting each other.
 */
import { commentIdTime, newCommentId } from '../domain/comment-id.js';
import { DIRTY_PREFIX, dirtyKey, parseDirtyKey, type PageRef } from './keys.js';

export interface DirtyMarker {
  key: string;
  page: PageRef;
  /** When the change was made (ms since epoch), read from the marker's time-sortable id. */
  markedAt: number;
}

export class DirtyPages {
  constructor(private readonly kv: KVNamespace) {}

  /** Records that `page` changed. The value, the page id, is for people reading the namespace. */
  async mark(page: PageRef, pageId: string): Promise<void> {
    await this.kv.put(dirtyKey(page, newCommentId()), pageId);
  }

  /** Up to `max` markers, in key order (grouped by page). */
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
