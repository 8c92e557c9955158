import type { AdminPostListResponse, ImportResponse, ModerateResponse } from '@sala/protocol';
import { createExecutionContext, env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { readPageId } from './domain/comment-input.js';
import { newComment } from './domain/stored-comment.js';
import worker, { createWorker } from './index.js';
import { saveComment } from './storage/changes.js';
import { pageRef, popularityMetaKey, rememberedPageHash, threadPartKey, type PageRef } from './storage/keys.js';
import { PopularityStore } from './storage/popularity.js';
import { rebuildThread } from './storage/thread-rebuild.js';
import { ImportedThreads } from './storage/imported-threads.js';
import { SNAPSHOT_SPLIT, ThreadStore } from './storage/threads.js';
import {
  BIG_THREAD_COMMENTS,
  BIG_WARM_UP_PAGE,
  IMPORT_WARM_UP_PAGE,
  IMPORT_WARM_UP_PART_COMMENTS,
  IMPORT_WARM_UP_PARTS,
  WARM_UP_PAGE,
  WARM_WORKER,
  warmUp,
} from './warm.js';

/**
 * The ids of the parts a new comment on `page` seals, saved and rebuilt after the warm-up (parts of a few comments,
 * so that it seals one).
 */
async function sealedAfter(kv: KVNamespace, page: PageRef, partIds: () => Promise<string[]>): Promise<string[]> {
  const before = new Set(await partIds());
  const sizes = { ...SNAPSHOT_SPLIT };
  Object.assign(SNAPSHOT_SPLIT, { partChars: 700, tailChars: 1_500 });
  try {
    const input = readPageId(BIG_WARM_UP_PAGE);
    const comment = newComment(
      { pageId: input, parentId: null, name: 'After', email: null, website: null, body: 'After the warm-up.' },
      { id: '7ZZZZZZZZZZZZZZZZZZZZZZZZZ', now: new Date(), avatar: '0'.repeat(16), tokenHash: '0'.repeat(64) },
    );
    await saveComment(kv, page, comment);
    await rebuildThread(kv, page, new Date(), new Set([comment.id]));
  } finally {
    Object.assign(SNAPSHOT_SPLIT, sizes);
  }
  const after = await partIds();
  // A part and its sources: the sources' id is the part's pair, new too.
  return after.filter((id) => !before.has(id)).slice(0, 1);
}
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
    /** Every change it sent, with its answer's status (and each decision's or imported thread's outcome). */
    const changes: { method: string; path: string; status: number; ok?: boolean[]; outcomes?: string[] }[] = [];
    /** Every request it sent: its path, how many pages it named and its answer's status. */
    const sent: { path: string; pages: number; status: number }[] = [];
    const split = { ...SNAPSHOT_SPLIT };
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
        sent.push({ path: url.pathname, pages: url.searchParams.getAll('page').length, status: response.status });
        if (request.method !== 'GET') {
          const text = await response.clone().text();
          const body = (text === '' ? {} : JSON.parse(text)) as Partial<ModerateResponse & ImportResponse>;
          const { method } = request;
          const outcomes = body.threads?.map((thread) => thread.outcome);
          const ok = body.results?.map((r) => r.ok);
          changes.push({ method, path: url.pathname, status: response.status, ok, ...(outcomes ? { outcomes } : {}) });
        }
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
    // Then the ranking alone, again, from the last fold's counts: in workerd the four left its last steps to compile
    // in a real run's time (worker/docs/cpu-cron.md, "The warm-up's last rankings").
    expect(atScale.map(({ minute }) => minute)).toEqual([
      ...Array.from({ length: WARM_CRON.runs }, () => [10, 20]).flat(),
      ...Array.from({ length: WARM_CRON.lastRankings }, () => 20),
    ]);
    expect(WARM_CRON.lastRankings).toBeGreaterThan(0);
    for (const { minute, hour, folded, ranking } of atScale) {
      // The hour that ended before the run's, which the counts as seeded had not folded.
      expect(folded).toBe(new Date(hour - 3_600_000).toISOString());
      if (minute === 10) continue;
      expect(ranking?.rankings['7d:views']).toHaveLength(RANKING_DEPTH);
      // By comments as deep as by views: the comment path (the count keys' days, the sort by comments) runs over as
      // many pages as a blog with hundreds of commented posts makes it (worker/docs/cpu-cron.md, "The warm-up's
      // comments at a blog's scale").
      expect(ranking?.rankings['30d:comments']).toHaveLength(RANKING_DEPTH);
    }
    expect(heldDuring.some((hash) => hash !== undefined)).toBe(true);
    expect(rememberedPageHash(WARM_UP_PAGE)).toBeUndefined();
    expect(rememberedPageHash(BIG_WARM_UP_PAGE)).toBeUndefined();
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

    // Then the big thread: each change answered, and its snapshot, split in parts, shows all of them.
    const imports = changes.filter(({ path }) => path.endsWith('/import'));
    expect(
      changes
        .filter((change) => !imports.includes(change))
        .slice(-4)
        .map(({ method, path, status, ok }) => [method, path.replace(/\/[0-9A-Z]{26}$/, '/:id'), status, ok]),
    ).toEqual([
      ['POST', '/api/v1/comments', 201, undefined],
      ['PATCH', '/api/v1/comments/:id', 200, undefined],
      ['POST', '/api/v1/admin/sites/warm-up/moderate', 200, [true]],
      ['POST', '/api/v1/admin/sites/warm-up/moderate', 200, [true]],
    ]);
    // Then a post imported in parts, each answered: the parts before the last staged, the last one publishing it.
    expect(imports.map(({ status, outcomes }) => [status, outcomes])).toEqual([
      ...Array.from({ length: IMPORT_WARM_UP_PARTS - 1 }, () => [200, ['staged']]),
      [200, ['imported']],
    ]);
    expect(rememberedPageHash(IMPORT_WARM_UP_PAGE)).toBeUndefined();
    // And forgotten: whether the site has imports is asked of KV again, not taken from what the isolate kept.
    const list = vi.spyOn(warmKv!, 'list');
    expect(await new ImportedThreads(warmKv!).hasAny('warm-up')).toBe(true);
    expect(list).toHaveBeenCalled();
    list.mockRestore();
    expect(SNAPSHOT_SPLIT).toEqual(split);
    // And after the cron at scale, counts as a blog's index asks them, answered: its first request on a new isolate
    // was slower after that cron than before it.
    expect(sent.at(-1)).toEqual({ path: '/api/v1/counts', pages: 100, status: 200 });
  });

  it('changes a big thread split in parts and imports a post in parts under workerd’s startup rules (the clock at 0, no random values, no Response with a body), then names parts at random again', async () => {
    // As bench/global-scope.ts: what workerd refuses while an isolate starts. A new comment's POST stops at its token.
    vi.useFakeTimers({ now: 0, toFake: ['Date'] });
    const refused = () => {
      throw new Error('Disallowed operation called within global scope');
    };
    const random = [vi.spyOn(crypto, 'getRandomValues'), vi.spyOn(crypto, 'randomUUID')];
    for (const spy of random) spy.mockImplementation(refused);
    // And a Response with a body: every JSON answer stops there, its request's work done.
    const RealResponse = Response;
    vi.stubGlobal(
      'Response',
      new Proxy(RealResponse, {
        construct: (target, args: ConstructorParameters<typeof Response>) =>
          args[0] == null ? (Reflect.construct(target, args) as object) : refused(),
      }),
    );
    const worker = createWorker(WARM_WORKER);
    let warmKv: KVNamespace | undefined;
    try {
      await warmUp(() => ({
        fetch(request, env, ctx) {
          warmKv = env.SALA;
          return worker.fetch(request, env, ctx);
        },
        scheduled: (controller, env) => worker.scheduled(controller, env),
      }));
    } finally {
      for (const spy of random) spy.mockRestore();
      vi.unstubAllGlobals();
      vi.useRealTimers();
    }
    const big = await pageRef('warm-up', readPageId(BIG_WARM_UP_PAGE));
    const partIds = async () =>
      (await warmKv!.list({ prefix: threadPartKey(big, '') })).keys.map(({ name }) => name.split(':').at(-1)!);
    expect((await partIds()).length).toBeGreaterThan(4);
    const { comments } = (await new ThreadStore(warmKv!).read(big))!;
    const number = (body: string) => Number(/^Comment (\d+):/.exec(body)?.[1] ?? NaN);
    const shown = comments.filter((comment) => !comment.deleted).map((comment) => number(comment.body));
    const held = BIG_THREAD_COMMENTS / 4;
    // Every change shows: the held comment approved, the one after it rejected, the reply (to the one between them)
    // and the new comment, edited.
    expect(shown).toContain(held);
    expect(shown).not.toContain(held + 2);
    expect(shown.filter((n) => n > BIG_THREAD_COMMENTS)).toEqual([BIG_THREAD_COMMENTS + 3]);
    expect(comments.find((comment) => number(comment.body) === BIG_THREAD_COMMENTS + 3)?.parentId).toBe(
      comments.find((comment) => number(comment.body) === held + 1)?.id,
    );
    expect(comments.map((comment) => comment.body)).toContain('Edited: the market by the pier.');
    expect(await sealedAfter(warmKv!, big, partIds)).toEqual([expect.stringMatching(/^(?!0{8})[0-9a-f]{16}$/)]);

    // The post imported in parts, published whole by its last: every comment but the one held for the owner (the
    // seventh), a reply's parent found in an earlier part, its snapshot split in parts as a big post's is.
    const imported = await pageRef('warm-up', readPageId(IMPORT_WARM_UP_PAGE));
    const post = (await new ThreadStore(warmKv!).read(imported))?.comments ?? [];
    const byNumber = new Map(post.map((comment) => [number(comment.body), comment]));
    const perPart = IMPORT_WARM_UP_PART_COMMENTS;
    expect(post).toHaveLength(IMPORT_WARM_UP_PARTS * perPart - 1);
    expect(byNumber.has(7)).toBe(false);
    expect(byNumber.get(2 * perPart + 1)?.parentId).toBe(byNumber.get(perPart)?.id);
    const importedParts = await warmKv!.list({ prefix: threadPartKey(imported, '') });
    expect(importedParts.keys.length).toBeGreaterThan(2);
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
