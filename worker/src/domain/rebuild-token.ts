/**
 * The token a change answered `rebuild: { token }` carries (routes/comments.ts `POST /rebuild`): signed
 * (domain/signed-token.ts, a purpose of its own), so that only a change the Worker stored can ask for a page's
 * rebuild, and that request finds the change's dirty marker with one read instead of a list().
 */
import { readClaims, signToken, type ClaimsCheck } from './signed-token.js';

export interface RebuildClaims {
  site: string;
  /** `PageRef.pageHash` of the changed page. */
  pageHash: string;
  /** The changed comment. */
  commentId: string;
  /** The change's dirty marker (`DirtyPages.mark`). */
  markerId: string;
  /** Unix seconds. */
  expiresAt: number;
}

/** How long a token asks: by then the cron's repair (every 10 minutes) has rebuilt the page. */
export const REBUILD_TOKEN_SECONDS = 15 * 60;
const PURPOSE = 'rebuild';

/** What a token a browser sent looks like: two base64url fields, of a size the claims make. */
export const REBUILD_TOKEN_SHAPE = /^[\w-]{1,600}\.[\w-]{43}$/;

export function signRebuildToken(secret: string, claims: RebuildClaims): Promise<string> {
  const { site, pageHash, commentId, markerId, expiresAt } = claims;
  return signToken(secret, PURPOSE, { s: site, p: pageHash, c: commentId, m: markerId, e: expiresAt });
}

/** The token a change answers for its page's follow-up, valid `REBUILD_TOKEN_SECONDS` from `now` (ms). */
export function rebuildToken(
  secret: string,
  page: { site: string; pageHash: string },
  commentId: string,
  markerId: string,
  now = Date.now(),
): Promise<string> {
  const expiresAt = Math.floor(now / 1000) + REBUILD_TOKEN_SECONDS;
  return signRebuildToken(secret, { site: page.site, pageHash: page.pageHash, commentId, markerId, expiresAt });
}

export type RebuildCheck = ClaimsCheck<RebuildClaims>;

/** The claims of a token this deployment signed; `expired` only for a genuine token past its time. */
export function readRebuildToken(secret: string, token: string, nowSeconds: number): Promise<RebuildCheck> {
  return readClaims(secret, PURPOSE, token, nowSeconds, (raw, expiresAt) =>
    typeof raw.s === 'string' && typeof raw.p === 'string' && typeof raw.c === 'string' && typeof raw.m === 'string'
      ? { site: raw.s, pageHash: raw.p, commentId: raw.c, markerId: raw.m, expiresAt }
      : null,
  );
}
