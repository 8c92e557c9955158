/** One-click links already used: one key per link nonce, expiring when the link would have. */
import { usedLinkKey } from './keys.js';

export class UsedLinks {
  constructor(private readonly kv: KVNamespace) {}

  async wasUsed(nonce: string): Promise<boolean> {
    return (await this.kv.get(usedLinkKey(nonce))) !== null;
  }

  async markUsed(nonce: string, expiresAtSeconds: number): Promise<void> {
    await this.kv.put(usedLinkKey(nonce), '1', {
      expiration: Math.max(expiresAtSeconds, Math.ceil(Date.now() / 1000) + 60),
    });
  }
}
