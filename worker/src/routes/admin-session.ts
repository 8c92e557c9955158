/** /api/v1/admin/session: the owner signs in (the one admin route open without auth), checks, and signs out. */
import type { AdminSessionResponse, AdminSignInRequest } from '@sala/protocol';
import { Hono, type Handler } from 'hono';
import type { AppEnv } from '../app-env.js';
import { newSessionId, passwordMatches, signSession } from '../domain/owner-session.js';
import { isDailyLimitError } from '../domain/daily-limit.js';
import { ApiError, dailyLimitReached, invalidField } from '../errors.js';
import { endSessionCookie, SESSION_SECONDS, signingKey, startSession } from '../middleware/owner-auth.js';
import { AdminSessionStore } from '../storage/admin-sessions.js';

function readSignIn(json: unknown): AdminSignInRequest {
  const password = typeof json === 'object' && json !== null ? (json as Record<string, unknown>).password : undefined;
  if (typeof password !== 'string' || password === '') throw invalidField('password', 'password is required.');
  return { password };
}

/** POST /session: mounted before the auth middleware, behind the sign-in rate limit. */
export const signIn: Handler<AppEnv> = async (c) => {
  const { password } = readSignIn(c.get('jsonBody'));
  if (!c.env.ADMIN_PASSWORD) {
    throw new ApiError(
      'unauthorized',
      401,
      'No ADMIN_PASSWORD is set on this server: `wrangler secret put ADMIN_PASSWORD`.',
    );
  }
  if (!(await passwordMatches(password, c.env.ADMIN_PASSWORD))) {
    throw new ApiError('unauthorized', 401, 'That is not the password.', 'password');
  }
  const claims = { sessionId: newSessionId(), expiresAt: Date.now() + SESSION_SECONDS * 1000 };
  try {
    await new AdminSessionStore(c.env.SALA).open(claims.sessionId, claims.expiresAt);
  } catch (error) {
    // A session is a KV write: say that signing in, not commenting, waits for the reset.
    if (!isDailyLimitError(error)) throw error;
    throw dailyLimitReached(
      "Signing in is paused until 00:00 UTC: it saves a session in KV, and this server has used its free plan's writes for today.",
    );
  }
  startSession(c, await signSession(await signingKey(c.env), claims));
  return c.json<AdminSessionResponse>({
    signedIn: true,
    via: 'session',
    expiresAt: new Date(claims.expiresAt).toISOString(),
  });
};

export const adminSession = new Hono<AppEnv>();

adminSession.get('/', (c) => {
  const owner = c.get('owner');
  return c.json<AdminSessionResponse>(
    owner.via === 'session'
      ? { signedIn: true, via: 'session', expiresAt: new Date(owner.expiresAt).toISOString() }
      : { signedIn: true, via: 'token' },
  );
});

adminSession.delete('/', async (c) => {
  const owner = c.get('owner');
  if (owner.via === 'session') await new AdminSessionStore(c.env.SALA).close(owner.sessionId);
  endSessionCookie(c);
  return c.body(null, 204);
});
