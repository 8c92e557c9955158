import {
  LIMITS,
  type ApiErrorBody,
  type CreateCommentResponse,
  type EditCommentResponse,
  type ThreadResponse,
} from '@sala/protocol';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ALLOWED_ORIGIN,
  commentFields,
  countingKv,
  freshPage,
  getThread,
  postComment,
  rebuildsDone,
  send,
} from '../testing.js';
import { resetIsolateState } from '../domain/isolate-state.js';
import { commentPrefix, pageRef, threadKey } from '../storage/keys.js';
import { READER_CACHE_MS } from '../storage/threads.js';

const EMAIL = 'dara.private@example.com';

function edit(id: string, token: string | null, json: unknown) {
  const headers: Record<string, string> = token === null ? {} : { Authorization: `Bearer ${token}` };
  return send<EditCommentResponse & ApiErrorBody>('PATCH', `/api/v1/comments/${id}`, { json, headers });
}

function remove(id: string, token: string | null, page: string) {
  const headers: Record<string, string> = token === null ? {} : { Authorization: `Bearer ${token}` };
  return send<ApiErrorBody>('DELETE', `/api/v1/comments/${id}?page=${encodeURIComponent(page)}`, { headers });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('POST /api/v1/comments', () => {
  it('creates a comment, returns it with an edit token, and the thread shows it', async () => {
    const page = freshPage();
    const sent = await send<CreateCommentResponse>('POST', '/api/v1/comments', {
      json: commentFields(page, { website: 'https://dara.example.com/', email: EMAIL }),
    });
    expect(sent.status).toBe(201);
    const { comment, editToken, editableUntil } = sent.body;
    expect(comment).toMatchObject({
      parentId: null,
      body: expect.stringMatching(/^Hello from Phnom Penh/),
      author: { name: 'Dara', website: 'https://dara.example.com/' },
    });
    expect(comment.author.avatar).toMatch(/^[0-9a-f]{16}$/);
    expect(editToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(editableUntil) - Date.parse(comment.createdAt)).toBe(LIMITS.editWindowSeconds * 1000);

    await sent.settled;
    const thread = await getThread(page);
    expect(thread).toMatchObject({ pageId: page, sort: 'oldest', total: 1, nextCursor: null });
    expect(thread.comments).toEqual([comment]);
  });

  it('takes a reply to a comment on the same page', async () => {
    const page = freshPage();
    const parent = await postComment(page);
    const reply = await postComment(page, { parentId: parent.comment.id, name: 'Sok', body: 'Welcome!' });
    expect(reply.comment.parentId).toBe(parent.comment.id);
    expect((await getThread(page)).comments.map((c) => c.id)).toEqual([parent.comment.id, reply.comment.id]);
  });

  it('refuses a reply to a comment on another page, or to one that does not exist', async () => {
    const elsewhere = await postComment(freshPage());
    const page = freshPage();
    for (const parentId of [elsewhere.comment.id, '01ARZ3NDEKTSV4RRFFQ69G5FAV', 'not-an-id']) {
      const sent = await send<ApiErrorBody>('POST', '/api/v1/comments', { json: commentFields(page, { parentId }) });
      expect(sent.status).toBe(400);
      expect(sent.body.error).toMatchObject({ code: 'parent_not_found', field: 'parentId' });
    }
  });

  it('names the missing or over-long field', async () => {
    const page = freshPage();
    const cases: [Record<string, unknown>, string][] = [
      [{ page: undefined }, 'page'],
      [{ page: '   ' }, 'page'],
      [{ page: `https://example.com/${'a'.repeat(LIMITS.pageId)}` }, 'page'],
      [{ name: undefined }, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(LIMITS.name + 1) }, 'name'],
      [{ name: 'Dara\u0000' }, 'name'],
      [{ name: 42 }, 'name'],
      [{ email: 'not an email' }, 'email'],
      [{ email: `${'a'.repeat(LIMITS.email)}@example.com` }, 'email'],
      [{ website: 'javascript:alert(1)' }, 'website'],
      [{ website: 'mailto:dara@example.com' }, 'website'],
      [{ website: `https://example.com/${'a'.repeat(LIMITS.website)}` }, 'website'],
      [{ body: undefined }, 'body'],
      [{ body: ' \n\t ' }, 'body'],
      [{ body: 'x'.repeat(LIMITS.body + 1) }, 'body'],
      [{ pageUrl: 'javascript:alert(1)' }, 'pageUrl'],
      [{ pageUrl: `${page}\nApprove: https://evil.example` }, 'pageUrl'],
      [{ pageUrl: `${page}/${'a'.repeat(LIMITS.pageId)}` }, 'pageUrl'],
      // Optional fields of the wrong type: refused, not taken as absent.
      [{ elapsedMs: '9000' }, 'elapsedMs'],
      [{ notifyReplies: 'yes' }, 'notifyReplies'],
      [{ captchaToken: 12345 }, 'captchaToken'],
      [{ parentId: 7 }, 'parentId'],
      [{ email: ['dara@example.com'] }, 'email'],
      [{ website: { href: 'https://dara.example' } }, 'website'],
      [{ pageUrl: 42 }, 'pageUrl'],
      [{ commenterKey: 1234567890123456789012 }, 'commenterKey'],
    ];
    for (const [override, field] of cases) {
      const sent = await send<ApiErrorBody>('POST', '/api/v1/comments', {
        json: { ...commentFields(page), ...override },
      });
      expect(
        { status: sent.status, field: sent.body.error.field, code: sent.body.error.code },
        JSON.stringify(override).slice(0, 80),
      ).toEqual({
        status: 400,
        field,
        code: 'invalid_field',
      });
    }
    expect((await getThread(page)).total).toBe(0);
  });

  it('takes a body of exactly the maximum length and ignores unknown fields', async () => {
    const page = freshPage();
    const sent = await send<CreateCommentResponse>('POST', '/api/v1/comments', {
      json: { ...commentFields(page, { body: 'x'.repeat(LIMITS.body) }), admin: true, status: 'spam' },
    });
    expect(sent.status).toBe(201);
    expect(sent.body.comment.body).toHaveLength(LIMITS.body);
  });

  it('refuses malformed JSON, a JSON non-object, the wrong content type and an oversized body', async () => {
    const malformed = await send<ApiErrorBody>('POST', '/api/v1/comments', {
      body: '{"page":',
      headers: { 'Content-Type': 'application/json' },
    });
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'invalid_json']);
    // Errors reach the widget too: an allowed origin may read them.
    expect(malformed.headers.get('Access-Control-Allow-Origin')).toBe(ALLOWED_ORIGIN);

    const array = await send<ApiErrorBody>('POST', '/api/v1/comments', { json: [commentFields(freshPage())] });
    expect([array.status, array.body.error.code]).toEqual([400, 'invalid_json']);

    const form = await send<ApiErrorBody>('POST', '/api/v1/comments', {
      body: 'name=Dara',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect([form.status, form.body.error.code]).toEqual([415, 'unsupported_media_type']);

    const huge = await send<ApiErrorBody>('POST', '/api/v1/comments', {
      json: commentFields(freshPage(), { body: 'x'.repeat(LIMITS.requestBytes) }),
    });
    expect([huge.status, huge.body.error.code]).toEqual([413, 'payload_too_large']);
  });

  it('stores XSS payloads as data and returns them byte for byte', async () => {
    // Representative lines of tests/fixtures/xss/payloads-all-the-things.txt, plus whitespace and Unicode edge cases.
    const payloads = [
      ' onmouseover="document.cookie=true;">//INJECTX',
      `'">><marquee><img src=x onerror=confirm(1)></marquee>"></plaintext\\></|\\><plaintext/onmouseover=prompt(1)><script>prompt(1)</script>@gmail.com`,
      '<IMG SRC="jav\tascript:alert(\'XSS\');">',
      '<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>',
      '<!--<img src="--><img src=x onerror=alert(1)//">',
      '[click](javascript:alert(1)) <a href="javascript:alert(1)">x</a> ``<script>``',
      '<svg/onload=alert(1)>\r\n\u2028\u202e</svg>\u0000 trailing   ',
    ];
    const page = freshPage('xss');
    const posted: string[] = [];
    for (const body of payloads)
      posted.push((await postComment(page, { body, name: '<b onmouseover=alert(1)>Dara</b>' })).comment.id);
    const thread = await getThread(page);
    expect(thread.comments.map((c) => c.body)).toEqual(payloads);
    expect(thread.comments.every((c) => c.author.name === '<b onmouseover=alert(1)>Dara</b>')).toBe(true);
    expect(thread.comments.map((c) => c.id)).toEqual(posted);
  });

  it('refuses a POST without an Origin header or from an origin the site does not list', async () => {
    const page = freshPage();
    const noOrigin = await send<ApiErrorBody>('POST', '/api/v1/comments', { json: commentFields(page), origin: null });
    expect([noOrigin.status, noOrigin.body.error.code]).toEqual([403, 'origin_not_allowed']);
    const evil = await send<ApiErrorBody>('POST', '/api/v1/comments', {
      json: commentFields(page),
      origin: 'https://evil.example',
    });
    expect([evil.status, evil.body.error.code]).toEqual([403, 'origin_not_allowed']);
    // The refusal itself is readable (so the embed can say why); nothing else is allowed or stored.
    expect(evil.headers.get('Access-Control-Allow-Methods')).toBeNull();
    expect((await getThread(page)).total).toBe(0);
  });

  it('answers unknown sites with 404 and needs a site when there is no default', async () => {
    const unknown = await send<ApiErrorBody>('POST', '/api/v1/comments?site=nope', {
      json: commentFields(freshPage()),
    });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'unknown_site']);
    const noDefault = await send<ApiErrorBody>('GET', `/api/v1/comments?page=x`, {
      bindings: { ...env, DEFAULT_SITE: '' },
    });
    expect([noDefault.status, noDefault.body.error.code]).toEqual([400, 'site_required']);
  });
});

describe('GET /api/v1/comments', () => {
  it('serves an empty thread for a page nobody has commented on', async () => {
    const page = freshPage();
    expect(await getThread(page)).toEqual({ pageId: page, sort: 'oldest', total: 0, comments: [], nextCursor: null });
  });

  it('puts the mobile, anchored and trailing-slash copies of a page in one thread', async () => {
    const page = freshPage();
    // Three different texts: the same text twice on one page would be refused as a duplicate.
    await postComment(`${page}/?m=1`, { body: 'Read on my phone' });
    await postComment(`${page}#comments`, { body: 'Jumped straight to the comments' });
    await postComment(`${page}/index.html?utm_source=x`, { body: 'Came from the newsletter' });
    const thread = await getThread(`${page}/`);
    expect(thread.pageId).toBe(page);
    expect(thread.total).toBe(3);
  });

  it('pages by top-level comment, replies following their parent oldest first, in either order', async () => {
    const page = freshPage();
    const a = (await postComment(page, { body: 'a' })).comment.id;
    const b = (await postComment(page, { body: 'b' })).comment.id;
    const a1 = (await postComment(page, { body: 'a1', parentId: a })).comment.id;
    const c = (await postComment(page, { body: 'c' })).comment.id;
    const a2 = (await postComment(page, { body: 'a2', parentId: a })).comment.id;
    const a1x = (await postComment(page, { body: 'a1x', parentId: a1 })).comment.id;

    const first = await getThread(page, '&limit=2');
    expect(first.total).toBe(6);
    expect(first.comments.map((x) => x.id)).toEqual([a, a1, a1x, a2, b]);
    const second = await getThread(page, `&limit=2&cursor=${first.nextCursor}`);
    expect(second.comments.map((x) => x.id)).toEqual([c]);
    expect(second.nextCursor).toBeNull();

    const newest = await getThread(page, '&sort=newest&limit=2');
    expect(newest.comments.map((x) => x.id)).toEqual([c, b]);
    const newestRest = await getThread(page, `&sort=newest&limit=2&cursor=${newest.nextCursor}`);
    expect(newestRest.comments.map((x) => x.id)).toEqual([a, a1, a1x, a2]);
  });

  it('names a bad sort, limit, cursor or page', async () => {
    const page = encodeURIComponent(freshPage());
    const cases: [string, string][] = [
      [`?page=${page}&sort=best`, 'sort'],
      [`?page=${page}&limit=0`, 'limit'],
      [`?page=${page}&limit=${LIMITS.pageSizeMax + 1}`, 'limit'],
      [`?page=${page}&limit=ten`, 'limit'],
      [`?page=${page}&cursor=%27%20OR%201`, 'cursor'],
      [``, 'page'],
    ];
    for (const [query, field] of cases) {
      const sent = await send<ApiErrorBody>('GET', `/api/v1/comments${query}`);
      expect([sent.status, sent.body.error.code, sent.body.error.field]).toEqual([400, 'invalid_field', field]);
    }
  });

  it('reads at most one KV value, and none while this isolate holds a fresh copy', async () => {
    const page = freshPage();
    await postComment(page);
    await rebuildsDone();
    const counted = countingKv(env.SALA);
    const get = () =>
      send<ThreadResponse>('GET', `/api/v1/comments?page=${encodeURIComponent(page)}`, {
        bindings: { ...env, SALA: counted.kv },
      });

    // This isolate rebuilt the snapshot: it serves what it wrote without reading it back.
    expect((await get()).body.total).toBe(1);
    expect(counted.calls.map((call) => call.method)).toEqual([]);

    // Once its copy is older than READER_CACHE_MS, the next GET reads KV once, and the one after it not at all.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + READER_CACHE_MS + 1000);
    expect((await get()).body.total).toBe(1);
    expect((await get()).body.total).toBe(1);
    expect(counted.calls.map((call) => call.method)).toEqual(['get']);
  });

  it('reads the page’s snapshot from KV once for a new comment on a new isolate: its screening’s read serves its rebuild', async () => {
    const page = freshPage();
    await postComment(page);
    await rebuildsDone();
    resetIsolateState();
    const counted = countingKv(env.SALA);
    const sent = await send<CreateCommentResponse>('POST', '/api/v1/comments', {
      json: commentFields(page),
      bindings: { ...env, SALA: counted.kv },
    });
    await sent.settled;
    const key = threadKey(await pageRef('demo', page));
    expect(counted.calls.filter(({ method, args }) => method === 'get' && args[0] === key)).toHaveLength(1);
    // And the rebuild wrote the thread with the new comment.
    expect((await getThread(page)).comments.map(({ id }) => id)).toContain(sent.body.comment.id);
  });

  it('shows a new comment at once to the isolate that rebuilt the thread, whatever it cached before', async () => {
    const page = freshPage();
    await postComment(page);
    expect((await getThread(page)).total).toBe(1);
    await postComment(page);
    expect((await getThread(page)).total).toBe(2);
  });

  it('lets a GET without Origin through, and a listed origin read the answer', async () => {
    const page = encodeURIComponent(freshPage());
    const plain = await send('GET', `/api/v1/comments?page=${page}`, { origin: null });
    expect(plain.status).toBe(200);
    const fromBlog = await send('GET', `/api/v1/comments?page=${page}`, { origin: 'http://localhost:4321' });
    expect(fromBlog.headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:4321');
    expect(fromBlog.headers.get('Access-Control-Allow-Credentials')).toBeNull();
  });
});

describe('50 comments posted to one page at once', () => {
  it('all end up in the thread', async () => {
    const page = freshPage('busy');
    const sent = await Promise.all(
      // Spread over a few rebuilds' time, so some arrive while a rebuild of the page is running.
      Array.from({ length: 50 }, async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, (i % 25) * 2));
        return send<CreateCommentResponse>('POST', '/api/v1/comments', {
          json: commentFields(page, { body: `comment ${i}` }),
        });
      }),
    );
    expect(sent.every((s) => s.status === 201)).toBe(true);
    await Promise.all(sent.map((s) => s.settled));

    const thread = await getThread(page, `&limit=${LIMITS.pageSizeMax}`);
    expect(thread.total).toBe(50);
    expect(new Set(thread.comments.map((c) => c.body))).toEqual(new Set(sent.map((_, i) => `comment ${i}`)));
  });
});

describe('PATCH and DELETE /api/v1/comments/:id', () => {
  it('lets the author edit with their token', async () => {
    const page = freshPage();
    const { comment, editToken } = await postComment(page);
    const edited = await edit(comment.id, editToken, { page, body: 'Edited *body*' });
    expect(edited.status).toBe(200);
    expect(edited.body.comment).toMatchObject({ id: comment.id, body: 'Edited *body*' });
    expect(edited.body.comment.editedAt).toBeDefined();
    await edited.settled;
    expect((await getThread(page)).comments[0]).toEqual(edited.body.comment);
  });

  it('refuses a missing or wrong token, an unknown id, and a closed edit window', async () => {
    const page = freshPage();
    const { comment, editToken } = await postComment(page);
    const other = await postComment(page, { body: 'Another reader was here' });

    const missing = await edit(comment.id, null, { page, body: 'x' });
    expect([missing.status, missing.body.error.code]).toEqual([403, 'invalid_token']);
    const wrong = await edit(comment.id, other.editToken, { page, body: 'x' });
    expect([wrong.status, wrong.body.error.code]).toEqual([403, 'invalid_token']);
    const garbage = await remove(comment.id, 'not-a-token', page);
    expect([garbage.status, garbage.body.error.code]).toEqual([403, 'invalid_token']);
    const unknown = await edit('01ARZ3NDEKTSV4RRFFQ69G5FAV', editToken, { page, body: 'x' });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not_found']);
    const otherPage = await edit(comment.id, editToken, { page: freshPage(), body: 'x' });
    expect([otherPage.status, otherPage.body.error.code]).toEqual([404, 'not_found']);
    const blank = await edit(comment.id, editToken, { page, body: '  ' });
    expect([blank.status, blank.body.error.field]).toEqual([400, 'body']);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + (LIMITS.editWindowSeconds + 1) * 1000);
    const late = await edit(comment.id, editToken, { page, body: 'x' });
    expect([late.status, late.body.error.code]).toEqual([403, 'edit_window_closed']);
    const lateDelete = await remove(comment.id, editToken, page);
    expect([lateDelete.status, lateDelete.body.error.code]).toEqual([403, 'edit_window_closed']);
    vi.useRealTimers();

    expect((await getThread(page)).comments[0]!.body).toBe(comment.body);
  });

  it('deletes a comment without replies from the thread', async () => {
    const page = freshPage();
    const { comment, editToken } = await postComment(page);
    const deleted = await remove(comment.id, editToken, page);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ counted: true });
    await deleted.settled;
    expect(await getThread(page)).toMatchObject({ total: 0, comments: [] });
    expect((await remove(comment.id, editToken, page)).status).toBe(404);
  });

  it('keeps a blank placeholder for a deleted comment that has replies, and erases what was written', async () => {
    const page = freshPage();
    const parent = await postComment(page, { email: EMAIL, website: 'https://dara.example.com' });
    const reply = await postComment(page, { parentId: parent.comment.id, name: 'Sok', body: 'Sok agrees with Dara' });
    await (
      await remove(parent.comment.id, parent.editToken, page)
    ).settled;

    const thread = await getThread(page);
    expect(thread.total).toBe(1);
    expect(thread.comments).toEqual([
      {
        id: parent.comment.id,
        parentId: null,
        author: { name: '', avatar: '' },
        body: '',
        createdAt: parent.comment.createdAt,
        deleted: true,
      },
      reply.comment,
    ]);
    const { keys } = await env.SALA.list({ prefix: commentPrefix(await pageRef('demo', page)) });
    const stored = await env.SALA.get(keys.find((k) => k.name.endsWith(parent.comment.id))!.name);
    expect(stored).not.toContain(EMAIL);
    expect(stored).not.toContain('Dara');
    expect(stored).not.toContain('Hello from Phnom Penh');
    expect(JSON.parse(stored!)).toMatchObject({ tokenHash: '' }); // the dead token's hash goes with the text

    // Once its last reply goes, so does the placeholder.
    await (
      await remove(reply.comment.id, reply.editToken, page)
    ).settled;
    expect((await getThread(page)).comments).toEqual([]);
  });
});

describe('privacy', () => {
  it('never puts the email in any response', async () => {
    const page = freshPage();
    const created = await send<CreateCommentResponse>('POST', '/api/v1/comments', {
      json: commentFields(page, { email: EMAIL }),
    });
    await created.settled;
    const { id } = created.body.comment;
    const reply = await send<CreateCommentResponse>('POST', '/api/v1/comments', {
      json: commentFields(page, { email: EMAIL, parentId: id }),
    });
    await reply.settled;
    const edited = await edit(id, created.body.editToken, { page, body: 'changed' });
    await edited.settled;
    const thread = await send('GET', `/api/v1/comments?page=${encodeURIComponent(page)}`);
    const counts = await send('GET', `/api/v1/counts?page=${encodeURIComponent(page)}`);
    for (const sent of [created, reply, edited, thread, counts]) {
      expect(sent.text.toLowerCase()).not.toContain(EMAIL);
      expect(sent.text.toLowerCase()).not.toContain('dara.private');
    }
  });
});
