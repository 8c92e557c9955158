import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppEnv } from '../app-env.js';
import { viewBatchPrefix } from '../storage/keys.js';
import { ViewCounter } from '../storage/view-counter.js';
import { viewFlush } from './view-flush.js';

const VIEW = {
  pageId: 'https://blog.example.com/p',
  meta: { url: 'https://blog.example.com/p', title: 'P', labels: [] },
  weight: 1,
};

function app(counter: ViewCounter) {
  const routes = new Hono<AppEnv>();
  routes.use('*', viewFlush(counter));
  routes.get('/anything', (c) => c.text(String(c.get('viewCounter') === counter)));
  return routes;
}

async function request(counter: ViewCounter, kv: KVNamespace): Promise<string> {
  const ctx = createExecutionContext();
  const response = await app(counter).fetch(new Request('https://sala.test/anything'), { ...env, SALA: kv }, ctx);
  await waitOnExecutionContext(ctx);
  return response.text();
}

async function storedBatches(site: string): Promise<number> {
  return (await env.SALA.list({ prefix: viewBatchPrefix(site) })).keys.length;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('viewFlush', () => {
  it('gives handlers the counter and writes a due batch on any request, after the response', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const site = `f${crypto.randomUUID().slice(0, 8)}`;
    const counter = new ViewCounter({ maxAgeMs: 60_000 });
    counter.add(site, VIEW, 'reader', Date.now());
    expect(await request(counter, env.SALA)).toBe('true');
    expect(await storedBatches(site)).toBe(0); // not due yet

    vi.setSystemTime(Date.now() + 60_000);
    await request(counter, env.SALA);
    expect(await storedBatches(site)).toBe(1);
    expect(counter.bufferedViews).toBe(0);
  });

  it('keeps a batch whose write failed and writes it under the same id later', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const site = `f${crypto.randomUUID().slice(0, 8)}`;
    const counter = new ViewCounter({ maxAgeMs: 0, retryDelayMs: 30_000 });
    counter.add(site, VIEW, 'reader', Date.now());
    const failing = new Proxy(env.SALA, {
      get: (target, property) =>
        property === 'put' ? () => Promise.reject(new Error('KV 503')) : Reflect.get(target, property).bind(target),
    });
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await request(counter, failing);
    expect(await storedBatches(site)).toBe(0);

    vi.setSystemTime(Date.now() + 30_000);
    await request(counter, env.SALA);
    const stored = await env.SALA.list({ prefix: viewBatchPrefix(site) });
    expect(stored.keys).toHaveLength(1);
    const batch = await env.SALA.get<{ views: Record<string, number> }>(stored.keys[0]!.name, 'json');
    expect(batch?.views).toEqual({ [VIEW.pageId]: 1 });
  });
});
