/**
 * One-click approve and reject links for notifications: signed, expiring tokens (domain/signed-token.ts) that
 * carry what to do to which comment, so they work without signing in. Single use is enforced by the caller
 * (a KV key per used nonce).
 */
import { toBase64Url } from './bytes.js';
import { readClaims, signToken, type ClaimsCheck } from './signed-token.js';

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
const PURPOSE = 'action-link';

export function newNonce(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}

export function signActionLink(secret: string, claims: LinkClaims): Promise<string> {
  const { site, pageId, commentId, action, expiresAt, nonce } = claims;
  return signToken(secret, PURPOSE, { s: site, p: pageId, c: commentId, a: action, e: expiresAt, n: nonce });
}

export type LinkCheck = ClaimsCheck<LinkClaims>;

/** The claims of a token this deployment signed; `expired` only for a genuine token past its time. */
export function readActionLink(secret: string, token: string, nowSeconds: number): Promise<LinkCheck> {
  return readClaims(secret, PURPOSE, token, nowSeconds, (raw, expiresAt) =>
    typeof raw.s === 'string' &&
    typeof raw.p === 'string' &&
    typeof raw.c === 'string' &&
    (raw.a === 'approve' || raw.a === 'reject') &&
    typeof raw.n === 'string'
      ? { site: raw.s, pageId: raw.p, commentId: raw.c, action: raw.a, expiresAt, nonce: raw.n }
      : null,
  );
}
