import type { ApiErrorBody } from '@sala/protocol';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../app-env.js';
import { renderError } from '../errors.js';
import { jsonBody } from './json-body.js';

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
