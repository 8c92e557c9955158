import type { PopularPostsResponse } from '@sala/protocol';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { send } from '../testing.js';
import { at, freshSite, isolate, runCron, sendView, serveBlog, type Isolate } from '../testing-views.js';

const PAGE = 'https://blog.example.com/2030/01/dev';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at(10, 12));
  serveBlog(); // the blog's own pages, which the cron reads for what the list shows
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function listed(target: Isolate): Promise<string[]> {
  const sent = await send<PopularPostsResponse>('GET', `/api/v1/popular?site=${target.site.id}&range=24h`, {
    worker: target.worker,
    bindings: target.site.bindings,
  });
  return sent.body.posts.map((post) => post.pageId);
}

it('writes the buffered views before a cron run only under npm run dev (SALA_DEV_FLUSH_VIEWS)', async () => {
  const site = freshSite();
  const target = isolate(site);
  expect((await sendView(target, PAGE)).status).toBe(204);

  // In production the view waits in the isolate until the flush age: this run does not see it.
  await runCron(target, at(10, 22)); // a ranking run
  expect(await listed(target)).toEqual([]);

  await runCron(target, at(10, 22), { ...site.bindings, SALA_DEV_FLUSH_VIEWS: 'true' });
  expect(await listed(target)).toEqual([PAGE]);
});
