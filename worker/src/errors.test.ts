import type { ThreadResponse, ApiErrorBody } from '@sala/protocol';
import { exports } from 'cloudflare:workers';
import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import type { AppEnv } from './app-env.js';
import { ApiError, renderError, renderNotFound } from './errors.js';
import { jsonBody } from './middleware/json-body.js';
import { WARM_UP } from './warm-mark.js';

function appThrowing(error: unknown) {
  const app = new Hono();
  app.get('/boom', () => {
    throw error;
  });
  app.onError(renderError);
  app.notFound(renderNotFound);
  return app;
}

describe('renderError', () => {
  it('renders an ApiError as the protocol error body, field included', async () => {
    const response = await appThrowing(new ApiError('invalid_field', 400, 'name is required.', 'name')).request(
      '/boom',
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'invalid_field', message: 'name is required.', field: 'name' },
    });
  });

  it('logs anything else and answers 500 internal without the detail', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await appThrowing(new Error('KV exploded: secret detail')).request('/boom');
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'internal' } });
    expect(text).not.toContain('secret detail');
    expect(log).toHaveBeenCalled();
  });

  it("keeps the operator's log free of the startup warm-up's requests, which workerd stops where a response is made", async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const failure = new Error('Disallowed operation called within global scope.');
    const warmUp = await appThrowing(failure).request('/boom', {}, { [WARM_UP]: true });
    expect(warmUp.status).toBe(500);
    expect(log).not.toHaveBeenCalled();
    // The same failure in a real request is logged.
    await appThrowing(failure).request('/boom', {}, {});
    expect(log).toHaveBeenCalledOnce();
    log.mockRestore();
  });

  it("answers the free plan's daily KV limit with 503 daily_limit_reached and when it resets", async () => {
    vi.useFakeTimers({ now: Date.UTC(2030, 0, 15, 22, 30) });
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const response = await appThrowing(new Error('KV put() limit exceeded for the day.')).request('/boom');
      expect(response.status).toBe(503);
      expect(response.headers.get('Retry-After')).toBe(String(90 * 60));
      expect(await response.json()).toEqual({
        error: {
          code: 'daily_limit_reached',
          message: expect.stringContaining('paused until 00:00 UTC'),
          resumesAt: '2030-01-16T00:00:00.000Z',
        },
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await appThrowing(null).request('/nowhere');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('the deployed Worker', () => {
  it('serves the API through its default export', async () => {
    const response = await exports.default.fetch('https://sala.test/api/v1/comments?page=post-1');
    expect(response.status).toBe(200);
    expect(((await response.json()) as ThreadResponse).pageId).toBe('post-1');
  });

  it('answers an unknown API path with a JSON 404', async () => {
    const response = await exports.default.fetch('https://sala.test/api/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('hostile input', () => {
  it('never produces a 5xx', async () => {
    const json = { 'Content-Type': 'application/json', Origin: 'http://localhost:5173' };
    const requests: [string, RequestInit?][] = [
      ['/api/v1/comments?page=%'],
      ['/api/v1/comments?page=%E0%A4%A&site=%ZZ'],
      ['/api/v1/comments?page=post-1&cursor=%00&limit=99999999999999999999'],
      ['/api/v1/counts?page=%'],
      ['/api/v1/comments/%?page=post-1', { method: 'DELETE', headers: { ...json, Authorization: 'Bearer x' } }],
      [
        '/api/v1/comments/%E0%A4%A',
        { method: 'PATCH', headers: { ...json, Authorization: `Bearer ${'A'.repeat(5000)}` }, body: '{}' },
      ],
      ['/api/v1/comments', { method: 'POST', headers: json, body: '['.repeat(20_000) }],
      ['/api/v1/comments', { method: 'POST', headers: json, body: '{"page":{"toString":1},"name":[],"body":{}}' }],
      ['/api/v1/comments', { method: 'POST', headers: json, body: '{"__proto__":{"page":"x"},"constructor":1}' }],
      ['/api/v1/comments', { method: 'POST', headers: json, body: '"\\ud800"' }],
      ['/api/v1/comments', { method: 'POST', headers: { ...json, 'Content-Length': 'abc' }, body: '{}' }],
      ['/api/v1/comments', { method: 'POST', headers: { ...json, Origin: 'null' }, body: '{}' }],
      ['/api/v1/comments', { method: 'PUT', headers: json, body: '{}' }],
    ];
    for (const [path, init] of requests) {
      const response = await exports.default.fetch(`https://sala.test${path}`, init);
      expect(response.status, path).toBeLessThan(500);
      expect(response.headers.get('Content-Type'), path).toMatch(/^application\/json/);
    }
  });
});

function appUnderTest() {
  const app = new Hono<AppEnv>();
  app.post('/echo', jsonBody({ maxBytes: 64 }), (c) => c.json({ received: c.get('jsonBody') }));
  app.onError(renderError);
  return app;
}

async function post(body: BodyInit, headers: Record<string, string> = { 'Content-Type': 'application/json' }) {
  const response = await appUnderTest().request('/echo', { method: 'POST', body, headers });
  return { status: response.status, body: (await response.json()) as ApiErrorBody & { received: unknown } };
}

/** A body that arrives in pieces with no Content-Length, as a chunked upload does. */
function streamed(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 16) controller.enqueue(bytes.slice(i, i + 16));
      controller.close();
    },
  });
}

describe('jsonBody', () => {
  it('parses a JSON body for the handler, charset parameter and all', async () => {
    const sent = await post('{"name":"Dara"}', { 'Content-Type': 'application/json; charset=utf-8' });
    expect(sent).toEqual({ status: 200, body: { received: { name: 'Dara' } } });
  });

  it('refuses anything but application/json', async () => {
    const wrongTypes: Record<string, string>[] = [
      { 'Content-Type': 'text/plain' },
      { 'Content-Type': 'application/jsonx' },
      {},
    ];
    for (const headers of wrongTypes) {
      const sent = await post('{}', headers);
      expect([sent.status, sent.body.error.code]).toEqual([415, 'unsupported_media_type']);
    }
  });

  it('refuses malformed JSON and invalid UTF-8', async () => {
    for (const body of ['{"name":', '', new Uint8Array([0x22, 0xff, 0x22])]) {
      const sent = await post(body);
      expect([sent.status, sent.body.error.code]).toEqual([400, 'invalid_json']);
    }
  });

  it('refuses a body over the limit by Content-Length and by the bytes that arrive', async () => {
    const big = JSON.stringify({ body: 'x'.repeat(100) });
    const declared = await post(big);
    expect([declared.status, declared.body.error.code]).toEqual([413, 'payload_too_large']);
    const chunked = await post(streamed(big));
    expect([chunked.status, chunked.body.error.code]).toEqual([413, 'payload_too_large']);
    const smallEnough = await post(streamed(JSON.stringify({ body: 'x'.repeat(40) })));
    expect(smallEnough.status).toBe(200);
  });
});
