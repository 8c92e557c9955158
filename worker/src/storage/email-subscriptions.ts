/** Addresses that confirmed (double opt-in) they want reply mails from a site: one key each, deleted on unsubscribe. */
import { confirmedEmailKey } from './keys.js';

export class EmailSubscriptions {
  constructor(private readonly kv: KVNamespace) {}

  async isConfirmed(site: string, emailHash: string): Promise<boolean> {
    return (await this.kv.get(confirmedEmailKey(site, emailHash))) !== null;
  }

  async confirm(site: string, emailHash: string, now = new Date()): Promise<void> {
    await this.kv.put(confirmedEmailKey(site, emailHash), JSON.stringify({ confirmedAt: now.toISOString() }));
  }

  async unsubscribe(site: string, emailHash: string): Promise<void> {
    await this.kv.delete(confirmedEmailKey(site, emailHash));
  }
}
