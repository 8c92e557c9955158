/**
 * /api/v1/admin/sites: the sites this deployment serves, and per site (`/sites/:site/…`) its settings and the
 * moderation sub-apps. The `:site` parameter is resolved once here, into `c.var.site`, like the public routes'.
 */
import type { AdminSite, AdminSiteListResponse, SiteSettingsResponse } from '@sala/protocol';
import { Hono, type MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';
import { readSiteSettings } from '../domain/site-settings.js';
import { ApiError } from '../errors.js';
import { SiteSettingsStore } from '../storage/site-settings.js';
import { findSite, type Site } from '../storage/sites.js';
import { adminBans } from './admin-bans.js';
import { adminComments } from './admin-comments.js';
import { adminDeliveries } from './admin-deliveries.js';
import { adminJson } from './admin-input.js';
import { adminPosts } from './admin-posts.js';
import { adminThreads } from './admin-threads.js';

export const adminSites = new Hono<AppEnv>();

function toAdminSite(site: Site): AdminSite {
  return { id: site.id, name: site.name, origins: site.origins };
}

/** Every site in the SITES var that findSite accepts. */
function allSites(env: Env): Site[] {
  let ids: string[] = [];
  try {
    const parsed: unknown = JSON.parse(env.SITES ?? '{}');
    if (typeof parsed === 'object' && parsed !== null) ids = Object.keys(parsed);
  } catch {
    // findSite reports a broken SITES; here it simply lists nothing.
  }
  return ids.map((id) => findSite(env, id)).filter((site): site is Site => site !== null);
}

/** Resolves `:site` for every route below it. */
export const adminSite: MiddlewareHandler<AppEnv> = async function adminSite(c, next) {
  const siteId = c.req.param('site') ?? '';
  const site = findSite(c.env, siteId);
  if (site === null)
    throw new ApiError('unknown_site', 404, `This server does not serve the site "${siteId}".`, 'site');
  c.set('site', site);
  await next();
};

adminSites.get('/', (c) => c.json<AdminSiteListResponse>({ sites: allSites(c.env).map(toAdminSite) }));

adminSites.use('/:site/*', adminSite);

adminSites.get('/:site/settings', async (c) => {
  const site = c.get('site');
  const settings = await new SiteSettingsStore(c.env.SALA).read(site);
  return c.json<SiteSettingsResponse>({ site: toAdminSite(site), settings });
});

adminSites.put('/:site/settings', adminJson, async (c) => {
  const site = c.get('site');
  const settings = readSiteSettings(c.get('jsonBody'));
  const store = new SiteSettingsStore(c.env.SALA);
  // An admin page that does not know notifyEmail yet must not erase it.
  if (settings.notifyEmail === undefined) settings.notifyEmail = (await store.read(site)).notifyEmail ?? null;
  await store.write(site, settings);
  return c.json<SiteSettingsResponse>({ site: toAdminSite(site), settings });
});

adminSites.route('/:site', adminComments);
adminSites.route('/:site', adminThreads);
adminSites.route('/:site', adminBans);
adminSites.route('/:site', adminDeliveries);
adminSites.route('/:site', adminPosts);
