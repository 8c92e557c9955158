/**
 * Site settings in KV (`v1:site:{id}`), written only by the admin API's PUT, read by the comment routes through
 * a per-isolate cache: at most one KV read per site per minute per isolate, so settings cost the thread GETs
 * nothing and reach every isolate within about a minute of being saved.
 */
import type { SiteSettings } from '@sala/protocol';
import { sha256Hex } from '../domain/bytes.js';
import { withDefaults } from '../domain/site-settings.js';
import { siteSettingsKey } from './keys.js';
import type { Site } from './sites.js';
import { isolateState } from '../domain/isolate-state.js';

const CACHE_MS = 60_000;

const cache = isolateState(new Map<string, { settings: SiteSettings; loadedAt: number }>());

/** The saved settings and the version naming them: a hash of the stored text, so it changes with every change. */
export interface VersionedSettings {
  settings: SiteSettings;
  version: string;
}

async function versionOf(stored: string | null): Promise<string> {
  return (await sha256Hex(stored ?? '')).slice(0, 16);
}

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
    return (await this.readVersioned(site)).settings;
  }

  /** As `read`, with the version the admin page must send back to save over them. */
  async readVersioned(site: Site): Promise<VersionedSettings> {
    const stored = await this.kv.get(siteSettingsKey(site.id), 'text');
    const settings = withDefaults(stored === null ? null : (JSON.parse(stored) as Partial<SiteSettings>), site.name);
    cache.set(site.id, { settings, loadedAt: Date.now() });
    return { settings, version: await versionOf(stored) };
  }

  /** The settings as stored now, and whether the owner ever saved any (false: the defaults, untouched). */
  async readSaved(site: Site): Promise<{ settings: SiteSettings; saved: boolean }> {
    const stored = await this.kv.get(siteSettingsKey(site.id), 'text');
    const settings = withDefaults(stored === null ? null : (JSON.parse(stored) as Partial<SiteSettings>), site.name);
    return { settings, saved: stored !== null };
  }

  /**
   * Replaces the whole document (the admin page sends all of it) and returns its new version. The caller checks
   * the version it was edited from first: KV cannot, so two saves in the same instant still both land.
   */
  async write(site: Site, settings: SiteSettings): Promise<string> {
    const stored = JSON.stringify(settings);
    await this.kv.put(siteSettingsKey(site.id), stored);
    cache.set(site.id, { settings, loadedAt: Date.now() });
    return versionOf(stored);
  }
}
