/** Page snapshots and counts: the aggregates readers get, one KV value per page each. */
import type { CountKeyMetadata } from '../domain/comment-activity.js';
import type { ThreadSnapshot } from '../domain/thread.js';
import { countKey, threadKey, type PageRef } from './keys.js';

export class ThreadStore {
  constructor(private readonly kv: KVNamespace) {}

  /** The page's snapshot in one KV read; null before the page's first comment. */
  read(page: PageRef): Promise<ThreadSnapshot | null> {
    return this.kv.get<ThreadSnapshot>(threadKey(page), 'json');
  }

  /** Only the rebuild calls this: it is the snapshot's one writer. */
  async write(page: PageRef, snapshot: ThreadSnapshot): Promise<void> {
    await this.kv.put(threadKey(page), JSON.stringify(snapshot));
  }

  /** The metadata (per-day activity, newest comment) is what the cron reads, with list(), for every page at once. */
  async writeCount(page: PageRef, count: number, metadata?: CountKeyMetadata): Promise<void> {
    await this.kv.put(countKey(page), String(count), metadata ? { metadata } : {});
  }

  /** Visible comment counts of up to 100 pages in one bulk read; 0 for a page never commented on. */
  async counts(pages: PageRef[]): Promise<number[]> {
    if (pages.length === 0) return [];
    const keys = pages.map(countKey);
    const values = await this.kv.get([...new Set(keys)], 'text');
    return keys.map((key) => Number(values.get(key) ?? 0) || 0);
  }
}
