/**
 * The site-wide part of importing a Sala export: its settings and bans. Settings replace the target's only when the
 * target's owner never saved any, or when the request says `replaceSettings`; Turnstile, Akismet and webhooks stay
 * the target's (the export has no secrets for them). Bans in force are added unless the same subject is banned
 * already, so importing twice writes nothing the second time.
 */
import type { Ban, ImportResponse, SiteSettings } from '@sala/protocol';
import { banSubjectHash } from '../domain/identity-hashes.js';
import type { PreparedImport } from '../domain/import-input.js';
import { ApiError } from '../errors.js';
import { banId, BanStore, type BanSubject } from './bans.js';
import type { BudgetSource } from './import-run.js';
import { SiteSettingsStore } from './site-settings.js';
import type { Site } from './sites.js';

export type SiteImportOutcome = Pick<ImportResponse, 'settings' | 'bansAdded'>;

/**
 * Applies (or with `dryRun`, only works out) the request's settings and bans; at most one write each, taken from
 * today's import budget like the threads' (so the threads after them get what is left). When they do not fit it,
 * nothing of them is written: 503 `daily_limit_reached`, the file sent again after 00:00 UTC.
 */
export async function importSiteParts(
  kv: KVNamespace,
  site: Site,
  secret: string,
  request: PreparedImport,
  { dryRun, budget, resumesAt }: { dryRun: boolean; budget: BudgetSource; resumesAt: string },
): Promise<SiteImportOutcome> {
  const outcome: SiteImportOutcome = {};
  const settingsStore = new SiteSettingsStore(kv);
  let settingsToWrite: SiteSettings | null = null;
  if (request.settings !== undefined) {
    const { settings, saved } = await settingsStore.readSaved(site);
    const next = { ...settings, ...request.settings };
    // An export's language was chosen on another Worker, at no time this one can weigh against its owner's page.
    if (next.ownerLanguage !== settings.ownerLanguage) delete next.ownerLanguageChangedAt;
    if (JSON.stringify(next) === JSON.stringify(settings)) outcome.settings = 'unchanged';
    else if (saved && !request.replaceSettings) outcome.settings = 'kept';
    else {
      settingsToWrite = next;
      outcome.settings = 'applied';
    }
  }
  const bansToAdd: { subject: BanSubject; ban: Ban }[] = [];
  if (request.bans.length > 0) {
    const banned = new Set((await new BanStore(kv).list(site.id)).map((ban) => ban.id));
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
      bansToAdd.push({ subject, ban });
    }
    outcome.bansAdded = bansToAdd.length;
  }

  const writes = (settingsToWrite !== null ? 1 : 0) + bansToAdd.length;
  if (dryRun || writes === 0) return outcome;
  const today = await budget();
  if (writes > today.writes) {
    throw new ApiError(
      'daily_limit_reached',
      503,
      `Importing is paused until 00:00 UTC: this file's settings and bans need ${writes} KV writes, more than today's import budget has left. Nothing was saved; send the file again then.`,
      undefined,
      undefined,
      resumesAt,
    );
  }
  if (settingsToWrite !== null) await settingsStore.write(site, settingsToWrite);
  const bans = new BanStore(kv);
  for (const { subject, ban } of bansToAdd) await bans.put(site.id, subject, ban);
  today.writes -= writes;
  return outcome;
}
