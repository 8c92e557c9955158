import type { CreateCommentResponse, PopularPostsResponse, ThreadResponse } from '@sala/protocol';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DIRTY_PREFIX } from './storage/keys.js';
import { limitedKv, withKv } from './testing-quota.js';
import { commentFields, freshPage, send } from './testing.js';
import { at, freshSite, isolate, runCron, sendView, serveBlog, storeBatch, type Isolate } from './testing-views.js';

const BLOG = 'https://blog.example.com';

beforeEach(() => {
  serveBlog(); // the blog's own pages, which the cron reads for what the lists show
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function popularViews(target: Isolate): Promise<Record<string, number>> {
  const sent = await send<PopularPostsResponse>('GET', `/api/v1/popular?site=${target.site.id}&range=7d&limit=20`, {
    worker: target.worker,
    bindings: target.site.bindings,
  });
  return Object.fromEntries(sent.body.posts.map((post) => [post.pageId, post.views]));
}

describe('the cron when KV writes run out for the day', () => {
  it('finishes without throwing, loses no stored views, and a run after the reset catches up', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const site = freshSite();
    const target = isolate(site);
    const stored = `${BLOG}/stored-${crypto.randomUUID()}`;
    const buffered = `${BLOG}/buffered-${crypto.randomUUID()}`;

    // One batch an isolate wrote this morning, and one view still in this isolate's buffer.
    await storeBatch(site, at(10, 5), { [stored]: 7 });
    vi.setSystemTime(at(10, 6));
    expect((await sendView(target, buffered)).status).toBe(204);

    // A ranking run, then more runs (the :10 fold among them), all with every write refused.
    const limited = limitedKv(env.SALA, { put: 0, delete: 0 });
    for (const when of [at(10, 50), at(11, 10), at(11, 20)]) {
      vi.setSystemTime(when);
      await expect(runCron(target, when, withKv(site.bindings, limited.kv))).resolves.toBeUndefined();
    }
    expect(limited.written).toEqual([]);
    expect(limited.refused.some((refusal) => refusal.operation === 'put')).toBe(true);
    expect(await popularViews(target)).toEqual({});
    // Clear lines, not stack traces: the stage names itself and says when it picks up.
    const said = warnings.mock.calls.map((call) => call.join(' '));
    expect(said.some((line) => /cron stage "lists of .*" stopped at the KV daily limit.*00:00 UTC/.test(line))).toBe(
      true,
    );
    expect(said.filter((line) => /view batches wait/.test(line))).toHaveLength(1);
    // No stack traces for the limit (other config hints may log errors of their own).
    expect(errors.mock.calls.map((call) => call.join(' ')).filter((line) => /limit exceeded/.test(line))).toEqual([]);

    // After 00:00 UTC, with KV writing again: the buffered view is written and both are counted.
    vi.setSystemTime(at(24, 10));
    await runCron(target, at(24, 10));
    vi.setSystemTime(at(24, 20));
    await runCron(target, at(24, 20));
    expect(await popularViews(target)).toEqual({ [stored]: 7, [buffered]: 1 });
  });

  it('keeps a saved comment whose snapshot could not be written, and shows it once a run can write', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const site = freshSite();
    const target = isolate(site);
    const page = freshPage();
    // The POST's own writes (marker, index entry, comment) land; the rebuild's count and snapshot do not.
    const posting = limitedKv(env.SALA, { put: 3 });
    const sent = await send<CreateCommentResponse>('POST', `/api/v1/comments?site=${site.id}`, {
      json: commentFields(page),
      bindings: withKv(site.bindings, posting.kv),
    });
    expect(sent.status).toBe(201);
    await sent.settled;

    const thread = async () =>
      (
        await send<ThreadResponse>('GET', `/api/v1/comments?site=${site.id}&page=${encodeURIComponent(page)}`, {
          bindings: site.bindings,
        })
      ).body;
    const later = Date.now() + 10 * 60_000;
    const exhausted = limitedKv(env.SALA, { put: 0, delete: 0 });
    await expect(runCron(target, later, withKv(site.bindings, exhausted.kv))).resolves.toBeUndefined();
    expect((await thread()).total).toBe(0);

    await runCron(target, later + 10 * 60_000);
    expect((await thread()).comments.map((comment) => comment.id)).toEqual([sent.body.comment.id]);
    // Its dirty marker is gone once the snapshot is written.
    const markers = await env.SALA.list({ prefix: `${DIRTY_PREFIX}${site.id}:` });
    expect(markers.keys).toEqual([]);
  });
});
