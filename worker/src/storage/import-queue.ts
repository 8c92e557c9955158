/**
 * Imports waiting for a day with KV writes to spare: one key per request that could not finish
 * (`v1:import-queue:{site}:{queueId}`), holding its remaining threads already checked and mapped. Written once by
 * the request; from then on only the cron changes it (storage/import-run.ts resumeImports), so no two writers race.
 */
import type { ImportSource } from '@sala/protocol';
import { newCommentId } from '../domain/comment-id.js';
import type { PreparedThread } from '../domain/import-input.js';
import { importQueueKey, importQueuePrefix } from './keys.js';

export interface QueuedImport {
  source: ImportSource;
  queuedAt: string;
  /** In the order the owner sent them. */
  threads: PreparedThread[];
}

/** What list() shows of an entry without reading it: the admin page's progress costs one list(). */
interface QueueMetadata {
  threads: number;
  comments: number;
}

export interface QueueEntry {
  key: string;
  batch: QueuedImport;
}

function metadataOf(batch: QueuedImport): QueueMetadata {
  return { threads: batch.threads.length, comments: batch.threads.reduce((sum, t) => sum + t.comments.length, 0) };
}

export class ImportQueue {
  constructor(private readonly kv: KVNamespace) {}

  async add(site: string, batch: QueuedImport): Promise<void> {
    const key = importQueueKey(site, newCommentId(Date.parse(batch.queuedAt)));
    await this.kv.put(key, JSON.stringify(batch), { metadata: metadataOf(batch) });
  }

  /** Threads and comments waiting, over the site's entries (up to 1,000 of them: one list() call). */
  async waiting(site: string): Promise<QueueMetadata> {
    const listed = await this.kv.list<QueueMetadata>({ prefix: importQueuePrefix(site) });
    return listed.keys.reduce(
      (sum, { metadata }) => ({
        threads: sum.threads + (metadata?.threads ?? 0),
        comments: sum.comments + (metadata?.comments ?? 0),
      }),
      { threads: 0, comments: 0 },
    );
  }

  /** The oldest entry, or null when nothing waits: one list() and one read. */
  async oldest(site: string): Promise<QueueEntry | null> {
    const listed = await this.kv.list({ prefix: importQueuePrefix(site), limit: 1 });
    const key = listed.keys[0]?.name;
    if (key === undefined) return null;
    const batch = await this.kv.get<QueuedImport>(key, 'json');
    return batch === null ? null : { key, batch };
  }

  /** Keeps what is left of an entry after a run wrote some of it; removes it once nothing is left. */
  async keepRest(entry: QueueEntry, threads: PreparedThread[]): Promise<void> {
    if (threads.length === 0) {
      await this.kv.delete(entry.key);
      return;
    }
    const batch = { ...entry.batch, threads };
    await this.kv.put(entry.key, JSON.stringify(batch), { metadata: metadataOf(batch) });
  }
}
