/**
 * The sites this Worker serves and the origins allowed to call it for each. Today they come from the SITES var
 * (site id -> { name?, origins }, written as an object or as a JSON string); this module is the one place that
 * knows, so they can move to KV later. It reads the configuration once per isolate and logs each mistake once.
 */
import type { ConfigProblem } from '@sala/protocol';
import { readSiteConfig, type ConfigSource, type Site, type SiteConfig } from '../domain/site-config.js';
import { ApiError } from '../errors.js';
import { isolateState, onIsolateReset } from '../domain/isolate-state.js';

export type { Site } from '../domain/site-config.js';

let cached: { key: string; config: SiteConfig } | undefined;
onIsolateReset(() => (cached = undefined));

/** Messages already logged by this isolate: each mistake is logged once, not on every request. */
const logged = isolateState(new Set<string>());

/** Changes whenever anything the configuration is read from does; secrets count only as set or not. */
function cacheKey(env: ConfigSource): string {
  const sites = typeof env.SITES === 'string' ? env.SITES : JSON.stringify(env.SITES ?? null);
  return [sites, env.DEFAULT_SITE ?? '', Boolean(env.SALA_SECRET), Boolean(env.ADMIN_PASSWORD)].join('\u0000');
}

/** The configuration in `env`, read once per isolate (and again when it changes); the first read logs its mistakes. */
export function siteConfig(env: ConfigSource): SiteConfig {
  const key = cacheKey(env);
  if (cached?.key === key) return cached.config;
  const config = readSiteConfig(env);
  cached = { key, config };
  for (const { problem, message } of config.problems) {
    if (logged.has(message)) continue;
    logged.add(message);
    if (problem.severity === 'error') console.error(`[sala] config: ${message}`);
    else console.warn(`[sala] config: ${message}`);
  }
  return config;
}

/** The site named `siteId`, or null if this Worker does not serve it. */
export function findSite(env: ConfigSource, siteId: string): Site | null {
  return siteConfig(env).sites.get(siteId) ?? null;
}

/** Every site this Worker serves, in the order SITES lists them. */
export function configuredSites(env: ConfigSource): Site[] {
  return [...siteConfig(env).sites.values()];
}

/** Every mistake in the configuration, for the owner's admin page. */
export function configProblems(env: ConfigSource): ConfigProblem[] {
  return siteConfig(env).problems.map(({ problem }) => problem);
}

/** A configuration mistake that keeps a request from being served: the caller can do nothing, the owner can. */
function configError(message: string): ApiError {
  return new ApiError('site_config_invalid', 503, message);
}

/**
 * The site a request names (`siteId`, or DEFAULT_SITE when `named` is false), or the error that says why it
 * cannot be served: a mistake in the configuration (503, naming the setting) or a site that does not exist.
 */
export function siteToServe(env: ConfigSource, siteId: string | undefined, named: boolean): Site {
  const config = siteConfig(env);
  const site = siteId ? config.sites.get(siteId) : undefined;
  if (site) return site;
  if (config.unusable) throw configError(config.unusable.message);
  if (!siteId) throw new ApiError('site_required', 400, 'Name the site with ?site=.', 'site');
  const broken = config.brokenSites.get(siteId);
  if (broken) throw configError(broken.message);
  if (!named && config.defaultSite) throw configError(config.defaultSite.message);
  throw new ApiError('unknown_site', 404, `This server does not serve the site "${siteId}".`, 'site');
}

/** Refuses with a message naming the secret when `name` is not set, instead of failing deep inside a request. */
export function requireSecret(env: ConfigSource, name: 'SALA_SECRET' | 'ADMIN_PASSWORD'): void {
  const missing = siteConfig(env).missingSecrets.get(name);
  if (missing) throw configError(missing.message);
}
