/**
 * /api/v1/admin/sites: the sites this deployment serves, and per site (`/sites/:site/…`) its settings and the
 * moderation sub-apps. The `:site` parameter is resolved once here, into `c.var.site`, like the public routes'.
 */
import type { AdminSite, AdminSiteListResponse, SettingsConflictBody, SiteSettingsResponse } from '@sala/protocol';
import { Hono, type MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';
import { invalidField } from '../errors.js';
import { readSiteSettings } from '../domain/site-settings.js';
import { SiteSettingsStore } from '../storage/site-settings.js';
import { configProblems, configuredSites, siteToServe, type Site } from '../storage/sites.js';
import { adminBans } from './admin-bans.js';
import { adminComments } from './admin-comments.js';
import { adminDeliveries } from './admin-deliveries.js';
import { adminExport } from './admin-export.js';
import { adminImport } from './admin-import.js';
import { adminJson } from './admin-input.js';
import { adminPosts } from './admin-posts.js';
import { adminThreads } from './admin-threads.js';

export const adminSites = new Hono<AppEnv>();

function toAdminSite(site: Site): AdminSite {
  return { id: site.id, name: site.name, origins: site.origins };
}

/** Resolves `:site` for every route below it; a site SITES names but cannot serve gets the reason, naming the setting. */
export const adminSite: MiddlewareHandler<AppEnv> = async function adminSite(c, next) {
  c.set('site', siteToServe(c.env, c.req.param('site') ?? '', true));
  await next();
};

adminSites.get('/', (c) =>
  c.json<AdminSiteListResponse>({ sites: configuredSites(c.env).map(toAdminSite), problems: configProblems(c.env) }),
);

adminSites.use('/:site/*', adminSite);

adminSites.get('/:site/settings', async (c) => {
  const site = c.get('site');
  const { settings, version } = await new SiteSettingsStore(c.env.SALA).readVersioned(site);
  return c.json<SiteSettingsResponse>({ site: toAdminSite(site), settings, version });
});

/**
 * Saves the whole document, only over the version it was edited from: a second tab (or a script) saving from an
 * older copy gets 409 `settings_conflict` with the settings as saved now, instead of undoing a change unseen.
 */
adminSites.put('/:site/settings', adminJson, async (c) => {
  const site = c.get('site');
  const settings = readSiteSettings(c.get('jsonBody'));
  const { version } = c.get('jsonBody') as { version?: unknown };
  if (typeof version !== 'string' || version === '') {
    throw invalidField('version', 'version is required: send the version the GET of these settings returned.');
  }
  const store = new SiteSettingsStore(c.env.SALA);
  const current = await store.readVersioned(site);
  if (version !== current.version) {
    return c.json<SettingsConflictBody>(
      {
        error: {
          code: 'settings_conflict',
          message: 'These settings were saved elsewhere since this copy was read; here they are as saved now.',
        },
        site: toAdminSite(site),
        ...current,
      },
      409,
    );
  }
  // An admin page that does not know notifyEmail yet must not erase it.
  if (settings.notifyEmail === undefined) settings.notifyEmail = current.settings.notifyEmail ?? null;
  // Nor a script the site's mail language; one changed here is a choice made now, which the mail weighs against the
  // admin page's (routes/notifications.ts): a save sending back the language it read keeps when that was chosen.
  const { ownerLanguage, ownerLanguageChangedAt } = current.settings;
  if (settings.ownerLanguage === undefined && ownerLanguage !== undefined) settings.ownerLanguage = ownerLanguage;
  if (settings.ownerLanguage && settings.ownerLanguage !== ownerLanguage)
    settings.ownerLanguageChangedAt = new Date().toISOString();
  else if (settings.ownerLanguage && ownerLanguageChangedAt !== undefined)
    settings.ownerLanguageChangedAt = ownerLanguageChangedAt;
  const saved = await store.write(site, settings);
  return c.json<SiteSettingsResponse>({ site: toAdminSite(site), settings, version: saved });
});

adminSites.route('/:site', adminComments);
adminSites.route('/:site', adminThreads);
adminSites.route('/:site', adminBans);
adminSites.route('/:site', adminDeliveries);
adminSites.route('/:site', adminPosts);
adminSites.route('/:site', adminExport);
adminSites.route('/:site', adminImport);
