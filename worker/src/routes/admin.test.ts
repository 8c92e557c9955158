import type { AdminSessionResponse, ApiTokenListResponse, ApiErrorBody, UsageResponse } from '@sala/protocol';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commentFields, countingKv, freshPage, rebuildsDone, send } from '../testing.js';
import { asOwner, createToken, freshAddress, OWN_ORIGIN, signIn } from '../testing-admin.js';
import { at, freshSite, isolate, poke, runCron, sendView, storeBatch, type Isolate } from '../testing-views.js';
import { resetIsolateState } from '../domain/isolate-state.js';
import { todaysUsage } from '../storage/usage.js';
import { admin } from './admin.js';

/** Every admin route as registered, with its parameters filled in. */
function adminRoutes(): { method: string; path: string }[] {
  const seen = new Set<string>();
  const routes: { method: string; path: string }[] = [];
  for (const route of admin.routes) {
    if (route.method === 'ALL') continue; // middleware
    const path = `/api/v1/admin${route.path}`.replace(/:[a-zA-Z]+/g, 'x').replace(/\/$/, '');
    const key = `${route.method} ${path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    routes.push({ method: route.method, path });
  }
  return routes;
}

const OPEN_ROUTES = new Set(['POST /api/v1/admin/session']);

describe('admin access', () => {
  it('finds the admin routes to walk', () => {
    const routes = adminRoutes().map((route) => `${route.method} ${route.path}`);
    expect(routes).toContain('GET /api/v1/admin/session');
    expect(routes).toContain('DELETE /api/v1/admin/tokens/x');
    expect(routes.length).toBeGreaterThan(4);
  });

  it('refuses every admin route without a session or token, with a forged cookie, and with a wrong token', async () => {
    const tampered = `__Host-sala_admin=${'A'.repeat(22)}.${Date.now() + 60_000}.${'B'.repeat(43)}`;
    for (const { method, path } of adminRoutes()) {
      if (OPEN_ROUTES.has(`${method} ${path}`)) continue;
      const attempts: Record<string, string>[] = [
        {},
        { Cookie: tampered },
        { Authorization: `Bearer sala_${'x'.repeat(43)}` },
        { Authorization: 'Basic b3duZXI6cGFzcw==' },
      ];
      for (const headers of attempts) {
        const sent = await send<ApiErrorBody>(method, `${path}?site=demo&page=p`, {
          origin: OWN_ORIGIN,
          headers,
          ...(method === 'GET' || method === 'DELETE' ? {} : { json: { page: 'p', password: 'x' } }),
        });
        expect(`${method} ${path} ${sent.status}`).toBe(`${method} ${path} 401`);
        expect(sent.body.error.code).toBe('unauthorized');
        expect(sent.headers.get('Access-Control-Allow-Origin')).toBeNull();
      }
    }
  });

  it('answers 401, not 404, for made-up admin paths, so they reveal nothing', async () => {
    const sent = await send('GET', '/api/v1/admin/no-such-thing', { origin: OWN_ORIGIN });
    expect(sent.status).toBe(401);
  });
});

describe('signing in', () => {
  it('sets a signed HttpOnly, Secure, SameSite=Strict cookie that opens the admin routes', async () => {
    const sent = await send<AdminSessionResponse>('POST', '/api/v1/admin/session', {
      json: { password: env.ADMIN_PASSWORD },
      origin: OWN_ORIGIN,
      headers: { 'CF-Connecting-IP': freshAddress() },
    });
    expect(sent.status).toBe(200);
    expect(sent.body.signedIn).toBe(true);
    const setCookie = sent.headers.get('Set-Cookie') ?? '';
    expect(setCookie).toMatch(/^__Host-sala_admin=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).toMatch(/Max-Age=604800/);

    const cookie = setCookie.split(';')[0]!;
    const check = await asOwner<AdminSessionResponse>(cookie, 'GET', '/session');
    expect(check.status).toBe(200);
    expect(check.body.via).toBe('session');
  });

  it('refuses a wrong password, an empty one, and a missing body field', async () => {
    for (const json of [{ password: 'nope' }, { password: `${env.ADMIN_PASSWORD}x` }, { password: '' }, {}]) {
      const sent = await send<ApiErrorBody>('POST', '/api/v1/admin/session', {
        json,
        origin: OWN_ORIGIN,
        headers: { 'CF-Connecting-IP': freshAddress() },
      });
      expect([400, 401]).toContain(sent.status);
      expect(sent.headers.get('Set-Cookie')).toBeNull();
    }
  });

  it('rate-limits sign-in attempts per address', async () => {
    const address = freshAddress();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 8; attempt++) {
      const sent = await send('POST', '/api/v1/admin/session', {
        json: { password: 'guess' },
        origin: OWN_ORIGIN,
        headers: { 'CF-Connecting-IP': address },
      });
      statuses.push(sent.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    // Another address is not slowed down by it.
    expect(await signIn()).toMatch(/^__Host-sala_admin=/);
  });

  it('counts the addresses of one IPv6 /64 as one sender, so rotating through them gains no guesses', async () => {
    const network = freshAddress().split(':').slice(0, 4).join(':');
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 7; attempt++) {
      const sent = await send('POST', '/api/v1/admin/session', {
        json: { password: 'guess' },
        origin: OWN_ORIGIN,
        headers: { 'CF-Connecting-IP': `${network}:${attempt}::1` },
      });
      statuses.push(sent.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it('refuses a tampered session: changed expiry, changed id, changed signature', async () => {
    const cookie = await signIn();
    const [name, value] = cookie.split('=') as [string, string];
    const [id, expires, signature] = value.split('.') as [string, string, string];
    const forgeries = [
      `${id}.${Number(expires) + 1000}.${signature}`,
      `${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}.${expires}.${signature}`,
      `${id}.${expires}.${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`,
      `${id}.${expires}`,
      `${id}.0${expires}.${signature}`, // same number, other text: must not reach the byte comparison
      'garbage',
    ];
    for (const forged of forgeries) {
      expect((await asOwner(`${name}=${forged}`, 'GET', '/session')).status).toBe(401);
    }
    expect((await asOwner(cookie, 'GET', '/session')).status).toBe(200);
  });

  it('refuses an expired session', async () => {
    const cookie = await signIn();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 7 * 24 * 60 * 60 * 1000 + 1000);
      expect((await asOwner(cookie, 'GET', '/session')).status).toBe(401);
    } finally {
      vi.useRealTimers();
    }
  });

  it('signs out: the cookie is cleared and the same cookie no longer works', async () => {
    const cookie = await signIn();
    const out = await asOwner(cookie, 'DELETE', '/session');
    expect(out.status).toBe(204);
    expect(out.headers.get('Set-Cookie')).toMatch(/__Host-sala_admin=;.*Max-Age=0/);
    expect((await asOwner(cookie, 'GET', '/session')).status).toBe(401);
  });

  it('signs every session out when the password changes', async () => {
    const cookie = await signIn();
    const changed = { ...env, ADMIN_PASSWORD: 'a-new-password' };
    expect((await asOwner(cookie, 'GET', '/session', { bindings: changed })).status).toBe(401);
  });
});

describe('cross-site requests (CSRF)', () => {
  it('refuses a state-changing request with the cookie from another origin, or with no Origin', async () => {
    const cookie = await signIn();
    for (const origin of ['https://evil.example', 'http://localhost:5173', 'null', null]) {
      const sent = await asOwner<ApiErrorBody>(cookie, 'POST', '/tokens', { json: { name: 'x' }, origin });
      expect(sent.status).toBe(403);
      expect(sent.body.error.code).toBe('forbidden');
      const signOut = await asOwner(cookie, 'DELETE', '/session', { origin });
      expect(signOut.status).toBe(403);
    }
    // The session survived the attempts.
    expect((await asOwner(cookie, 'GET', '/session')).status).toBe(200);
  });

  it('lets a reading request through without an Origin (SameSite=Strict keeps other sites from sending it)', async () => {
    const cookie = await signIn();
    expect((await asOwner(cookie, 'GET', '/tokens', { origin: null })).status).toBe(200);
  });
});

describe('API tokens', () => {
  it('creates a token shown once, lists it without the token, and accepts it from any origin', async () => {
    const cookie = await signIn();
    const { token, info } = await createToken(cookie, 'backup script');
    expect(token).toMatch(/^sala_[A-Za-z0-9_-]{43}$/);
    expect(info.prefix).toBe(token.slice(0, 9));

    const listed = await asOwner<ApiTokenListResponse>(cookie, 'GET', '/tokens');
    expect(listed.body.tokens.find((entry) => entry.id === info.id)?.name).toBe('backup script');
    expect(listed.text).not.toContain(token);

    const viaToken = await send<AdminSessionResponse>('GET', '/api/v1/admin/session', {
      origin: null,
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(viaToken.status).toBe(200);
    expect(viaToken.body.via).toBe('token');
    const change = await send('POST', '/api/v1/admin/tokens', {
      json: { name: 'made by a script' },
      origin: 'https://elsewhere.example',
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(change.status).toBe(201);
  });

  it('stops accepting a revoked token', async () => {
    const cookie = await signIn();
    const { token, info } = await createToken(cookie);
    expect((await asOwner(cookie, 'DELETE', `/tokens/${info.id}`)).status).toBe(204);
    const sent = await send('GET', '/api/v1/admin/session', { headers: { Authorization: `Bearer ${token}` } });
    expect(sent.status).toBe(401);
    expect((await asOwner(cookie, 'DELETE', `/tokens/${info.id}`)).status).toBe(404);
  });

  it('names the field when a token has no name', async () => {
    const cookie = await signIn();
    const sent = await asOwner<ApiErrorBody>(cookie, 'POST', '/tokens', { json: { name: ' ' } });
    expect(sent.status).toBe(400);
    expect(sent.body.error.field).toBe('name');
  });
});

describe('the public API', () => {
  it('still answers blog origins with CORS, while admin routes never do', async () => {
    const sent = await send('GET', '/api/v1/comments?page=https://blog.example.com/p');
    expect(sent.headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:5173');
    const preflight = await send('OPTIONS', '/api/v1/admin/session', {
      headers: { 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});

function usage(cookie: string, target: Isolate) {
  return asOwner<UsageResponse>(cookie, 'GET', '/usage', { worker: target.worker, bindings: target.site.bindings });
}

describe('GET /api/v1/admin/usage', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

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

  it("counts nothing of an earlier test file's in the Worker's own isolate (each starts as a new isolate would)", async () => {
    const cookie = await signIn();
    for (let i = 0; i < 3; i++)
      expect((await send('POST', '/api/v1/comments', { json: commentFields(freshPage()) })).status).toBe(201);
    await rebuildsDone();
    // What src/testing-setup.ts does before each file: before, a cron the next file ran stored these writes as today's
    // use, and imports there (600 writes a day) were paused.
    resetIsolateState();
    const now = Date.now();
    const stored = await todaysUsage(env.SALA, ['demo'], { day: '', q: 0, r: 0, w: 0, d: 0, l: 0 }, now);
    const sent = await asOwner<UsageResponse>(cookie, 'GET', '/usage');
    // Only the usage request itself, counted as it came in; its reads after.
    expect([sent.body.requests.used, sent.body.kvWrites.used]).toEqual([
      stored.requests.used + 1,
      stored.kvWrites.used,
    ]);
  });

  it('is for the owner only', async () => {
    const sent = await send('GET', '/api/v1/admin/usage', { origin: null });
    expect(sent.status).toBe(401);
  });
});
