/**
 * The site-wide part of importing a Sala export: its settings and bans. Settings replace the target's only when the
 * target's owner never saved any, or when the request says `replaceSettings`; Turnstile, Akismet and webhooks stay
 * the target's (the export has no secrets for them). Bans in force are added unless the same subject is banned
 * already, so importing twice writes nothing the second time.
 */
import type { Ban, ImportResponse } from '@sala/protocol';
import { banSubjectHash } from '../domain/identity-hashes.js';
import type { PreparedImport } from '../domain/import-input.js';
import { banId, BanStore } from './bans.js';
import { SiteSettingsStore } from './site-settings.js';
import type { Site } from './sites.js';

export type SiteImportOutcome = Pick<ImportResponse, 'settings' | 'bansAdded'>;

/** Applies (or with `dryRun`, only works out) the request's settings and bans; at most one write each. */
export async function importSiteParts(
  kv: KVNamespace,
  site: Site,
  secret: string,
  request: PreparedImport,
  dryRun: boolean,
): Promise<SiteImportOutcome> {
  const outcome: SiteImportOutcome = {};
  if (request.settings !== undefined) {
    const store = new SiteSettingsStore(kv);
    const { settings, saved } = await store.readSaved(site);
    const next = { ...settings, ...request.settings };
    if (JSON.stringify(next) === JSON.stringify(settings)) outcome.settings = 'unchanged';
    else if (saved && !request.replaceSettings) outcome.settings = 'kept';
    else {
      if (!dryRun) await store.write(site, next);
      outcome.settings = 'applied';
    }
  }
  if (request.bans.length > 0) {
    const store = new BanStore(kv);
    const banned = new Set((await store.list(site.id)).map((ban) => ban.id));
    let added = 0;
    for (const imported of request.bans) {
      const subject = { kind: imported.kind, hash: await banSubjectHash(secret, imported.kind, imported.value) };
      const id = banId(subject);
      if (banned.has(id)) continue;
      banned.add(id);
      const ban: Ban = {
        id,
        kind: imported.kind,
        label: imported.value,
        createdAt: imported.createdAt,
        expiresAt: imported.expiresAt,
      };
      if (imported.reason !== null) ban.reason = imported.reason;
      if (!dryRun) await store.put(site.id, subject, ban);
      added++;
    }
    outcome.bansAdded = added;
  }
  return outcome;
}
