/**
 * Site settings in KV (`v1:site:{id}`), written only by the admin API's PUT, read by the comment routes through
 * a per-isolate cache: at most one KV read per site per minute per isolate, so settings cost the thread GETs
 * nothing and reach every isolate within about a minute of being saved.
 */
import type { SiteSettings } from '@sala/protocol';
import { withDefaults } from '../domain/site-settings.js';
import { siteSettingsKey } from './keys.js';
import type { Site } from './sites.js';

const CACHE_MS = 60_000;

const cache = new Map<string, { settings: SiteSettings; loadedAt: number }>();

export class SiteSettingsStore {
  constructor(private readonly kv: KVNamespace) {}

  /** The site's settings, at most a minute old in this isolate. */
  async get(site: Site): Promise<SiteSettings> {
    const cached = cache.get(site.id);
    if (cached && Date.now() - cached.loadedAt < CACHE_MS) return cached.settings;
    return this.read(site);
  }

  /** The settings as stored now, skipping the cache (the admin page shows what it will overwrite). */
  async read(site: Site): Promise<SiteSettings> {
    const stored = await this.kv.get<Partial<SiteSettings>>(siteSettingsKey(site.id), 'json');
    const settings = withDefaults(stored, site.name);
    cache.set(site.id, { settings, loadedAt: Date.now() });
    return settings;
  }

  /** Replaces the whole document (the admin page sends all of it, so there is no read-modify-write here). */
  async write(site: Site, settings: SiteSettings): Promise<void> {
    await this.kv.put(siteSettingsKey(site.id), JSON.stringify(settings));
    cache.set(site.id, { settings, loadedAt: Date.now() });
  }
}
