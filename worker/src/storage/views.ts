/**
 * View batches: one KV key per flush of one isolate's buffer (KV rule 1), read back by the popularity cron.
 * Keys end with the batch id, which starts with the flush time, so one list() per UTC day finds an hour's batches.
 */
import { POPULARITY_SETTINGS } from '../domain/popularity.js';
import { isUsageReport, type UsageReport } from '../domain/usage.js';
import { BATCH_ID_HOUR_LENGTH, batchIdPrefix, type ViewBatch } from '../domain/view-buffer.js';
import { viewBatchKey, viewBatchPrefix } from './keys.js';

/** Most keys one bulk get takes. */
const BULK_GET_LIMIT = 100;

/** The longest common start of some strings ('' for none). */
function commonPrefix(values: readonly string[]): string {
  if (values.length === 0) return '';
  let prefix = values[0]!;
  for (const value of values) while (!value.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

export class ViewBatchStore {
  constructor(private readonly kv: KVNamespace) {}

  /**
   * One write, under the batch's own key. Written again with the same id after a failure, it replaces itself,
   * so a put that did land before the error cannot count twice. `usage`, the isolate's unreported counts of
   * the free plan's limits, rides in the key's metadata, where one list() reads a day's reports.
   */
  async put(site: string, batch: ViewBatch, usage: UsageReport | null = null): Promise<void> {
    await this.kv.put(viewBatchKey(site, batch.id), JSON.stringify(batch), {
      expirationTtl: POPULARITY_SETTINGS.batchTtlSeconds,
      ...(usage !== null ? { metadata: { usage } } : {}),
    });
  }

  /** The usage reports of `day` (`YYYY-MM-DD`) carried by `site`'s batches: one list() per 1,000 batches. */
  async usageReports(site: string, day: string): Promise<UsageReport[]> {
    const reports: UsageReport[] = [];
    let cursor: string | undefined;
    do {
      const listed = await this.kv.list<{ usage?: unknown }>({
        prefix: viewBatchPrefix(site, day.replace(/-/g, '')),
        ...(cursor ? { cursor } : {}),
      });
      for (const { metadata } of listed.keys) if (isUsageReport(metadata?.usage)) reports.push(metadata.usage);
      cursor = listed.list_complete ? undefined : listed.cursor;
    } while (cursor);
    return reports;
  }

  /**
   * The keys of every batch flushed in `hours` (`hourStart` values, oldest first) that list() shows, by hour. One
   * list() per UTC day the hours touch (more only past 1,000 batches a day), with the common prefix of that day's
   * hours. After a backlog, listing stops at the end of a day once `enough` keys over at least two hours were found
   * (a run reads no more than that): the hours not listed are not in the map.
   */
  async keysByHour(site: string, hours: readonly string[], enough = Infinity): Promise<Map<string, string[]>> {
    const hoursByDay = new Map<string, string[]>();
    for (const hour of hours) hoursByDay.set(hour.slice(0, 10), [...(hoursByDay.get(hour.slice(0, 10)) ?? []), hour]);

    const keys = new Map<string, string[]>();
    let found = 0;
    const base = viewBatchPrefix(site);
    for (const dayHours of hoursByDay.values()) {
      if (found >= enough && keys.size >= 2) break;
      // An id starts with its hour's prefix (`20250305T10`), as long as every hour's.
      const hourOf = new Map(dayHours.map((hour) => [batchIdPrefix(hour), hour]));
      for (const hour of dayHours) keys.set(hour, []);
      const listPrefix = viewBatchPrefix(site, commonPrefix([...hourOf.keys()]));
      let cursor: string | undefined;
      do {
        const listed = await this.kv.list({ prefix: listPrefix, ...(cursor ? { cursor } : {}) });
        for (const { name } of listed.keys) {
          const idPrefix = name.slice(base.length, base.length + BATCH_ID_HOUR_LENGTH);
          const hour = hourOf.get(idPrefix);
          if (hour === undefined) continue;
          keys.get(hour)!.push(name);
          found += 1;
        }
        cursor = listed.list_complete ? undefined : listed.cursor;
      } while (cursor);
    }
    return keys;
  }

  /** The batches under `keys`, 100 per bulk get; a key that expired meanwhile is skipped. */
  async read(keys: readonly string[]): Promise<ViewBatch[]> {
    const batches: ViewBatch[] = [];
    for (let start = 0; start < keys.length; start += BULK_GET_LIMIT) {
      const values = await this.kv.get<ViewBatch>(keys.slice(start, start + BULK_GET_LIMIT), 'json');
      for (const batch of values.values()) if (batch !== null) batches.push(batch);
    }
    return batches;
  }
}
