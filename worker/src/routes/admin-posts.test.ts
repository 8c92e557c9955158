import type { AdminPostListResponse } from '@sala/protocol';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { fromV1 } from '../domain/popularity.js';
import { PopularityStore } from '../storage/popularity.js';
import { commentFields, freshPage, rebuildsDone } from '../testing.js';
import { TestSite } from '../testing-admin.js';

describe('GET /sites/:site/posts', () => {
  it('lists the posts the view counting knows, with views and comments per window, most viewed first', async () => {
    const site = await TestSite.create();
    const quiet = freshPage('quiet');
    const busy = freshPage('busy');
    const today = new Date().toISOString().slice(0, 10);
    const meta = (url: string, title: string) => ({ url, title, labels: [], updatedAt: new Date().toISOString() });
    await new PopularityStore(env.SALA).writeState(
      site.id,
      fromV1({
        version: 1,
        hours: {},
        days: { [today]: { [busy]: 40, [quiet]: 2 } },
        allTime: { [busy]: 40, [quiet]: 2 },
        finalizedThrough: `${today}T00:00:00.000Z`,
        meta: { [busy]: meta(busy, 'Busy post'), [quiet]: meta(quiet, 'Quiet post') },
      }),
    );
    await site.postOk(commentFields(quiet));
    await site.postOk(commentFields(quiet));
    await rebuildsDone();

    const sent = await site.admin<AdminPostListResponse>('GET', '/posts');
    expect(sent.status).toBe(200);
    expect(sent.body.posts.map((post) => [post.title, post.views.all, post.views['7d'], post.comments.all])).toEqual([
      ['Busy post', 40, 40, 0],
      ['Quiet post', 2, 2, 2],
    ]);
  });
});
