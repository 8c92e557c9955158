/**
 * Addresses that confirmed (double opt-in) they want reply mails from a site, each for the commenter key of the
 * browser that asked: one key per address and browser, all deleted on unsubscribe.
 */
import { confirmedEmailKey, confirmedEmailPrefix } from './keys.js';

export class EmailSubscriptions {
  constructor(private readonly kv: KVNamespace) {}

  async isConfirmed(site: string, emailHash: string, commenterHash: string): Promise<boolean> {
    return (await this.kv.get(confirmedEmailKey(site, emailHash, commenterHash))) !== null;
  }

  async confirm(site: string, emailHash: string, commenterHash: string, now = new Date()): Promise<void> {
    await this.kv.put(
      confirmedEmailKey(site, emailHash, commenterHash),
      JSON.stringify({ confirmedAt: now.toISOString() }),
    );
  }

  /** Stops reply mails to the address whichever browser confirmed them (one list(): an address has few). */
  async unsubscribe(site: string, emailHash: string): Promise<void> {
    const listed = await this.kv.list({ prefix: confirmedEmailPrefix(site, emailHash) });
    await Promise.all(listed.keys.map((key) => this.kv.delete(key.name)));
  }
}
