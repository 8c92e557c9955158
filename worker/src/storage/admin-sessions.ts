/** Owner sessions kept server-side, so signing out ends a session even though its cookie is still signed. */
import { sessionKey } from './keys.js';

/** KV's shortest TTL. */
const MIN_TTL_SECONDS = 60;

export class AdminSessionStore {
  constructor(private readonly kv: KVNamespace) {}

  /** Remembers the session until it expires (the key expires with it, so nothing needs cleaning up). */
  async open(sessionId: string, expiresAt: number): Promise<void> {
    await this.kv.put(sessionKey(sessionId), String(expiresAt), {
      expiration: Math.max(Math.ceil(expiresAt / 1000), Math.ceil(Date.now() / 1000) + MIN_TTL_SECONDS),
    });
  }

  /** Whether the session is still open. After a sign-out elsewhere this can lag up to 60 s (KV's cache). */
  async isOpen(sessionId: string): Promise<boolean> {
    return (await this.kv.get(sessionKey(sessionId))) !== null;
  }

  async close(sessionId: string): Promise<void> {
    await this.kv.delete(sessionKey(sessionId));
  }
}
