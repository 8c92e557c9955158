/** Closed threads: one key per closed page, written only by the admin API and read by the rebuild and the POST. */
import type { ThreadState } from '@sala/protocol';
import { closedThreadKey, closedThreadPrefix, type PageRef } from './keys.js';

export interface ClosedThread {
  pageId: string;
  closedAt: string;
}

export class ClosedThreads {
  constructor(private readonly kv: KVNamespace) {}

  get(page: PageRef): Promise<ClosedThread | null> {
    return this.kv.get<ClosedThread>(closedThreadKey(page), 'json');
  }

  async close(page: PageRef, pageId: string, now = new Date()): Promise<ClosedThread> {
    const closed: ClosedThread = { pageId, closedAt: now.toISOString() };
    // Page ids can be long; the metadata (what list() returns) keeps its first 300 characters (1,024 bytes at most).
    await this.kv.put(closedThreadKey(page), JSON.stringify(closed), {
      metadata: { pageId: pageId.slice(0, 300), closedAt: closed.closedAt },
    });
    return closed;
  }

  async reopen(page: PageRef): Promise<void> {
    await this.kv.delete(closedThreadKey(page));
  }

  /** The site's closed threads, up to 1,000 (one list() call). */
  async list(site: string): Promise<ThreadState[]> {
    const listed = await this.kv.list<ClosedThread>({ prefix: closedThreadPrefix(site) });
    return listed.keys.flatMap((key) =>
      key.metadata ? [{ pageId: key.metadata.pageId, closed: true, closedAt: key.metadata.closedAt }] : [],
    );
  }
}
