/** The popularity state and the ranking document: one KV value per site each, written only by the cron. */
import { emptyPopularityState, type PopularityState } from '../domain/popularity.js';
import type { RankingDocument } from '../domain/ranking.js';
import { addReports, isUsageReport, type UsageReport } from '../domain/usage.js';
import { popularityKey, rankingKey } from './keys.js';

export class PopularityStore {
  constructor(private readonly kv: KVNamespace) {}

  async readState(site: string): Promise<PopularityState> {
    return (await this.readStateAndUsage(site)).state;
  }

  /**
   * The state, and the cron's usage report it carries: the cron's own KV operations today, added up run by run
   * (the cron writes no view batch to report them with). The same one read as `readState`.
   */
  async readStateAndUsage(site: string): Promise<{ state: PopularityState; cronUsage: UsageReport | null }> {
    const { value, metadata } = await this.kv.getWithMetadata<PopularityState, { usage?: unknown }>(
      popularityKey(site),
      'json',
    );
    return {
      state: value ?? emptyPopularityState(),
      cronUsage: isUsageReport(metadata?.usage) ? metadata.usage : null,
    };
  }

  /** Writes the state; `cronUsage`, the cron's running total for today, rides in the key's metadata. */
  async writeState(site: string, state: PopularityState, cronUsage: UsageReport | null = null): Promise<void> {
    await this.kv.put(popularityKey(site), JSON.stringify(state), cronUsage ? { metadata: { usage: cronUsage } } : {});
  }

  /** The cron's usage report of `day` on `site`'s state, from list() metadata (the state itself is not read). */
  async cronUsage(site: string, day: string): Promise<UsageReport | null> {
    const key = popularityKey(site);
    const listed = await this.kv.list<{ usage?: unknown }>({ prefix: key, limit: 10 });
    const usage = listed.keys.find((listedKey) => listedKey.name === key)?.metadata?.usage;
    return isUsageReport(usage) && usage.day === day ? usage : null;
  }

  /** `previous` (the report the state carried) with `delta` added when both are of `delta`'s day. */
  static runningTotal(previous: UsageReport | null, delta: UsageReport): UsageReport {
    return addReports(delta.day, previous ? [previous, delta] : [delta]);
  }

  /** The one read a popular-posts request makes; null before the cron's first run. */
  readRanking(site: string): Promise<RankingDocument | null> {
    return this.kv.get<RankingDocument>(rankingKey(site), 'json');
  }

  async writeRanking(site: string, document: RankingDocument): Promise<void> {
    await this.kv.put(rankingKey(site), JSON.stringify(document));
  }
}
