import type { ApiErrorBody, CreateCommentResponse, RecentCommentsResponse } from '@sala/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recentCommentsKey } from '../storage/keys.js';
import { commentFields, countingKv, rebuildsDone, send } from '../testing.js';
import { at, freshSite, isolate, runCron, serveBlog, storeBatch, type Isolate } from '../testing-views.js';

const ANGKOR = 'https://blog.example.com/2030/01/angkor';
const KAMPOT = 'https://blog.example.com/2030/01/kampot';
const UNSEEN = 'https://blog.example.com/2030/01/never-viewed';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  serveBlog({ [ANGKOR]: { title: 'Angkor at dawn' } }); // the blog's own pages, which the cron reads for what the lists show
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function recent(target: Isolate, query = '', bindings: Env = target.site.bindings) {
  return send<RecentCommentsResponse & ApiErrorBody>('GET', `/api/v1/recent-comments?site=${target.site.id}${query}`, {
    worker: target.worker,
    bindings,
  });
}

async function comment(target: Isolate, page: string, body: string, minute: number): Promise<CreateCommentResponse> {
  vi.setSystemTime(at(10, minute));
  const sent = await send<CreateCommentResponse>('POST', `/api/v1/comments?site=${target.site.id}`, {
    json: commentFields(page, { body, name: `Reader ${minute}` }),
    bindings: target.site.bindings,
  });
  expect(sent.status).toBe(201);
  return sent.body;
}

describe('GET /api/v1/recent-comments', () => {
  it('lists the site’s latest comments after the next cron run, newest first, as plain text with the post title', async () => {
    const target = isolate(freshSite());
    await storeBatch(target.site, at(9, 0), { [ANGKOR]: 1, [KAMPOT]: 1 }, { [ANGKOR]: { title: 'Angkor at dawn' } });
    await runCron(target, at(9, 20)); // the ranking run keeps the pages' own titles

    await comment(target, ANGKOR, 'First! **Beautiful** [photos](https://example.com/p)', 1);
    await comment(target, KAMPOT, '> quoting\n\nPepper farms', 2);
    await comment(target, UNSEEN, 'Where is this?', 3);
    await rebuildsDone();
    expect((await recent(target)).body).toEqual({ comments: [] }); // not rebuilt yet: up to one cron period behind

    await runCron(target, at(10, 30)); // the next recent-comments run (domain/cron-schedule.ts)
    const sent = await recent(target);
    expect(sent.body.comments.map((c) => [c.pageId, c.page?.title ?? null, c.excerpt])).toEqual([
      [UNSEEN, null, 'Where is this?'],
      [KAMPOT, 'Title of kampot', 'quoting Pepper farms'],
      [ANGKOR, 'Angkor at dawn', 'First! Beautiful photos'],
    ]);
    expect(sent.body.comments[2]).toMatchObject({
      author: { name: 'Reader 1' },
      createdAt: new Date(at(10, 1)).toISOString(),
    });
    expect(sent.body.comments[2]!.page).toEqual({ url: ANGKOR, title: 'Angkor at dawn' });
    expect(sent.text).not.toContain('@example.com'); // no commenter email
    expect((await recent(target, '&limit=2')).body.comments).toHaveLength(2);
  });

  it('finds the newest comments on pages past the first few read, when those hold too few of them', async () => {
    const target = isolate(freshSite());
    // Page p gets comments at minutes p, p + 6, p + 12, p + 18: the pages with the newest last comments (5 to 2)
    // hold only 4 comments newer than page 1's last, so the newest 20 (minutes 4 to 23) need pages 1 and 0 too.
    const pages = Array.from({ length: 6 }, (_, p) => `https://blog.example.com/2030/01/page-${p}`);
    for (let minute = 0; minute < 24; minute++) await comment(target, pages[minute % 6]!, `At ${minute}`, minute);
    await rebuildsDone();
    await runCron(target, at(10, 30));
    const sent = await recent(target, '&limit=20');
    expect(sent.body.comments.map((c) => c.excerpt)).toEqual(Array.from({ length: 20 }, (_, i) => `At ${23 - i}`));
  });

  it('links a post nobody viewed yet to the address its comments came from: Blogger’s .html, not the id', async () => {
    const target = isolate(freshSite());
    const post = 'https://blog.example.com/2030/01/walk.html';
    for (const [minute, pageUrl] of [
      [1, post],
      [2, `${post}?m=1#comment-form`],
      [3, 'https://evil.example/2030/01/walk.html'], // another host: ignored, the comment is kept
    ] as const) {
      vi.setSystemTime(at(10, minute));
      const sent = await send('POST', `/api/v1/comments?site=${target.site.id}`, {
        json: { ...commentFields(`${post}?m=1`, { name: `Reader ${minute}` }), pageUrl },
        bindings: target.site.bindings,
      });
      expect(sent.status).toBe(201);
    }
    await rebuildsDone();
    await runCron(target, at(10, 30));
    const comments = (await recent(target)).body.comments;
    expect(comments.map((c) => [c.pageId, c.page, c.pageUrl])).toEqual([
      ['https://blog.example.com/2030/01/walk', null, post],
      ['https://blog.example.com/2030/01/walk', null, post],
      ['https://blog.example.com/2030/01/walk', null, post],
    ]);
  });

  it('drops a deleted comment on the run after the deletion', async () => {
    const target = isolate(freshSite());
    const { comment: gone, editToken } = await comment(target, ANGKOR, 'Oops, wrong post', 1);
    await comment(target, ANGKOR, 'Lovely', 2);
    await rebuildsDone();
    await runCron(target, at(9, 30));
    expect((await recent(target)).body.comments.map((c) => c.excerpt)).toEqual(['Lovely', 'Oops, wrong post']);

    vi.setSystemTime(at(10, 5));
    const deleted = await send(
      'DELETE',
      `/api/v1/comments/${gone.id}?site=${target.site.id}&page=${encodeURIComponent(ANGKOR)}`,
      {
        headers: { Authorization: `Bearer ${editToken}` },
        bindings: target.site.bindings,
      },
    );
    expect(deleted.status).toBe(200);
    await rebuildsDone();
    await runCron(target, at(10, 30));
    expect((await recent(target)).body.comments.map((c) => c.excerpt)).toEqual(['Lovely']);
  });

  it('answers with one KV read, and names a wrong limit', async () => {
    const target = isolate(freshSite());
    const counted = countingKv(target.site.bindings.SALA);
    const sent = await recent(target, '&limit=20', { ...target.site.bindings, SALA: counted.kv });
    expect(sent.status).toBe(200);
    expect(counted.calls.map((call) => [call.method, call.args[0]])).toEqual([
      ['get', recentCommentsKey(target.site.id)],
    ]);
    for (const limit of ['0', '21', 'x']) {
      const wrong = await recent(target, `&limit=${limit}`);
      expect([wrong.status, wrong.body.error.field]).toEqual([400, 'limit']);
    }
  });
});
