/**
 * One-click approve and reject links for notifications: signed, expiring tokens that carry what to do to which
 * comment, so they work without signing in. Single use is enforced by the caller (a KV key per used nonce).
 *
 * Token: base64url(JSON claims) "." base64url(HMAC-SHA256(key, that first part)), the key derived from
 * SALA_SECRET and kept apart from every other use of it.
 */
import { toBase64Url } from './bytes.js';

export type LinkAction = 'approve' | 'reject';

export interface LinkClaims {
  site: string;
  pageId: string;
  commentId: string;
  action: LinkAction;
  /** Unix seconds. */
  expiresAt: number;
  /** Random: names this link in the used-links record. */
  nonce: string;
}

export const LINK_SECONDS = 7 * 24 * 60 * 60;

async function linkKey(secret: string): Promise<CryptoKey> {
  const encoder = new TextEncoder();
  const root = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const derived = await crypto.subtle.sign('HMAC', root, encoder.encode('sala:action-link'));
  return crypto.subtle.importKey('raw', derived, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

function encodeText(text: string): string {
  return toBase64Url(new TextEncoder().encode(text));
}

function decodeText(encoded: string): string | null {
  try {
    const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
  } catch {
    return null;
  }
}

async function mac(secret: string, payload: string): Promise<string> {
  const signature = await crypto.subtle.sign('HMAC', await linkKey(secret), new TextEncoder().encode(payload));
  return toBase64Url(new Uint8Array(signature));
}

export function newNonce(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}

export async function signActionLink(secret: string, claims: LinkClaims): Promise<string> {
  const payload = encodeText(
    JSON.stringify({ s: claims.site, p: claims.pageId, c: claims.commentId, a: claims.action, e: claims.expiresAt, n: claims.nonce }),
  );
  return `${payload}.${await mac(secret, payload)}`;
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; reason: 'tampered' | 'expired' };

/** The claims of a token this deployment signed; `expired` only for a genuine token past its time. */
export async function readActionLink(secret: string, token: string, nowSeconds: number): Promise<LinkCheck> {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0 || token.length > 8192) return { ok: false, reason: 'tampered' };
  const expected = new TextEncoder().encode(await mac(secret, payload));
  const given = new TextEncoder().encode(signature);
  if (expected.byteLength !== given.byteLength || !crypto.subtle.timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'tampered' };
  }
  const json = decodeText(payload);
  const raw = json === null ? null : (JSON.parse(json) as Record<string, unknown>);
  if (
    raw === null ||
    typeof raw.s !== 'string' ||
    typeof raw.p !== 'string' ||
    typeof raw.c !== 'string' ||
    (raw.a !== 'approve' && raw.a !== 'reject') ||
    typeof raw.e !== 'number' ||
    typeof raw.n !== 'string'
  ) {
    return { ok: false, reason: 'tampered' };
  }
  if (raw.e <= nowSeconds) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    claims: { site: raw.s, pageId: raw.p, commentId: raw.c, action: raw.a, expiresAt: raw.e, nonce: raw.n },
  };
}
