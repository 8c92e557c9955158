import type { PopularPostsResponse } from '@sala/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RankingDocument } from '../domain/ranking.js';
import { countingKv, send } from '../testing.js';
import { at, freshSite, isolate, runCron, serveBlog, storeBatch, type Isolate } from '../testing-views.js';
import { popularityKey, rankingKey } from './keys.js';
import { MAX_BATCH_READS } from './popularity-job.js';
import { isPopularityRun } from './site-lists.js';

const PAGE = 'https://blog.example.com/2030/01/tonle-sap';
const OTHER = 'https://blog.example.com/2030/01/kampot';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  serveBlog(); // the blog's own pages, which the cron reads for what the lists show
  vi.setSystemTime(at(10, 10));
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function views(target: Isolate, range: string): Promise<Record<string, number>> {
  const sent = await send<PopularPostsResponse>('GET', `/api/v1/popular?site=${target.site.id}&range=${range}`, {
    worker: target.worker,
    bindings: target.site.bindings,
  });
  return Object.fromEntries(sent.body.posts.map((post) => [post.pageId, post.views]));
}

function writes(calls: { method: string; args: unknown[] }[]): string[] {
  return calls.filter((call) => call.method === 'put' || call.method === 'delete').map((call) => String(call.args[0]));
}

describe('the popularity cron', () => {
  it('works on the :10 and :40 runs only', async () => {
    expect([0, 10, 19, 20, 30, 40, 50].map((minute) => isPopularityRun(at(10, minute)))).toEqual([
      false,
      true,
      true,
      false,
      false,
      true,
      false,
    ]);
    const target = isolate(freshSite());
    await storeBatch(target.site, at(10, 1), { [PAGE]: 3 });
    await runCron(target, at(10, 20));
    expect(await target.site.bindings.SALA.get(rankingKey(target.site.id))).toBeNull();
    await runCron(target, at(10, 40));
    expect(await views(target, '24h')).toEqual({ [PAGE]: 3 });
  });

  it('gives the same counts when run twice, and the second run writes nothing', async () => {
    const target = isolate(freshSite());
    await storeBatch(target.site, at(9, 20), { [PAGE]: 5, [OTHER]: 1 });
    await storeBatch(target.site, at(10, 2), { [PAGE]: 2 });
    await runCron(target, at(10, 10));
    const first = await views(target, '7d');
    expect(first).toEqual({ [PAGE]: 7, [OTHER]: 1 });

    const counted = countingKv(target.site.bindings.SALA);
    await runCron(target, at(10, 10), { ...target.site.bindings, SALA: counted.kv });
    expect(await views(target, '7d')).toEqual(first);
    expect(writes(counted.calls)).toEqual([]);
    // One list() for the batches of both hours (same day), one for comment activity, one for dirty markers.
    expect(counted.calls.filter((call) => call.method === 'list')).toHaveLength(3);
  });

  it('never counts a batch twice when two runs overlap, whatever order their writes land in', async () => {
    const target = isolate(freshSite());
    const other = isolate(target.site); // the trigger may fire in two isolates at once
    await storeBatch(target.site, at(9, 20), { [PAGE]: 5 });
    await storeBatch(target.site, at(10, 2), { [PAGE]: 2, [OTHER]: 4 });
    await Promise.all([runCron(target, at(10, 10)), runCron(other, at(10, 10))]);
    expect(await views(target, 'all')).toEqual({ [PAGE]: 7, [OTHER]: 4 });

    // A run that read the state before a newer one was written, and writes last, still counts each batch once.
    const stale = await target.site.bindings.SALA.get(popularityKey(target.site.id));
    await storeBatch(target.site, at(10, 30), { [OTHER]: 1 });
    vi.setSystemTime(at(11, 10));
    await runCron(target, at(11, 10));
    await target.site.bindings.SALA.put(popularityKey(target.site.id), stale!);
    await Promise.all([runCron(other, at(11, 40)), runCron(target, at(11, 40))]);
    expect(await views(target, 'all')).toEqual({ [PAGE]: 7, [OTHER]: 5 });
    expect(await views(target, '24h')).toEqual({ [PAGE]: 7, [OTHER]: 5 });
  });

  it('catches up on a backlog a few hours per run, within the invocation’s KV operations', async () => {
    const target = isolate(freshSite());
    // 30 hours of busy batches the cron never saw (an outage), 20 an hour.
    const start = at(10, 0) - 30 * 60 * 60_000;
    const stored: Promise<void>[] = [];
    for (let hour = 0; hour < 30; hour++) {
      for (let i = 0; i < 20; i++)
        stored.push(storeBatch(target.site, start + hour * 60 * 60_000 + i * 60_000, { [PAGE]: 1 }));
    }
    await Promise.all(stored);

    const counted = countingKv(target.site.bindings.SALA);
    await runCron(target, at(10, 10), { ...target.site.bindings, SALA: counted.kv });
    const bulkKeys = counted.calls
      .filter((call) => call.method === 'get' && Array.isArray(call.args[0]))
      .reduce((sum, call) => sum + (call.args[0] as string[]).length, 0);
    expect(bulkKeys).toBeLessThanOrEqual(MAX_BATCH_READS);

    for (let run = 1; run <= 3; run++) await runCron(target, at(10, 10) + run * 30 * 60_000);
    expect(await views(target, 'all')).toEqual({ [PAGE]: 600 });
    const document = await target.site.bindings.SALA.get<RankingDocument>(rankingKey(target.site.id), 'json');
    expect(document?.rankings['all:views']).toEqual([[0, 600, 0]]);
  });
});
