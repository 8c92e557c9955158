/** Commenters who have had a comment approved on a site: one small key each, so "first-time" holds skip them. */
import { knownCommenterKey } from './keys.js';

export class KnownCommenters {
  constructor(private readonly kv: KVNamespace) {}

  /** Written once per commenter (callers skip it when the POST already found the key). Same value each time. */
  async remember(site: string, commenterHash: string, now = new Date()): Promise<void> {
    await this.kv.put(knownCommenterKey(site, commenterHash), JSON.stringify({ since: now.toISOString() }));
  }

  static key(site: string, commenterHash: string): string {
    return knownCommenterKey(site, commenterHash);
  }
}
