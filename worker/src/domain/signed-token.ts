/**
 * Signed tokens for links that work without signing in (one-click moderation, email confirmation and
 * unsubscribe): base64url(JSON claims) "." base64url(HMAC-SHA256). The key is derived from SALA_SECRET and the
 * token's purpose, so a token made for one purpose never passes as another.
 */
import { toBase64Url } from './bytes.js';
import { isolateState } from './isolate-state.js';

/**
 * The purpose keys derived in this isolate, by purpose and secret: a token signed and read again (a change's rebuild
 * token, then its follow-up) derives its key once: two key imports and a signature less.
 */
const purposeKeys = isolateState(new Map<string, Promise<CryptoKey>>());

function purposeKey(secret: string, purpose: string): Promise<CryptoKey> {
  const name = `${purpose}\u0000${secret}`;
  let key = purposeKeys.get(name);
  if (key === undefined) {
    key = derivePurposeKey(secret, purpose);
    // A failed derivation is not kept: the next token derives again.
    key.catch(() => purposeKeys.delete(name));
    purposeKeys.set(name, key);
  }
  return key;
}

async function derivePurposeKey(secret: string, purpose: string): Promise<CryptoKey> {
  const encoder = new TextEncoder();
  const root = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const derived = await crypto.subtle.sign('HMAC', root, encoder.encode(`sala:${purpose}`));
  return crypto.subtle.importKey('raw', derived, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

async function mac(secret: string, purpose: string, payload: string): Promise<string> {
  const signature = await crypto.subtle.sign(
    'HMAC',
    await purposeKey(secret, purpose),
    new TextEncoder().encode(payload),
  );
  return toBase64Url(new Uint8Array(signature));
}

function decodeText(encoded: string): string | null {
  try {
    const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(
      Uint8Array.from(binary, (char) => char.charCodeAt(0)),
    );
  } catch {
    return null;
  }
}

export async function signToken(secret: string, purpose: string, claims: Record<string, unknown>): Promise<string> {
  const payload = toBase64Url(new TextEncoder().encode(JSON.stringify(claims)));
  return `${payload}.${await mac(secret, purpose, payload)}`;
}

/** The claims of a token signed for `purpose` by this deployment, or null (altered, cut short, other purpose). */
export async function readToken(
  secret: string,
  purpose: string,
  token: string,
): Promise<Record<string, unknown> | null> {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0 || token.length > 8192) return null;
  const encoder = new TextEncoder();
  const expected = encoder.encode(await mac(secret, purpose, payload));
  const given = encoder.encode(signature);
  // Compared as text, so variants differing only in base64 padding bits do not pass.
  if (expected.byteLength !== given.byteLength || !crypto.subtle.timingSafeEqual(expected, given)) return null;
  const json = decodeText(payload);
  if (json === null) return null;
  try {
    const claims: unknown = JSON.parse(json);
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** What reading a signed token found: its claims, or why not; `expired` only for a genuine token past its time. */
export type ClaimsCheck<T> = { ok: true; claims: T } | { ok: false; reason: 'tampered' | 'expired' };

/**
 * The claims of a token signed for `purpose` by this deployment, as `claimsOf` reads them from its payload and its
 * expiry (`e`, Unix seconds): `tampered` when it is no such token or `claimsOf` finds the payload is not what the
 * purpose signs (null), `expired` when its time is not after `nowSeconds`.
 */
export async function readClaims<T>(
  secret: string,
  purpose: string,
  token: string,
  nowSeconds: number,
  claimsOf: (raw: Record<string, unknown>, expiresAt: number) => T | null,
): Promise<ClaimsCheck<T>> {
  const raw = await readToken(secret, purpose, token);
  if (raw === null || typeof raw.e !== 'number') return { ok: false, reason: 'tampered' };
  const expiresAt = raw.e;
  const claims = claimsOf(raw, expiresAt);
  if (claims === null) return { ok: false, reason: 'tampered' };
  if (expiresAt <= nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}
