import type { ApiErrorBody } from '@sala/protocol';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppEnv } from '../app-env.js';
import { renderError } from '../errors.js';
import { rateLimit } from './rate-limit.js';

/** A binding that has counted past its limit for everyone. */
const spent: RateLimit = { limit: async () => ({ success: false }) };

function appLimitedTo(periodSeconds: 10 | 60) {
  const app = new Hono<AppEnv>();
  app.post(
    '/comments',
    rateLimit({ limiter: () => spent, name: 'comment', message: 'Wait.', periodSeconds, withoutAddress: 'skip' }),
    (c) => c.body(null, 201),
  );
  app.onError(renderError);
  return app;
}

async function refusedAt(time: number, periodSeconds: 10 | 60) {
  vi.useFakeTimers({ now: time });
  const response = await appLimitedTo(periodSeconds).request(
    '/comments',
    { method: 'POST', headers: { 'CF-Connecting-IP': '192.0.2.7' } },
    { SALA_SECRET: 'test-secret' },
  );
  return { status: response.status, retryAfter: response.headers.get('Retry-After'), body: await response.json() };
}

afterEach(() => vi.useRealTimers());

describe('rateLimit', () => {
  it('says in Retry-After how many seconds are left until the window ends and a retry is counted afresh', async () => {
    expect(await refusedAt(Date.UTC(2030, 0, 15, 12, 0, 45, 300), 60)).toEqual({
      status: 429,
      retryAfter: '15',
      body: { error: { code: 'rate_limited', message: 'Wait.' } } satisfies ApiErrorBody,
    });
    expect((await refusedAt(Date.UTC(2030, 0, 15, 12, 0, 59, 900), 60)).retryAfter).toBe('1');
    expect((await refusedAt(Date.UTC(2030, 0, 15, 12, 1, 0, 0), 60)).retryAfter).toBe('60');
    expect((await refusedAt(Date.UTC(2030, 0, 15, 12, 0, 43, 500), 10)).retryAfter).toBe('7');
  });
});
