/** The popularity state and the ranking document: one KV value per site each, written only by the cron. */
import { emptyPopularityState, type PopularityState } from '../domain/popularity.js';
import type { RankingDocument } from '../domain/ranking.js';
import { popularityKey, rankingKey } from './keys.js';

export class PopularityStore {
  constructor(private readonly kv: KVNamespace) {}

  async readState(site: string): Promise<PopularityState> {
    return (await this.kv.get<PopularityState>(popularityKey(site), 'json')) ?? emptyPopularityState();
  }

  async writeState(site: string, state: PopularityState): Promise<void> {
    await this.kv.put(popularityKey(site), JSON.stringify(state));
  }

  /** The one read a popular-posts request makes; null before the cron's first run. */
  readRanking(site: string): Promise<RankingDocument | null> {
    return this.kv.get<RankingDocument>(rankingKey(site), 'json');
  }

  async writeRanking(site: string, document: RankingDocument): Promise<void> {
    await this.kv.put(rankingKey(site), JSON.stringify(document));
  }
}
