/**
 * Lets only the site owner through: a valid session cookie (signed, unexpired, not signed out) or an API token
 * (`Authorization: Bearer sala_…`). Anything else is 401. A state-changing request that relies on the cookie
 * must also come from the Worker's own origin (403 otherwise), because a cookie is sent by whichever page makes
 * the request; a token is not ambient, so it needs no such check.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env.js';
import { looksLikeApiToken } from '../domain/api-token.js';
import { bearerToken } from '../domain/edit-token.js';
import { readSession, sessionSigningKey } from '../domain/owner-session.js';
import { ApiError } from '../errors.js';
import { AdminSessionStore } from '../storage/admin-sessions.js';
import { ApiTokenStore } from '../storage/api-tokens.js';

/** `__Host-`: only ever set by this origin, over a secure context, for the whole site. */
export const SESSION_COOKIE = '__Host-sala_admin';
export const SESSION_SECONDS = 7 * 24 * 60 * 60;

export type OwnerIdentity =
  { via: 'session'; sessionId: string; expiresAt: number } | { via: 'token'; tokenId: string };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function unauthorized(message = 'Sign in, or send an API token as "Authorization: Bearer sala_…".'): ApiError {
  return new ApiError('unauthorized', 401, message);
}

export function signingKey(env: Env): Promise<CryptoKey> {
  return sessionSigningKey(env.SALA_SECRET, env.ADMIN_PASSWORD ?? '');
}

/**
 * Sets the session cookie. Secure even on http://127.0.0.1: Chromium and Firefox treat loopback as a secure
 * context and keep Secure and `__Host-` cookies there (checked with Chromium 156).
 */
export function startSession(c: Context<AppEnv>, value: string): void {
  setCookie(c, SESSION_COOKIE, value, {
    httpOnly: true,
    secure: true,
    sameSite: 'Strict',
    path: '/',
    maxAge: SESSION_SECONDS,
  });
}

export function endSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true, httpOnly: true, sameSite: 'Strict' });
}

async function sessionOwner(c: Context<AppEnv>, cookie: string): Promise<OwnerIdentity | null> {
  if (!c.env.ADMIN_PASSWORD) return null;
  const claims = await readSession(await signingKey(c.env), cookie, Date.now());
  if (claims === null || !(await new AdminSessionStore(c.env.SALA).isOpen(claims.sessionId))) return null;
  return { via: 'session', sessionId: claims.sessionId, expiresAt: claims.expiresAt };
}

export function ownerAuth(): MiddlewareHandler<AppEnv> {
  return async function ownerAuth(c, next) {
    const header = c.req.header('Authorization');
    let owner: OwnerIdentity | null = null;
    if (header !== undefined) {
      const token = bearerToken(header);
      const info = token !== null && looksLikeApiToken(token) ? await new ApiTokenStore(c.env.SALA).find(token) : null;
      if (info === null) throw unauthorized('This API token is not valid (revoked, mistyped or never issued).');
      owner = { via: 'token', tokenId: info.id };
    } else {
      const cookie = getCookie(c, SESSION_COOKIE);
      owner = cookie ? await sessionOwner(c, cookie) : null;
      if (owner === null) throw unauthorized(cookie ? 'Your session has ended; sign in again.' : undefined);
      if (!SAFE_METHODS.has(c.req.method) && c.req.header('Origin') !== new URL(c.req.url).origin) {
        throw new ApiError('forbidden', 403, 'Admin changes must come from the admin page of this server.');
      }
    }
    c.set('owner', owner);
    await next();
  };
}
