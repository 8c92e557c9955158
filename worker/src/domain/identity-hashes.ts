/**
 * Salted, irreversible hashes that stand for a person without storing who they are: the IP address (rate limits,
 * bans), the email or name (bans), the commenter key of their browser ("has had a comment approved"). Keyed with
 * SALA_SECRET, so a leaked database cannot be tested against guessed addresses.
 */
import { invalidField } from '../errors.js';
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

/**
 * What a rate limit counts and an IP ban covers: an IPv4 address itself, an IPv6 address by its /64. A /64 is what
 * one subscriber (a home, a phone, a rented server) is given, and any of its 2^64 addresses is theirs to send from:
 * counted or banned one by one, a limit or a ban would stop no one. IPv4 written in IPv6 (`::ffff:192.0.2.1`)
 * counts as that IPv4.
 */
export function addressSubject(ip: string): string {
  const address = ip.trim().toLowerCase().split('%')[0]!;
  if (address.includes('.')) return address.slice(address.lastIndexOf(':') + 1);
  if (!address.includes(':')) return address;
  const [head, tail] = address.split('::') as [string, string | undefined];
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const before = groups(head);
  const after = groups(tail);
  const zeros = Array<string>(Math.max(0, 8 - before.length - after.length)).fill('0');
  const all = tail === undefined ? before : [...before, ...zeros, ...after];
  return `${all
    .slice(0, 4)
    .map((group) => (parseInt(group, 16) || 0).toString(16))
    .join(':')}::/64`;
}

/**
 * The caller's address hashed as rate limits, comments and IP bans take it (`network`: its `addressSubject`), and
 * whole, as IP bans made before they covered a /64 were stored.
 */
export async function addressHashes(secret: string, address: string): Promise<{ network: string; whole: string }> {
  const [network, whole] = await Promise.all([ipHash(secret, addressSubject(address)), ipHash(secret, address)]);
  return { network, whole };
}

export function emailHash(secret: string, email: string): Promise<string> {
  return keyedHash(secret, 'email', email.trim().toLowerCase());
}

export function nameHash(secret: string, name: string): Promise<string> {
  return keyedHash(secret, 'name', name.trim().toLowerCase());
}

/**
 * Who a commenter is for "approved before": the secret key their browser made and sends with each comment. A name
 * or an email anyone can type; only that browser holds the key.
 */
export function commenterHash(secret: string, commenterKey: string): Promise<string> {
  return keyedHash(secret, 'commenter', commenterKey);
}

/** 128 to 384 bits, base64url: what the widget makes (22 characters) with room for other clients. */
const COMMENTER_KEY = /^[A-Za-z0-9_-]{22,64}$/;

/** The `commenterKey` of a new comment's body; null when absent (such a comment is always a first-time one). */
export function readCommenterKey(json: unknown): string | null {
  const { commenterKey } = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  if (commenterKey === undefined || commenterKey === null || commenterKey === '') return null;
  if (typeof commenterKey !== 'string' || !COMMENTER_KEY.test(commenterKey)) {
    throw invalidField('commenterKey', 'commenterKey must be 22 to 64 characters of A-Z, a-z, 0-9, - and _.');
  }
  return commenterKey;
}

/** The hash a ban of `kind` on `value` is stored under; an IP ban's value is already an ipHash (of an addressSubject). */
export async function banSubjectHash(secret: string, kind: BanSubject, value: string): Promise<string> {
  if (kind === 'ip') return value.trim().toLowerCase();
  return kind === 'email' ? emailHash(secret, value) : nameHash(secret, value);
}
