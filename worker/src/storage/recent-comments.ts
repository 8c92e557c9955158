/** The recent-comments document (one KV value per site, written by the cron) and the threads it is built from. */
import type { RecentCommentsDocument } from '../domain/recent-comments.js';
import type { ThreadSnapshot } from '../domain/thread.js';
import { recentCommentsKey, threadKey, type PageRef } from './keys.js';

export class RecentCommentsStore {
  constructor(private readonly kv: KVNamespace) {}

  /** The one read a recent-comments request makes; null before the cron's first run. */
  read(site: string): Promise<RecentCommentsDocument | null> {
    return this.kv.get<RecentCommentsDocument>(recentCommentsKey(site), 'json');
  }

  async write(site: string, document: RecentCommentsDocument): Promise<void> {
    await this.kv.put(recentCommentsKey(site), JSON.stringify(document));
  }

  /** The snapshots of up to 100 pages in one bulk get (one read per key), in the order asked; missing ones left out. */
  async snapshots(pages: readonly PageRef[]): Promise<ThreadSnapshot[]> {
    if (pages.length === 0) return [];
    const keys = pages.map(threadKey);
    const values = await this.kv.get<ThreadSnapshot>(keys, 'json');
    return keys.map((key) => values.get(key) ?? null).filter((snapshot) => snapshot !== null);
  }
}
