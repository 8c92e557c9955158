/**
 * Salted, irreversible hashes that stand for a person without storing who they are: the IP address (rate limits,
 * bans), the email or name (bans, "has had a comment approved"). Keyed with SALA_SECRET, so a leaked database
 * cannot be tested against guessed addresses.
 */
import { toHex } from './bytes.js';

export type BanSubject = 'email' | 'ip' | 'name';

async function keyedHash(secret: string, label: string, value: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  // The label keeps the hash of an email from ever equalling the hash of a name or an address.
  const signature = await crypto.subtle.sign('HMAC', key, encoder.encode(`sala:${label}:${value}`));
  return toHex(signature).slice(0, 32);
}

/** 128 bits of HMAC-SHA256 of the address; the raw address is never stored. */
export function ipHash(secret: string, ip: string): Promise<string> {
  return keyedHash(secret, 'ip', ip.trim().toLowerCase());
}

export function emailHash(secret: string, email: string): Promise<string> {
  return keyedHash(secret, 'email', email.trim().toLowerCase());
}

export function nameHash(secret: string, name: string): Promise<string> {
  return keyedHash(secret, 'name', name.trim().toLowerCase());
}

/** Who a commenter is for "approved before": their email when they gave one, else their name (weaker). */
export function commenterHash(secret: string, author: { email?: string | null; name: string }): Promise<string> {
  return author.email ? emailHash(secret, author.email) : nameHash(secret, author.name);
}

/** The hash a ban of `kind` on `value` is stored under; an IP ban's value is already an ipHash. */
export async function banSubjectHash(secret: string, kind: BanSubject, value: string): Promise<string> {
  if (kind === 'ip') return value.trim().toLowerCase();
  return kind === 'email' ? emailHash(secret, value) : nameHash(secret, value);
}
