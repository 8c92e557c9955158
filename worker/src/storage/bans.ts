/** Bans: one key per banned subject (email hash, IP hash, name hash), expiring with the ban through KV's TTL. */
import type { Ban, BanKind } from '@sala/protocol';
import { cutToBytes } from '../domain/admin-comment.js';
import { banKey, banPrefix } from './keys.js';

/** KV's shortest TTL. */
const MIN_TTL_SECONDS = 60;

export interface BanSubject {
  kind: BanKind;
  hash: string;
}

/** The id the admin API uses: kind and subject hash, so lifting a ban needs no lookup. */
export function banId(subject: BanSubject): string {
  return `${subject.kind}-${subject.hash}`;
}

export function parseBanId(id: string): BanSubject | null {
  const match = /^(email|ip|name)-([0-9a-f]{32})$/.exec(id);
  return match ? { kind: match[1] as BanKind, hash: match[2]! } : null;
}

export function isActive(ban: Ban, now: number): boolean {
  // KV removes expired keys on its own schedule; the date decides.
  return ban.expiresAt === null || Date.parse(ban.expiresAt) > now;
}

export class BanStore {
  constructor(private readonly kv: KVNamespace) {}

  async put(site: string, subject: BanSubject, ban: Ban): Promise<void> {
    const expiration =
      ban.expiresAt === null
        ? undefined
        : Math.max(Math.ceil(Date.parse(ban.expiresAt) / 1000), Math.ceil(Date.now() / 1000) + MIN_TTL_SECONDS);
    // list() shows bans from metadata, which KV caps at 1,024 bytes: long multi-byte labels and reasons are cut.
    const listed: Ban = { ...ban, label: cutToBytes(ban.label, 300) };
    if (ban.reason !== undefined) listed.reason = cutToBytes(ban.reason, 300);
    await this.kv.put(banKey(site, subject.kind, subject.hash), JSON.stringify(ban), {
      metadata: listed,
      ...(expiration !== undefined ? { expiration } : {}),
    });
  }

  /** Bans in force, newest first (one list() call; a site with more than 1,000 bans sees the first 1,000). */
  async list(site: string, now = Date.now()): Promise<Ban[]> {
    const listed = await this.kv.list<Ban>({ prefix: banPrefix(site) });
    return listed.keys
      .flatMap((key) => (key.metadata && isActive(key.metadata, now) ? [key.metadata] : []))
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  }

  /** False when there was no such ban. */
  async remove(site: string, subject: BanSubject): Promise<boolean> {
    const key = banKey(site, subject.kind, subject.hash);
    if ((await this.kv.get(key)) === null) return false;
    await this.kv.delete(key);
    return true;
  }

  static key(site: string, subject: BanSubject): string {
    return banKey(site, subject.kind, subject.hash);
  }
}
