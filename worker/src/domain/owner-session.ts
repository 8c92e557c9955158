/**
 * The owner's sign-in: the password check and the signed session cookie value. Web Crypto only; no KV, no Hono.
 *
 * Cookie value: `{sessionId}.{expiresAtMs}.{signature}`, the signature an HMAC-SHA256 (base64url) of the first two
 * parts under a key derived from SALA_SECRET and the current ADMIN_PASSWORD, so changing the password signs
 * every session out. The session id is also kept in KV until it expires, so signing out revokes it.
 */
import { sha256Hex, toBase64Url } from './bytes.js';

export interface SessionClaims {
  sessionId: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

const SESSION_ID = /^[A-Za-z0-9_-]{22}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

/** Whether the typed password is the configured one, in time that does not depend on where they differ. */
export async function passwordMatches(given: string, expected: string | undefined): Promise<boolean> {
  if (!expected) return false; // no password configured: nobody signs in
  const encoder = new TextEncoder();
  // Hashing first gives both sides one length, so the comparison's time says nothing about the password's.
  const [a, b] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(given)),
    crypto.subtle.digest('SHA-256', encoder.encode(expected)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}

/** The HMAC key session cookies are signed with. */
export async function sessionSigningKey(secret: string, password: string): Promise<CryptoKey> {
  const encoder = new TextEncoder();
  const root = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const derived = await crypto.subtle.sign(
    'HMAC',
    root,
    encoder.encode(`sala:admin-session:${await sha256Hex(password)}`),
  );
  return crypto.subtle.importKey('raw', derived, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

export function newSessionId(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}

export async function signSession(key: CryptoKey, claims: SessionClaims): Promise<string> {
  const payload = `${claims.sessionId}.${claims.expiresAt}`;
  const signature = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(payload));
  return `${payload}.${toBase64Url(new Uint8Array(signature))}`;
}

/** The claims of a cookie value this deployment signed and that has not expired at `now`; otherwise null. */
export async function readSession(key: CryptoKey, value: string, now: number): Promise<SessionClaims | null> {
  const [sessionId, expiresAtText, signature, ...rest] = value.split('.');
  if (!sessionId || !expiresAtText || !signature || rest.length > 0) return null;
  if (!SESSION_ID.test(sessionId) || !/^[1-9]\d{0,14}$/.test(expiresAtText) || !SIGNATURE.test(signature)) return null;
  // Comparing the base64url text (not decoded bytes) refuses variants that differ only in padding bits.
  const expected = await signSession(key, { sessionId, expiresAt: Number(expiresAtText) });
  const encoder = new TextEncoder();
  const genuine = crypto.subtle.timingSafeEqual(encoder.encode(expected), encoder.encode(value));
  const expiresAt = Number(expiresAtText);
  if (!genuine || expiresAt <= now) return null;
  return { sessionId, expiresAt };
}
