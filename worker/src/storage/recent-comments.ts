/** The recent-comments document (one KV value per site, written by the cron) and the threads it is built from. */
import type { RecentCommentsDocument } from '../domain/recent-comments.js';
import type { ThreadSnapshot } from '../domain/thread.js';
import { recentCommentsKey, type PageRef } from './keys.js';
import { ThreadStore } from './threads.js';

export class RecentCommentsStore {
  constructor(private readonly kv: KVNamespace) {}

  /** The one read a recent-comments request makes; null before the cron's first run. */
  read(site: string): Promise<RecentCommentsDocument | null> {
    return this.kv.get<RecentCommentsDocument>(recentCommentsKey(site), 'json');
  }

  async write(site: string, document: RecentCommentsDocument): Promise<void> {
    await this.kv.put(recentCommentsKey(site), JSON.stringify(document));
  }

  /** The snapshots of up to 100 pages, whole, in the order asked; missing ones left out (storage/threads.ts). */
  snapshots(pages: readonly PageRef[]): Promise<ThreadSnapshot[]> {
    return new ThreadStore(this.kv).readMany(pages);
  }
}
