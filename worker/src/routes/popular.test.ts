import type { ApiErrorBody, PopularPostsResponse, RecentCommentsResponse } from '@sala/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rankingKey } from '../storage/keys.js';
import { commentFields, countingKv, rebuildsDone, send } from '../testing.js';
import {
  at,
  freshSite,
  isolate,
  runCron,
  serveBlog,
  storeBatch,
  type Isolate,
  type TestSite,
} from '../testing-views.js';

const BLOG = 'https://blog.example.com';
const OLD = `${BLOG}/2029/11/old`; // read 45 days ago
const MONTH = `${BLOG}/2030/01/month`; // 10 days ago
const WEEK = `${BLOG}/2030/01/week`; // 2 days ago
const TODAY = `${BLOG}/2030/01/today`; // this morning

const DAY = 24 * 60 * 60_000;

const TRAVEL = { labels: ['Travel', 'Cambodia'] };

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  // The blog's own pages, which the cron reads for what the list shows.
  serveBlog({ [OLD]: TRAVEL, [WEEK]: TRAVEL });
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function popular(target: Isolate, query: string, bindings: Env = target.site.bindings) {
  return send<PopularPostsResponse & ApiErrorBody>('GET', `/api/v1/popular?site=${target.site.id}&${query}`, {
    worker: target.worker,
    bindings,
  });
}

async function listed(target: Isolate, query: string): Promise<[string, number][]> {
  const sent = await popular(target, query);
  expect(sent.status, sent.text).toBe(200);
  return sent.body.posts.map((post) => [post.pageId, query.includes('by=comments') ? post.comments : post.views]);
}

/** Runs the cron at `when` (:40) and the fold and ranking runs after it, so the hour of `when` is final. */
async function cronAround(target: Isolate, when: number): Promise<void> {
  vi.setSystemTime(when);
  await runCron(target, when);
  await runCron(target, when + 30 * 60_000);
  await runCron(target, when + 40 * 60_000);
}

/** A blog read over 45 days: each page's views fall in one window only. Returns the isolate that ran the cron. */
async function blogWithHistory(site: TestSite = freshSite()): Promise<Isolate> {
  const target = isolate(site);
  await storeBatch(site, at(10, 5) - 45 * DAY, { [OLD]: 40 }, { [OLD]: TRAVEL });
  await cronAround(target, at(10, 40) - 45 * DAY);
  await storeBatch(site, at(10, 5) - 10 * DAY, { [MONTH]: 30 });
  await cronAround(target, at(10, 40) - 10 * DAY);
  await storeBatch(site, at(10, 5) - 2 * DAY, { [WEEK]: 20 }, { [WEEK]: TRAVEL });
  await storeBatch(site, at(10, 5), { [TODAY]: 10 });
  vi.setSystemTime(at(10, 50));
  await runCron(target, at(10, 50));
  return target;
}

describe('GET /api/v1/popular', () => {
  it('ranks the pages read in each window, most read first', async () => {
    const target = await blogWithHistory();
    expect(await listed(target, 'range=24h')).toEqual([[TODAY, 10]]);
    expect(await listed(target, 'range=7d')).toEqual([
      [WEEK, 20],
      [TODAY, 10],
    ]);
    expect(await listed(target, 'range=30d')).toEqual([
      [MONTH, 30],
      [WEEK, 20],
      [TODAY, 10],
    ]);
    expect(await listed(target, 'range=all')).toEqual([
      [OLD, 40],
      [MONTH, 30],
      [WEEK, 20],
      [TODAY, 10],
    ]);
    // 7 days by views is the default, and the answer carries what the list shows.
    const sent = await popular(target, '');
    expect(sent.body).toMatchObject({ range: '7d', by: 'views' });
    expect(sent.body.posts[0]).toEqual({
      pageId: WEEK,
      url: WEEK,
      title: 'Title of week',
      description: `First paragraph of ${WEEK}.`,
      labels: ['Travel', 'Cambodia'],
      views: 20,
      comments: 0,
    });
    expect(sent.body.viewSample).toBeUndefined();
  });

  it('filters by label (ignoring case), leaves out excluded pages, and honours limit', async () => {
    const target = await blogWithHistory();
    expect(await listed(target, 'range=all&label=travel')).toEqual([
      [OLD, 40],
      [WEEK, 20],
    ]);
    expect(await listed(target, 'range=7d&label=Food')).toEqual([]);
    expect(await listed(target, `range=all&exclude=${encodeURIComponent(`${OLD}/?m=1`)}&exclude=${MONTH}`)).toEqual([
      [WEEK, 20],
      [TODAY, 10],
    ]);
    expect(await listed(target, 'range=all&limit=2')).toEqual([
      [OLD, 40],
      [MONTH, 30],
    ]);
  });

  it('ranks by comments from the threads’ daily counts', async () => {
    const site = freshSite();
    vi.setSystemTime(at(9, 0));
    for (const page of [WEEK, WEEK, TODAY]) {
      const sent = await send('POST', `/api/v1/comments?site=${site.id}`, {
        json: commentFields(page),
        bindings: site.bindings,
      });
      expect(sent.status).toBe(201);
    }
    await rebuildsDone();
    const target = await blogWithHistory(site);
    expect(await listed(target, 'range=7d&by=comments')).toEqual([
      [WEEK, 2],
      [TODAY, 1],
    ]);
    // A page with views but no comments is not in a list by comments.
    expect((await listed(target, 'range=all&by=comments')).map(([pageId]) => pageId)).toEqual([WEEK, TODAY]);
  });

  it('still answers when a script sent views and comments for page ids named like Object members', async () => {
    // Any page id is accepted (`post-42`), so `constructor` too: looked up in a plain object, it found a function.
    const members = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];
    const site = freshSite();
    vi.setSystemTime(at(9, 0));
    for (const page of members) {
      const sent = await send('POST', `/api/v1/comments?site=${site.id}`, {
        json: commentFields(page),
        bindings: site.bindings,
      });
      expect(sent.status).toBe(201);
    }
    await rebuildsDone();
    await storeBatch(site, at(9, 5), Object.fromEntries(members.map((page) => [page, 100])));
    const target = await blogWithHistory(site);
    expect(await listed(target, 'range=7d&by=views')).toEqual([
      [WEEK, 20],
      [TODAY, 10],
    ]);
    expect((await listed(target, 'range=7d&by=comments')).map(([pageId]) => pageId)).toEqual([]);
    const recent = await send<RecentCommentsResponse>('GET', `/api/v1/recent-comments?site=${site.id}&limit=20`, {
      worker: target.worker,
      bindings: site.bindings,
    });
    expect(recent.status, recent.text).toBe(200);
    expect(recent.body.comments.map((comment) => [comment.pageId, comment.page])).toEqual(
      expect.arrayContaining(members.map((page) => [page, null])),
    );
  });

  it('answers with one KV read, and with an empty list before there is any data', async () => {
    const target = await blogWithHistory();
    const counted = countingKv(target.site.bindings.SALA);
    const sent = await popular(target, 'range=30d&by=comments&label=travel', {
      ...target.site.bindings,
      SALA: counted.kv,
    });
    expect(sent.status).toBe(200);
    expect(counted.calls.map((call) => [call.method, call.args[0]])).toEqual([['get', rankingKey(target.site.id)]]);

    const empty = isolate(freshSite());
    expect((await popular(empty, 'range=24h')).body).toEqual({ range: '24h', by: 'views', posts: [] });
  });

  it('names the wrong parameter', async () => {
    const target = isolate(freshSite());
    const cases: [string, string][] = [
      ['range=1y', 'range'],
      ['by=likes', 'by'],
      ['limit=0', 'limit'],
      ['limit=21', 'limit'],
      ['limit=five', 'limit'],
      [`label=${'x'.repeat(51)}`, 'label'],
      [`exclude=${'x'.repeat(3000)}`, 'exclude'],
      [Array.from({ length: 11 }, (_, i) => `exclude=p${i}`).join('&'), 'exclude'],
    ];
    for (const [query, field] of cases) {
      const sent = await popular(target, query);
      expect([sent.status, sent.body.error.code, sent.body.error.field], query).toEqual([400, 'invalid_field', field]);
    }
  });

  it('tells the widget the site’s sample rate', async () => {
    const target = isolate(freshSite({ viewSampleRate: 10 }));
    expect((await popular(target, '')).body.viewSample).toBe(10);
  });
});
