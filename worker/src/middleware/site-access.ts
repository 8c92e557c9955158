/**
 * Decides who may call the API for which site: resolves `?site=` (default DEFAULT_SITE), refuses origins the
 * site does not list, and answers CORS (preflights included) for the ones it does.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from '../app-env.js';
import { originAllowed } from '../domain/origins.js';
import { ApiError } from '../errors.js';
import { SiteSettingsStore } from '../storage/site-settings.js';
import { requireSecret, siteToServe, type Site } from '../storage/sites.js';

export interface SiteAccessOptions {
  /** How long browsers may cache a preflight answer. */
  preflightMaxAgeSeconds?: number;
}

/** Methods that change data; a browser always sends Origin with them, so a missing one is not a browser. */
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const SITE_PARAMETER = /[?&]site(?:[=&]|$)/;
const ESCAPED_NAME = /[?&][^=&]*[%+]/;

/**
 * Whether `url`'s query surely names no site: no `site` parameter and no parameter name with an escape or a `+` (one
 * that could decode to `site`). Hono's `query('site')` finds the same (nothing) then, but only after decoding every
 * parameter of a query with an escape anywhere in it: an index page's counts, 100 page addresses, which the route
 * decodes again (worker/docs/cpu-routes.md, 2026-12-07).
 */
export function namesNoSite(url: string): boolean {
  const start = url.indexOf('?', 8);
  if (start === -1) return true;
  const hash = url.indexOf('#', 8);
  const query = url.slice(start, hash === -1 ? undefined : hash);
  return !SITE_PARAMETER.test(query) && !ESCAPED_NAME.test(query);
}

export function siteAccess(options: SiteAccessOptions = {}): MiddlewareHandler<AppEnv> {
  const answerCors = cors({
    // Reached only for origins already checked below.
    origin: (origin) => origin || null,
    allowMethods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowHeaders: ['Content-Type', 'Authorization'],
    maxAge: options.preflightMaxAgeSeconds ?? 600,
    // No credentials: the public API uses no cookies; edit rights travel in the Authorization header.
  });

  return async function siteAccess(c, next) {
    const origin = c.req.header('Origin');
    const named = namesNoSite(c.req.url) ? undefined : c.req.query('site');
    let site: Site;
    try {
      site = siteToServe(c.env, named || c.env.DEFAULT_SITE, Boolean(named));
    } catch (error) {
      // With no site there are no origins to check; let the embedding page read why, so its widget can say so.
      if (origin !== undefined) c.header('Access-Control-Allow-Origin', origin);
      c.header('Vary', 'Origin');
      throw error;
    }
    c.set('site', site);

    if (origin === undefined) {
      if (STATE_CHANGING.has(c.req.method)) {
        throw new ApiError('origin_not_allowed', 403, 'Changes must come from a browser page on an allowed origin.');
      }
    } else if (origin !== new URL(c.req.url).origin && !originAllowed(origin, site.origins)) {
      // Origins the owner added in the admin page; read (cached per isolate) only when SITES does not list it.
      const { extraOrigins } = await new SiteSettingsStore(c.env.SALA).get(site);
      if (!originAllowed(origin, extraOrigins)) {
        // Only the refusal is readable, so a misplaced embed can say why instead of "could not reach the server".
        c.header('Access-Control-Allow-Origin', origin);
        c.header('Vary', 'Origin');
        throw new ApiError(
          'origin_not_allowed',
          403,
          `The origin ${origin} may not use the site "${site.id}". To allow it, add it to the site's origins in ` +
            'SITES (wrangler.jsonc) or to "More allowed origins" in the /admin settings.',
        );
      }
    }
    return answerCors(c, async () => {
      // Every change is hashed or signed with SALA_SECRET: without it, say so (readably) instead of failing halfway.
      if (STATE_CHANGING.has(c.req.method)) requireSecret(c.env, 'SALA_SECRET');
      await next();
    });
  };
}
