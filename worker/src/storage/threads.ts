/** Page snapshots and counts: the aggregates readers get, one KV value per page each. */
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

  async writeCount(page: PageRef, count: number): Promise<void> {
    await this.kv.put(countKey(page), String(count));
  }

  /** Visible comment counts of up to 100 pages in one bulk read; 0 for a page never commented on. */
  async counts(pages: PageRef[]): Promise<number[]> {
    if (pages.length === 0) return [];
    const keys = pages.map(countKey);
    const values = await this.kv.get([...new Set(keys)], 'text');
    return keys.map((key) => Number(values.get(key) ?? 0) || 0);
  }
}
