import type { AdminPostListResponse } from '@sala/protocol';
import { createExecutionContext, env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import worker, { createWorker } from './index.js';
import { popularityMetaKey, rememberedPageHash } from './storage/keys.js';
import { PopularityStore } from './storage/popularity.js';
import { WARM_UP_PAGE, WARM_WORKER, warmUp } from './warm.js';
import { WARM_CRON } from './warm-cron.js';
import { RANKING_DEPTH, type RankingDocument } from './domain/ranking.js';

describe('the startup warm-up', () => {
  it('runs the owner’s Posts tab in both orders and the cron at a blog’s scale, and leaves nothing of its site: no page hash, no page hints', async () => {
    // Watching what the isolate held while it ran: the hash and the hints were there, then forgotten with the rest.
    const worker = createWorker(WARM_WORKER);
    const heldDuring: (string | undefined)[] = [];
    const tabs: { order: string | null; status: number; body: AdminPostListResponse }[] = [];
    let warmKv: KVNamespace | undefined;
    /** Whether the hints of the warm-up site are read from KV, rather than taken from what the isolate kept. */
    const readsHints = async () => {
      const get = vi.spyOn(warmKv!, 'get');
      await new PopularityStore(warmKv!).readForWindows('warm-up', Date.now());
      const read = get.mock.calls.some(([key]) => String(key) === popularityMetaKey('warm-up'));
      get.mockRestore();
      return read;
    };
    const hintsKeptDuring: boolean[] = [];
    const cronRuns: {
      minute: number;
      hour: number;
      slots: number;
      folded: string | null;
      ranking: RankingDocument | null;
    }[] = [];
    await warmUp(() => ({
      async fetch(request, env, ctx) {
        const response = await worker.fetch(request, env, ctx);
        heldDuring.push(rememberedPageHash(WARM_UP_PAGE));
        const url = new URL(request.url);
        if (!url.pathname.endsWith('/admin/sites/warm-up/posts')) return response;
        warmKv = env.SALA;
        const body = (await response.clone().json()) as AdminPostListResponse;
        tabs.push({ order: url.searchParams.get('by'), status: response.status, body });
        hintsKeptDuring.push(!(await readsHints()));
        return response;
      },
      async scheduled(controller, env) {
        await worker.scheduled(controller, env);
        // What each cron run left in its KV: the counts' slots and last hour folded, and the lists written.
        const { state } = await new PopularityStore(env.SALA).readCountsAndUsage('warm-up');
        const ranking = await new PopularityStore(env.SALA).readRanking('warm-up');
        const minute = new Date(controller.scheduledTime).getUTCMinutes();
        const hour = controller.scheduledTime - minute * 60_000;
        cronRuns.push({ minute, hour, slots: state.pageIds.length, folded: state.finalizedThrough, ranking });
      },
    }));
    // The cron at a real blog's scale, where a new cron isolate's first run met loops V8 had barely run: each fold
    // folds an hour into the counts of every page, and each ranking run after it lists as many pages as a list keeps,
    // by views and by comments, from those counts.
    const atScale = cronRuns.filter(({ slots }) => slots === WARM_CRON.pages);
    expect(atScale.map(({ minute }) => minute)).toEqual(Array.from({ length: WARM_CRON.runs }, () => [10, 20]).flat());
    for (const { minute, hour, folded, ranking } of atScale) {
      // The hour that ended before the run's, which the counts as seeded had not folded.
      expect(folded).toBe(new Date(hour - 3_600_000).toISOString());
      if (minute === 10) continue;
      expect(ranking?.rankings['7d:views']).toHaveLength(RANKING_DEPTH);
      expect(ranking?.rankings['30d:comments'].length).toBeGreaterThan(0);
    }
    expect(heldDuring.some((hash) => hash !== undefined)).toBe(true);
    expect(rememberedPageHash(WARM_UP_PAGE)).toBeUndefined();
    // Signed in, it was answered: the page it commented on, with the views the cron counted.
    expect(tabs.map(({ order, status }) => [order, status])).toEqual([
      ['views', 200],
      ['comments', 200],
    ]);
    const page = tabs[1]!.body.posts.find((post) => post.pageId === WARM_UP_PAGE);
    expect(page?.title).toBe('Warm-up');
    expect(page?.views.all).toBeGreaterThan(0);
    expect(page?.comments.all).toBeGreaterThan(0);
    expect(hintsKeptDuring).toEqual([true, true]);
    expect(await readsHints()).toBe(true);
  });

  it('never fails the isolate: a warm-up that throws, at once or later, resolves all the same', async () => {
    await expect(
      warmUp(() => {
        throw new Error('no Worker to warm');
      }),
    ).resolves.toBeUndefined();
    await expect(
      warmUp(() => ({
        fetch() {
          throw new Error('a route that throws');
        },
        scheduled: () => Promise.reject(new Error('a cron that fails')),
      })),
    ).resolves.toBeUndefined();
  });

  it('keeps a request out of a warm-up still running: the isolate answers once its reset is done', async () => {
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    const warming = warmUp(() => ({
      fetch: async () => {
        await held;
        return new Response(null);
      },
      scheduled: async () => {},
    }));
    let answered = false;
    const answer = worker
      .fetch(new Request('https://sala.example/api/v1/popular'), env, createExecutionContext())
      .then((response) => {
        answered = true;
        return response;
      });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    finish();
    await warming;
    expect((await answer).status).not.toBe(500);
    expect(answered).toBe(true);
  });
});
