/**
 * The secret that lets one browser edit or delete its own comment. Only its SHA-256 is stored, so a leaked
 * database cannot be used to edit anyone's comment.
 */
import { sha256Hex, toBase64Url } from './bytes.js';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** 32 random bytes, base64url: 43 characters. */
export function newEditToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

export function hashEditToken(token: string): Promise<string> {
  return sha256Hex(token);
}

/** Whether `token` is the one whose hash was stored, compared in constant time. */
export async function editTokenMatches(token: string, storedHash: string): Promise<boolean> {
  if (!TOKEN_PATTERN.test(token) || storedHash === '') return false;
  const encoder = new TextEncoder();
  const presented = encoder.encode(await hashEditToken(token));
  const expected = encoder.encode(storedHash);
  return presented.byteLength === expected.byteLength && crypto.subtle.timingSafeEqual(presented, expected);
}

/** The token in an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match ? match[1]! : null;
}
