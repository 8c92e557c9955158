/**
 * The owner's language, Worker-wide (`v1:owner-language`): the admin page's, as it said at sign-in or when it changed
 * while signed in. The owner's held-comment mail and the one-click pages it links to speak it. Its own key, not a
 * field of each site's settings: writing it never changes a settings document's version, so a save the owner is
 * making in another tab is not refused as stale, and one owner signs in for every site of the Worker anyway. The
 * time it was last changed rides in the key's metadata (the same write, the same read): a site's `ownerLanguage` set
 * through the API since then comes before it for that site (routes/notifications.ts).
 */
import { OWNER_LANGUAGE_KEY } from './keys.js';

export class OwnerLanguageStore {
  constructor(private readonly kv: KVNamespace) {}

  /** The language last told (a first subtag, `ja`), or null when no admin page has said one yet. */
  get(): Promise<string | null> {
    return this.kv.get(OWNER_LANGUAGE_KEY);
  }

  /**
   * The language last told and when it changed (ms; 0 for one kept before the time was), or null when none was told.
   * One read, as `get`.
   */
  async told(): Promise<{ language: string; changedAt: number } | null> {
    const { value, metadata } = await this.kv.getWithMetadata<{ changedAt?: unknown }>(OWNER_LANGUAGE_KEY);
    if (value === null) return null;
    const changedAt = metadata?.changedAt;
    return { language: value, changedAt: typeof changedAt === 'number' ? changedAt : 0 };
  }

  /**
   * Keeps `language` (a first subtag, as `languageTag` reads it) unless it is the one kept already: a sign-in in the
   * same language, the usual case, costs a read and no write (the free plan has 1,000 writes a day, and a key takes
   * one write a second). Returns whether it wrote.
   */
  async remember(language: string): Promise<boolean> {
    if ((await this.get()) === language) return false;
    await this.kv.put(OWNER_LANGUAGE_KEY, language, { metadata: { changedAt: Date.now() } });
    return true;
  }
}
