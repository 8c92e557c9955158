import type { UsageResponse } from '@sala/protocol';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { asOwner, signIn } from '../testing-admin.js';
import { commentFields, countingKv, freshPage, rebuildsDone, send } from '../testing.js';
import { at, freshSite, isolate, poke, runCron, sendView, storeBatch, type Isolate } from '../testing-views.js';

afterEach(() => {
  vi.useRealTimers();
});

function usage(cookie: string, target: Isolate) {
  return asOwner<UsageResponse>(cookie, 'GET', '/usage', { worker: target.worker, bindings: target.site.bindings });
}

describe('GET /api/v1/admin/usage', () => {
  it('adds up what isolates reported with their view batches, without a write of its own', async () => {
    const cookie = await signIn();
    vi.useFakeTimers({ toFake: ['Date'] });
    // The test steps 25 minutes on and counts one UTC day: late in a day, start it early in the next.
    const day = 86_400_000;
    if (Date.now() % day > day - 3_600_000) vi.setSystemTime(Date.now() - (Date.now() % day) + day + 60_000);
    const site = freshSite();
    const counted = countingKv(env.SALA);
    const busy = isolate({ ...site, bindings: { ...site.bindings, SALA: counted.kv } });

    // One isolate takes a comment and a view, then writes its view batch once the flush age has passed.
    const page = freshPage();
    const posted = await send('POST', `/api/v1/comments?site=${site.id}`, {
      worker: busy.worker,
      bindings: busy.site.bindings,
      json: commentFields(page),
    });
    expect(posted.status).toBe(201);
    expect((await sendView(busy, page)).status).toBe(204);
    await rebuildsDone();
    const before = (method: string) => counted.calls.filter((call) => call.method === method).length;
    const [writes, lists] = [before('put'), before('list')];
    vi.setSystemTime(Date.now() + 25 * 60_000);
    await poke(busy);
    expect(before('put')).toBe(writes + 1); // the view batch, and nothing else

    // Another isolate answers the owner: it reads the report from KV and writes nothing.
    const quiet = isolate(site);
    const { kv: watched, calls } = countingKv(env.SALA);
    const sent = await usage(cookie, { ...quiet, site: { ...site, bindings: { ...site.bindings, SALA: watched } } });
    expect(sent.status).toBe(200);
    expect(calls.filter((call) => call.method === 'put')).toEqual([]);

    const today = new Date().toISOString().slice(0, 10);
    expect(sent.body).toMatchObject({
      day: today,
      resetsAt: new Date(Date.parse(today) + 86_400_000).toISOString(),
      // The POST, the beacon and the poke; then this request, counted by the isolate answering it.
      requests: { used: 4, limit: 100_000 },
      kvWrites: { used: writes, limit: 1_000 },
      // The answering isolate's own list() comes after it counted: it shows in the next answer.
      kvLists: { used: lists, limit: 1_000 },
      kvDeletes: { limit: 1_000 },
      kvReads: { limit: 100_000 },
      reports: 2,
      warnAt: 0.7,
    });
    expect(sent.body.kvReads.used).toBeGreaterThan(0);
  });

  it("adds the cron's own operations, which ride on the popularity state it writes", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const site = freshSite();
    const counted = countingKv(env.SALA);
    const cron = isolate({ ...site, bindings: { ...site.bindings, SALA: counted.kv } });
    const puts = () => counted.calls.filter((call) => call.method === 'put').length;

    // Two popularity runs, each with a new view batch to fold in: the second carries the first one's writes.
    await storeBatch(site, at(10, 5), { 'https://blog.example.com/a': 3 });
    vi.setSystemTime(at(10, 10));
    await runCron(cron, at(10, 10));
    const firstRun = puts();
    await storeBatch(site, at(10, 35), { 'https://blog.example.com/b': 2 });
    vi.setSystemTime(at(11, 10));
    await runCron(cron, at(11, 10));
    expect(firstRun).toBeGreaterThan(0);

    const sent = await usage(await signIn(), isolate(site));
    expect(sent.body.day).toBe('2030-01-15');
    expect(sent.body.kvWrites.used).toBeGreaterThanOrEqual(firstRun);
    expect(sent.body.kvWrites.used).toBeLessThan(puts());
  });

  it('is for the owner only', async () => {
    const sent = await send('GET', '/api/v1/admin/usage', { origin: null });
    expect(sent.status).toBe(401);
  });
});
