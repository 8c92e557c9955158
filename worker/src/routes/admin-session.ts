/** /api/v1/admin/session: the owner signs in (the one admin route open without auth), checks, and signs out. */
import type { AdminLanguage, AdminSessionResponse, AdminSignInRequest } from '@sala/protocol';
import { Hono, type Handler } from 'hono';
import type { AppEnv } from '../app-env.js';
import { newSessionId, passwordMatches, signSession } from '../domain/owner-session.js';
import { isDailyLimitError } from '../domain/daily-limit.js';
import { languageTag } from '../domain/site-settings.js';
import { ApiError, dailyLimitReached, invalidField } from '../errors.js';
import { endSessionCookie, SESSION_SECONDS, signingKey, startSession } from '../middleware/owner-auth.js';
import { AdminSessionStore } from '../storage/admin-sessions.js';
import { OwnerLanguageStore } from '../storage/owner-language.js';
import { adminJson, asObject } from './admin-input.js';

function fieldsOf(json: unknown): Record<string, unknown> {
  return typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
}

/** The password, and the admin page's language as its first subtag (absent from scripts and older pages). */
function readSignIn(json: unknown): AdminSignInRequest {
  const { password, language } = fieldsOf(json);
  if (typeof password !== 'string' || password === '') throw invalidField('password', 'password is required.');
  // Checked before anything is written: a sign-in with a language that is not a tag changes nothing.
  return language === undefined || language === null
    ? { password }
    : { password, language: languageTag(language, 'language') };
}

/**
 * Keeps the admin page's language for the owner's mail, writing only when it changed, and answers the language kept
 * now. Signing in does not fail for it: when the write does (the day's writes are out, or a second write to the key
 * within a second), the old language stays, the answer says so, and the page tells again on its next load.
 */
async function keepLanguage(store: OwnerLanguageStore, language: string): Promise<string | null> {
  try {
    await store.remember(language);
    return language;
  } catch (error) {
    console.warn('[sala] the admin page’s language was not kept for the owner’s mail', error);
    return store.get().catch(() => null);
  }
}

/** POST /session: mounted before the auth middleware, behind the sign-in rate limit. */
export const signIn: Handler<AppEnv> = async (c) => {
  const { password, language } = readSignIn(c.get('jsonBody'));
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
  const languages = new OwnerLanguageStore(c.env.SALA);
  const kept = language === undefined ? await languages.get() : await keepLanguage(languages, language);
  return c.json<AdminSessionResponse>({
    signedIn: true,
    via: 'session',
    expiresAt: new Date(claims.expiresAt).toISOString(),
    ...(kept !== null ? { language: kept } : {}),
  });
};

export const adminSession = new Hono<AppEnv>();

// Says the language kept for the owner's mail, so a page already signed in tells its own only when it differs.
adminSession.get('/', async (c) => {
  const owner = c.get('owner');
  const language = await new OwnerLanguageStore(c.env.SALA).get();
  return c.json<AdminSessionResponse>({
    ...(owner.via === 'session'
      ? { signedIn: true, via: 'session', expiresAt: new Date(owner.expiresAt).toISOString() }
      : { signedIn: true, via: 'token' }),
    ...(language !== null ? { language } : {}),
  });
});

/**
 * PUT /session/language: the admin page's language changed while signed in (or differs from the one kept, as
 * GET said). Written only when it changed; the day's writes being out is 503 `daily_limit_reached`, nothing kept.
 */
adminSession.put('/language', adminJson, async (c) => {
  const language = languageTag(asObject(c.get('jsonBody')).language, 'language');
  try {
    await new OwnerLanguageStore(c.env.SALA).remember(language);
  } catch (error) {
    if (!isDailyLimitError(error)) throw error;
    throw dailyLimitReached(
      "Changing your mail's language is paused until 00:00 UTC: this server has used its free plan's writes for today.",
    );
  }
  return c.json<AdminLanguage>({ language });
});

adminSession.delete('/', async (c) => {
  const owner = c.get('owner');
  if (owner.via === 'session') await new AdminSessionStore(c.env.SALA).close(owner.sessionId);
  endSessionCookie(c);
  return c.body(null, 204);
});
