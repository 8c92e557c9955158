import { createExecutionContext, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker, { createWorker } from './index.js';
import { rememberedPageHash } from './storage/keys.js';
import { WARM_UP_PAGE, WARM_WORKER, warmUp } from './warm.js';

describe('the startup warm-up', () => {
  it('leaves nothing of its site in what the first request finds: the page hash it computed is forgotten', async () => {
    // Watching what the isolate held while it ran: the hash was there, then forgotten with the rest.
    const worker = createWorker(WARM_WORKER);
    const heldDuring: (string | undefined)[] = [];
    await warmUp(() => ({
      async fetch(request, env, ctx) {
        const response = await worker.fetch(request, env, ctx);
        heldDuring.push(rememberedPageHash(WARM_UP_PAGE));
        return response;
      },
      scheduled: (controller, env) => worker.scheduled(controller, env),
    }));
    expect(heldDuring.some((hash) => hash !== undefined)).toBe(true);
    expect(rememberedPageHash(WARM_UP_PAGE)).toBeUndefined();
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
