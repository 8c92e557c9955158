/** Closed threads: one key per closed page, written only by the admin API and read by the rebuild and the POST. */
import type { ThreadState } from '@sala/protocol';
import { closedThreadKey, closedThreadPrefix, type PageRef } from './keys.js';

export interface ClosedThread {
  pageId: string;
  /** The page's address as a link (keeps `.html`), when known. */
  pageUrl?: string;
  closedAt: string;
}

/** An address this long is cut from the list's metadata rather than kept cut: half a link leads nowhere. */
const METADATA_URL_MAX = 300;

/** Most keys one bulk get takes. */
const BULK_GET_LIMIT = 100;

export class ClosedThreads {
  constructor(private readonly kv: KVNamespace) {}

  get(page: PageRef): Promise<ClosedThread | null> {
    return this.kv.get<ClosedThread>(closedThreadKey(page), 'json');
  }

  async close(page: PageRef, pageId: string, pageUrl: string | null, now = new Date()): Promise<ClosedThread> {
    const closed: ClosedThread = { pageId, ...(pageUrl !== null ? { pageUrl } : {}), closedAt: now.toISOString() };
    // Page ids can be long; the metadata (what list() returns) keeps its first 300 characters (1,024 bytes at most).
    // An address comes from pageLink (URL-encoded ASCII), so 300 more characters keep it under the limit.
    const metadata: ClosedThread = { pageId: pageId.slice(0, 300), closedAt: closed.closedAt };
    if (pageUrl !== null && pageUrl.length <= METADATA_URL_MAX) metadata.pageUrl = pageUrl;
    await this.kv.put(closedThreadKey(page), JSON.stringify(closed), { metadata });
    return closed;
  }

  async reopen(page: PageRef): Promise<void> {
    await this.kv.delete(closedThreadKey(page));
  }

  /** The site's closed threads, up to 1,000 (one list() call). */
  async list(site: string): Promise<ThreadState[]> {
    const listed = await this.kv.list<ClosedThread>({ prefix: closedThreadPrefix(site) });
    return listed.keys.flatMap(({ metadata }) => (metadata ? [threadState(metadata)] : []));
  }

  /**
   * Every closed thread of the site with its whole page id and address (the metadata `list` shows may be cut):
   * one list() call (up to 1,000) and a bulk get per 100.
   */
  async all(site: string): Promise<ClosedThread[]> {
    const { keys } = await this.kv.list({ prefix: closedThreadPrefix(site) });
    const closed: ClosedThread[] = [];
    for (let start = 0; start < keys.length; start += BULK_GET_LIMIT) {
      const names = keys.slice(start, start + BULK_GET_LIMIT).map((key) => key.name);
      const values = await this.kv.get<ClosedThread>(names, 'json');
      for (const name of names) {
        const thread = values.get(name);
        if (thread) closed.push(thread);
      }
    }
    return closed;
  }
}

/** What the admin API says of a closed thread. */
export function threadState(closed: ClosedThread): ThreadState {
  const state: ThreadState = { pageId: closed.pageId, closed: true, closedAt: closed.closedAt };
  if (closed.pageUrl !== undefined) state.pageUrl = closed.pageUrl;
  return state;
}
