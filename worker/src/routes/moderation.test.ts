/** What commenters and readers see under each moderation setting and spam layer. */
import {
  LIMITS,
  type AdminComment,
  type ApiErrorBody,
  type BanResponse,
  type CreateCommentResponse,
  type ThreadState,
} from '@sala/protocol';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { ipHash } from '../domain/identity-hashes.js';
import { commentFields, countingKv, freshPage, rebuildsDone, send } from '../testing.js';
import { freshAddress, TestSite } from '../testing-admin.js';

/** What the widget keeps in localStorage: 16 random bytes, base64url. */
function commenterKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

async function pendingIds(site: TestSite): Promise<string[]> {
  return (await site.queue('pending')).comments.map((comment) => comment.id);
}

describe('moderation modes', () => {
  it('publish: a comment is shown at once', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    const { comment } = await site.postOk(commentFields(page));
    expect(comment.status).toBeUndefined();
    expect((await site.thread(page)).comments.map((shown) => shown.id)).toEqual([comment.id]);
  });

  it('hold-all: the author sees "pending", readers see nothing, the owner approves and everyone sees it', async () => {
    const site = await TestSite.create();
    await site.settings({ moderation: 'hold-all' });
    const page = freshPage();
    const { comment } = await site.postOk(commentFields(page));
    expect(comment.status).toBe('pending');

    const thread = await site.thread(page);
    expect(thread.comments).toEqual([]);
    expect(thread.total).toBe(0);
    const counts = await send<{ counts: Record<string, number> }>(
      'GET',
      `/api/v1/counts?site=${site.id}&page=${encodeURIComponent(page)}`,
      { bindings: site.bindings },
    );
    expect(counts.body.counts[page] ?? 0).toBe(0);

    const queue = await site.queue('pending');
    const held = queue.comments.find((entry) => entry.id === comment.id)!;
    expect(held.heldBecause).toEqual([{ code: 'hold-all' }]);
    expect(held.author.email).toBe('dara@example.com');
    expect(queue.counts.pending).toBe(1);

    const [result] = (await site.moderate('approve', [{ page, id: comment.id }])).results;
    expect(result).toMatchObject({ ok: true, comment: { status: 'approved' } });
    expect((await site.thread(page)).comments.map((shown) => shown.id)).toEqual([comment.id]);
    expect(await pendingIds(site)).toEqual([]);
    expect((await site.queue('approved')).comments.map((entry) => entry.id)).toEqual([comment.id]);
  });

  it('hold-all holds even a commenter approved before', async () => {
    const site = await TestSite.create();
    await site.settings({ moderation: 'hold-all' });
    const page = freshPage();
    const first = await site.postOk(commentFields(page));
    await site.moderate('approve', [{ page, id: first.comment.id }]);
    await rebuildsDone();
    expect((await site.postOk(commentFields(page))).comment.status).toBe('pending');
  });

  it("hold-first-time: holds a new commenter until one comment is approved, known by their browser's key", async () => {
    const site = await TestSite.create();
    await site.settings({ moderation: 'hold-first-time' });
    const page = freshPage();
    const browser = commenterKey();
    const first = await site.post(commentFields(page, { email: 'new@example.com', commenterKey: browser }));
    expect((first.body as CreateCommentResponse).comment.status).toBe('pending');
    expect(first.text).not.toContain(browser);
    const again = await site.postOk(commentFields(page, { email: 'new@example.com', commenterKey: browser }));
    expect(again.comment.status).toBe('pending');

    await site.moderate('approve', [{ page, id: (first.body as CreateCommentResponse).comment.id }]);
    await rebuildsDone();
    // The same browser under another name and email: known.
    const known = await site.postOk(commentFields(page, { name: 'Dara K.', email: undefined, commenterKey: browser }));
    expect(known.comment.status).toBeUndefined();
    // The same name and email typed in a fresh browser, or sent without a key: first-time.
    const fresh = await site.postOk(commentFields(page, { email: 'new@example.com', commenterKey: commenterKey() }));
    expect(fresh.comment.status).toBe('pending');
    expect((await site.postOk(commentFields(page, { email: 'new@example.com' }))).comment.status).toBe('pending');
    const held = (await site.queue('pending')).comments.find((entry) => entry.id === fresh.comment.id);
    expect(held?.heldBecause).toEqual([{ code: 'first-time' }]);
    // Approving a comment sent without a key makes nobody known.
    const keyless = await site.postOk(commentFields(page, { email: undefined, name: 'Vanna' }));
    await site.moderate('approve', [{ page, id: keyless.comment.id }]);
    await rebuildsDone();
    expect((await site.postOk(commentFields(page, { email: undefined, name: 'Vanna' }))).comment.status).toBe(
      'pending',
    );
  });

  it('refuses a commenter key that is not one', async () => {
    const site = await TestSite.create();
    const sent = await site.post<ApiErrorBody>(commentFields(freshPage(), { commenterKey: 'short' }));
    expect([sent.status, sent.body.error.code, sent.body.error.field]).toEqual([400, 'invalid_field', 'commenterKey']);
  });

  it('hold-links: holds comments with a link from unknown commenters only', async () => {
    const site = await TestSite.create();
    await site.settings({ moderation: 'hold-links' });
    const page = freshPage();
    const browser = commenterKey();
    const plain = await site.postOk(
      commentFields(page, { email: 'a@example.com', body: 'No links in this one at all', commenterKey: browser }),
    );
    expect(plain.comment.status).toBeUndefined();
    const withLink = await site.postOk(
      commentFields(page, { email: 'b@example.com', body: 'See [my notes](https://notes.example.com) on this post' }),
    );
    expect(withLink.comment.status).toBe('pending');
    // a@'s browser was approved (published at once), so its links pass; a@'s name and email elsewhere do not.
    await rebuildsDone();
    const known = await site.postOk(
      commentFields(page, {
        email: 'a@example.com',
        body: 'More at https://example.com/more for anyone curious',
        commenterKey: browser,
      }),
    );
    expect(known.comment.status).toBeUndefined();
    const impostor = await site.postOk(
      commentFields(page, { email: 'a@example.com', body: 'Cheap at https://example.com/deal for anyone' }),
    );
    expect(impostor.comment.status).toBe('pending');
  });
});

describe('word lists', () => {
  it('refuses reject words (whole words, any case) and stores nothing', async () => {
    const site = await TestSite.create();
    await site.settings({ rejectWords: ['viagra', 'cheap pills'] });
    const page = freshPage();
    for (const body of ['Buy VIAGRA today', 'Find cheap   pills here'.replace(/ +/g, ' '), 'A name check']) {
      const fields =
        body === 'A name check' ? commentFields(page, { name: 'viagra', body }) : commentFields(page, { body });
      const sent = await site.post<ApiErrorBody>(fields);
      expect([sent.status, sent.body.error.code]).toEqual([400, 'comment_rejected']);
    }
    // "viagras" is another word; the comment passes.
    expect((await site.post(commentFields(page, { body: 'Talking about viagras in general' }))).status).toBe(201);
    expect((await site.queue('pending')).counts).toMatchObject({ pending: 0, spam: 0, rejected: 0 });
  });

  it('holds comments with hold words and says which', async () => {
    const site = await TestSite.create();
    await site.settings({ holdWords: ['casino', 'ឆ្នោត'] });
    const page = freshPage();
    const held = await site.postOk(commentFields(page, { body: 'The Casino down the road is loud' }));
    expect(held.comment.status).toBe('pending');
    // Khmer is written without spaces between words: matched inside a run of text.
    const khmer = await site.postOk(commentFields(page, { body: 'ខ្ញុំចូលចិត្តឆ្នោតណាស់' }));
    expect(khmer.comment.status).toBe('pending');
    const passes = await site.postOk(commentFields(page, { body: 'Occasionally I visit' }));
    expect(passes.comment.status).toBeUndefined();
    const queue = await site.queue('pending');
    expect(queue.comments.find((entry) => entry.id === held.comment.id)?.heldBecause).toEqual([
      { code: 'hold-word', word: 'casino' },
    ]);
  });
});

describe('bans', () => {
  async function ban(site: TestSite, kind: string, value: string, durationSeconds?: number): Promise<BanResponse> {
    const sent = await site.admin<BanResponse>('POST', '/bans', {
      json: { kind, value, durationSeconds, reason: 'spam' },
    });
    expect(sent.status).toBe(201);
    return sent.body;
  }

  it('refuses a banned email, name or address with 403 banned, and lets others through', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    const address = freshAddress();
    const first = await site.postOk(commentFields(page, { email: 'troll@example.com', name: 'Troll' }), address);
    const ipHash = (await site.queue('approved')).comments.find((entry) => entry.id === first.comment.id)!.ipHash!;
    expect(ipHash).toMatch(/^[0-9a-f]{32}$/);

    await ban(site, 'email', 'Troll@Example.com');
    const byEmail = await site.post<ApiErrorBody>(commentFields(page, { email: 'troll@example.com', name: 'Someone' }));
    expect([byEmail.status, byEmail.body.error.code]).toEqual([403, 'banned']);

    await ban(site, 'name', 'Loud Person');
    const byName = await site.post<ApiErrorBody>(commentFields(page, { email: undefined, name: 'loud person' }));
    expect(byName.body.error.code).toBe('banned');

    await ban(site, 'ip', ipHash);
    const byAddress = await site.post<ApiErrorBody>(
      commentFields(page, { email: 'fresh@example.com', name: 'New' }),
      address,
    );
    expect(byAddress.body.error.code).toBe('banned');

    expect(
      (await site.post(commentFields(page, { email: 'kind@example.com', name: 'Kind' }), freshAddress())).status,
    ).toBe(201);
  });

  it('bans an IPv6 address by its /64: the next address of that network is refused, another network is not', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    const network = freshAddress().replace(/::1$/, '');
    const first = await site.postOk(commentFields(page, { email: undefined, name: 'Roamer' }), `${network}::1`);
    const shown = (await site.queue('approved')).comments.find((entry) => entry.id === first.comment.id)!;
    await ban(site, 'ip', shown.ipHash!);

    const fromNeighbour = await site.post<ApiErrorBody>(
      commentFields(page, { email: undefined, name: 'Someone new' }),
      `${network}:ab:cd:ef:12`,
    );
    expect([fromNeighbour.status, fromNeighbour.body.error.code]).toEqual([403, 'banned']);
    const elsewhere = freshAddress();
    expect((await site.post(commentFields(page, { email: undefined, name: 'Other' }), elsewhere)).status).toBe(201);
  });

  it('keeps a ban stored on a whole address, as bans were made before they covered a /64', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    const address = freshAddress();
    await ban(site, 'ip', await ipHash(env.SALA_SECRET, address));
    const again = await site.post<ApiErrorBody>(commentFields(page, { email: undefined, name: 'Back' }), address);
    expect([again.status, again.body.error.code]).toEqual([403, 'banned']);
  });

  it('refuses an edit by a banned commenter as it refuses their new comment, and readers keep the text', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    const cafe = freshAddress();
    const ipHashOf = async (id: string) =>
      (await site.queue('approved')).comments.find((entry) => entry.id === id)!.ipHash!;
    const fromCafe = await site.postOk(commentFields(page, { email: undefined, name: 'Guest' }), cafe);
    const cafeHash = await ipHashOf(fromCafe.comment.id);
    // Each ban the owner may make within the edit window: the comment's email or name, the address it was posted
    // from, or an address banned for another comment, which the edit then comes from.
    const cases: { kind: string; value: (postedFrom: string) => string; editFrom?: string }[] = [
      { kind: 'email', value: () => 'Troll@Example.com' },
      { kind: 'name', value: () => 'the troll' },
      { kind: 'ip', value: (postedFrom) => postedFrom },
      { kind: 'ip', value: () => cafeHash, editFrom: cafe },
    ];
    for (const { kind, value, editFrom: elsewhere } of cases) {
      const home = freshAddress(); // one each: the rate limit counts the refused posts too
      const editFrom = elsewhere ?? home;
      const text = `Clean text before a ban (${kind}, edit from ${editFrom})`;
      const fields = { email: 'troll@example.com', name: 'The Troll' };
      const { comment, editToken } = await site.postOk(commentFields(page, { ...fields, body: text }), home);
      const { ban: made } = await ban(site, kind, value(await ipHashOf(comment.id)));

      const post = await site.post<ApiErrorBody>(commentFields(page, fields), editFrom);
      const edit = await send<ApiErrorBody>('PATCH', `/api/v1/comments/${comment.id}?site=${site.id}`, {
        json: { page, body: 'Rewritten into spam once banned' },
        headers: { Authorization: `Bearer ${editToken}`, 'CF-Connecting-IP': editFrom },
        bindings: site.bindings,
      });
      expect([post.status, post.body.error.code], text).toEqual([403, 'banned']);
      expect([edit.status, edit.body.error], text).toEqual([403, post.body.error]);
      expect((await site.thread(page)).comments.find((shown) => shown.id === comment.id)?.body).toBe(text);
      expect((await site.admin('DELETE', `/bans/${made.id}`)).status).toBe(204);
    }
  });

  it('lets a commenter back once the ban expires or is lifted, and lists only bans in force', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    await ban(site, 'email', 'brief@example.com', 60);
    const { ban: lasting } = await ban(site, 'email', 'lasting@example.com');
    expect((await site.post(commentFields(page, { email: 'brief@example.com' }))).status).toBe(403);

    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 61_000);
      expect((await site.post(commentFields(page, { email: 'brief@example.com' }))).status).toBe(201);
      const listed = await site.admin<{ bans: { id: string }[] }>('GET', '/bans');
      expect(listed.body.bans.map((entry) => entry.id)).toEqual([lasting.id]);
    } finally {
      vi.useRealTimers();
    }

    expect((await site.admin('DELETE', `/bans/${lasting.id}`)).status).toBe(204);
    expect((await site.post(commentFields(page, { email: 'lasting@example.com' }))).status).toBe(201);
    expect((await site.admin('DELETE', `/bans/${lasting.id}`)).status).toBe(404);
  });

  it('names the field of a bad ban', async () => {
    const site = await TestSite.create();
    for (const [json, field] of [
      [{ kind: 'face', value: 'x' }, 'kind'],
      [{ kind: 'email', value: 'not-an-email' }, 'value'],
      [{ kind: 'ip', value: '203.0.113.5' }, 'value'],
      [{ kind: 'name', value: 'x', durationSeconds: 5 }, 'durationSeconds'],
    ] as const) {
      const sent = await site.admin<ApiErrorBody>('POST', '/bans', { json });
      expect([sent.status, sent.body.error.field]).toEqual([400, field]);
    }
  });

  it('keeps a ban whose email and reason are long in a script of three-byte letters', async () => {
    const site = await TestSite.create();
    const json = { kind: 'email', value: `${'ស'.repeat(240)}@ex.kh`, reason: 'ខ'.repeat(120) }; // ~1,100 bytes
    const sent = await site.admin<BanResponse>('POST', '/bans', { json });
    expect(sent.status).toBe(201);
    const listed = await site.admin<{ bans: { id: string }[] }>('GET', '/bans');
    expect(listed.body.bans.map((ban) => ban.id)).toContain(sent.body.ban.id);
  });
});

describe('closed threads', () => {
  it('shows closed: true, refuses new comments with 403 thread_closed, and reopens', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    const before = await site.postOk(commentFields(page));

    const closed = await site.admin<ThreadState>('PUT', '/threads', { json: { page, closed: true } });
    expect(closed.body).toMatchObject({ pageId: page, closed: true });
    const thread = await site.thread(page);
    expect(thread.closed).toBe(true);
    expect(thread.comments.map((comment) => comment.id)).toEqual([before.comment.id]);

    const refused = await site.post<ApiErrorBody>(commentFields(page));
    expect([refused.status, refused.body.error.code]).toEqual([403, 'thread_closed']);
    expect(refused.body.error.message).toMatch(/closed/);
    const listed = await site.admin<{ threads: ThreadState[] }>('GET', '/threads/closed');
    expect(listed.body.threads.map((entry) => entry.pageId)).toEqual([page]);

    await site.admin('PUT', '/threads', { json: { page, closed: false } });
    expect((await site.thread(page)).closed).toBeUndefined();
    expect((await site.post(commentFields(page))).status).toBe(201);
    expect((await site.admin<ThreadState>('GET', `/threads?page=${encodeURIComponent(page)}`)).body.closed).toBe(false);
  });

  it('refuses an edit on a closed thread as it refuses a new comment, writes nothing, and lets the author delete', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    const { comment, editToken } = await site.postOk(commentFields(page, { body: 'Published before the close' }));
    await site.admin('PUT', '/threads', { json: { page, closed: true } });

    const counted = countingKv(site.bindings.SALA);
    const authorsRequest = (method: string, json?: unknown) =>
      send<ApiErrorBody>(method, `/api/v1/comments/${comment.id}?site=${site.id}&page=${encodeURIComponent(page)}`, {
        ...(json !== undefined ? { json } : {}),
        headers: { Authorization: `Bearer ${editToken}` },
        bindings: { ...site.bindings, SALA: counted.kv },
      });
    const edit = await authorsRequest('PATCH', { page, body: 'Rewritten after the owner closed the thread' });
    const post = await site.post<ApiErrorBody>(commentFields(page));
    expect([post.status, post.body.error.code]).toEqual([403, 'thread_closed']);
    expect([edit.status, edit.body.error]).toEqual([403, post.body.error]);
    expect(counted.calls.filter(({ method }) => method === 'put' || method === 'delete')).toEqual([]);
    expect((await site.thread(page)).comments.map((shown) => shown.body)).toEqual(['Published before the close']);

    // Taking one's own words back adds nothing to the thread: deleting stays open within the window.
    expect((await authorsRequest('DELETE')).status).toBe(200);
    expect((await site.thread(page)).comments).toEqual([]);
  });

  it('links a closed Blogger post where it is served: the address the owner sent, else its comments’', async () => {
    const site = await TestSite.create();
    const post = `${freshPage()}.html`;
    const id = post.replace(/\.html$/, '');
    await site.postOk({ ...commentFields(post), pageUrl: post });
    const queued = await site.queue('approved');
    expect(queued.comments.map((comment) => [comment.pageId, comment.pageUrl])).toEqual([[id, post]]);

    // The admin page sends the comment's address; a script sending none gets the one the comments came with.
    const sent = await site.admin<ThreadState>('PUT', '/threads', { json: { page: id, pageUrl: post, closed: true } });
    expect(sent.body).toMatchObject({ pageId: id, pageUrl: post, closed: true });
    await site.admin('PUT', '/threads', { json: { page: id, closed: false } });
    await rebuildsDone();
    const fromComments = await site.admin<ThreadState>('PUT', '/threads', { json: { page: id, closed: true } });
    expect(fromComments.body.pageUrl).toBe(post);
    const listed = await site.admin<{ threads: ThreadState[] }>('GET', '/threads/closed');
    expect(listed.body.threads).toEqual([expect.objectContaining({ pageId: id, pageUrl: post })]);

    // Another page's address is no link to this one; one that is no address at all is refused.
    const other = await site.admin<ThreadState>('PUT', '/threads', {
      json: { page: id, pageUrl: 'https://evil.example/x.html', closed: true },
    });
    expect(other.body.pageUrl).toBe(post);
    const bad = await site.admin<ApiErrorBody>('PUT', '/threads', {
      json: { page: id, pageUrl: 'javascript:alert(1)', closed: true },
    });
    expect([bad.status, bad.body.error.field]).toEqual([400, 'pageUrl']);
  });

  it('can close a page nobody has commented on yet', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    await site.admin('PUT', '/threads', { json: { page, closed: true } });
    expect((await site.thread(page)).closed).toBe(true);
    expect((await site.post(commentFields(page))).status).toBe(403);
  });
});

describe('spam layers', () => {
  it('refuses a filled honeypot and stores nothing', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    for (const hp of ['https://spam.example', 1, ' ']) {
      const sent = await site.post<ApiErrorBody>({ ...commentFields(page), hp });
      expect([sent.status, sent.body.error.code]).toEqual([400, 'comment_rejected']);
    }
    expect((await site.post({ ...commentFields(page), hp: '' })).status).toBe(201);
    const { keys } = await env.SALA.list({ prefix: `v1:status:${site.id}:` });
    expect(keys).toHaveLength(1);
  });

  it('refuses a form sent faster than a person can write', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    const fast = await site.post<ApiErrorBody>(commentFields(page, { elapsedMs: 800 }));
    expect([fast.status, fast.body.error.code]).toEqual([400, 'comment_rejected']);
    expect((await site.post(commentFields(page, { elapsedMs: 3500 }))).status).toBe(201);
  });

  it('caps links per comment at the site’s setting', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    const links = (n: number) => Array.from({ length: n }, (_, i) => `https://l${i}.example.com`).join(' and ');
    const over = await site.post<ApiErrorBody>(commentFields(page, { body: `Look: ${links(4)}` }));
    expect([over.status, over.body.error.code, over.body.error.field]).toEqual([400, 'comment_rejected', 'body']);
    expect((await site.post(commentFields(page, { body: `Look at these three: ${links(3)}` }))).status).toBe(201);
    await site.settings({ maxLinks: 0 });
    expect((await site.post(commentFields(page, { body: 'Just one: https://example.com' }))).status).toBe(400);
  });

  it('refuses the same text twice on a page, while short replies may repeat', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    const body = 'What a wonderful article, thank you';
    expect((await site.post(commentFields(page, { body }))).status).toBe(201);
    const again = await site.post<ApiErrorBody>(commentFields(page, { body: `  ${body.toUpperCase()} ` }));
    expect([again.status, again.body.error.code]).toEqual([409, 'duplicate_comment']);
    // After the rebuild the snapshot knows it too (another isolate would find it there).
    await rebuildsDone();
    expect((await site.post(commentFields(page, { body }))).status).toBe(409);
    expect((await site.post(commentFields(freshPage(), { body }))).status).toBe(201);
    expect((await site.post(commentFields(page, { body: 'Thanks!' }))).status).toBe(201);
    expect((await site.post(commentFields(page, { body: 'Thanks!' }))).status).toBe(201);
  });

  it('rate-limits comments per address', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    const address = freshAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await site.post(commentFields(page), address)).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429]);
    expect((await site.post(commentFields(page), freshAddress())).status).toBe(201);
    // Another address of the same IPv6 /64 is the same sender.
    expect((await site.post(commentFields(page), address.replace(/::1$/, '::2'))).status).toBe(429);
  });

  it('takes a handful of edits of one comment, then 429 too_many_edits with nothing written', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    const { comment, editToken } = await site.postOk(commentFields(page));
    const counted = countingKv(site.bindings.SALA);
    const edit = (body: string) =>
      send<ApiErrorBody>('PATCH', `/api/v1/comments/${comment.id}?site=${site.id}`, {
        json: { page, body },
        headers: { Authorization: `Bearer ${editToken}` },
        bindings: { ...site.bindings, SALA: counted.kv },
      });
    for (let i = 1; i <= LIMITS.editsPerComment; i++) expect((await edit(`Typo fixed, take ${i}`)).status).toBe(200);
    counted.calls.length = 0;
    const refused = await edit('One rewrite too many');
    expect([refused.status, refused.body.error.code]).toEqual([429, 'too_many_edits']);
    expect(refused.body.error.message).toMatch(/deleted/);
    // No wait lets it through, so no Retry-After sends a client back to try.
    expect(refused.headers.get('Retry-After')).toBeNull();
    expect(counted.calls.filter(({ method }) => method === 'put' || method === 'delete')).toEqual([]);
    const shown = (await site.thread(page)).comments.find((entry) => entry.id === comment.id);
    expect(shown?.body).toBe(`Typo fixed, take ${LIMITS.editsPerComment}`);
    // What the cap leaves its author: taking the comment back.
    const removed = await send(
      'DELETE',
      `/api/v1/comments/${comment.id}?site=${site.id}&page=${encodeURIComponent(page)}`,
      {
        headers: { Authorization: `Bearer ${editToken}` },
        bindings: site.bindings,
      },
    );
    expect(removed.status).toBe(200);
  });

  it('answers an edit KV refuses (one write a second to a key) 429 rate_limited, to retry in a second', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    const { comment, editToken } = await site.postOk(commentFields(page));
    const kv = site.bindings.SALA;
    const busy: KVNamespace = Object.assign(Object.create(kv) as KVNamespace, {
      get: kv.get.bind(kv),
      list: kv.list.bind(kv),
      delete: kv.delete.bind(kv),
      getWithMetadata: kv.getWithMetadata.bind(kv),
      put: async (key: string, ...rest: [string, KVNamespacePutOptions?]) => {
        if (key.startsWith('v1:comment:') && key.endsWith(comment.id))
          throw new Error('KV PUT failed: 429 Too Many Requests');
        return kv.put(key, ...rest);
      },
    });
    const refused = await send<ApiErrorBody>('PATCH', `/api/v1/comments/${comment.id}?site=${site.id}`, {
      json: { page, body: 'Sent twice in a second' },
      headers: { Authorization: `Bearer ${editToken}` },
      bindings: { ...site.bindings, SALA: busy },
    });
    expect([refused.status, refused.body.error.code]).toEqual([429, 'rate_limited']);
    expect(refused.headers.get('Retry-After')).toBe('1');
  });

  it('counts edits with comments in the address’s rate limit', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    const address = freshAddress();
    const { comment, editToken } = await site.postOk(commentFields(page), address);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const sent = await send('PATCH', `/api/v1/comments/${comment.id}?site=${site.id}`, {
        json: { page, body: `Edit number ${i}` },
        headers: { Authorization: `Bearer ${editToken}`, 'CF-Connecting-IP': address },
        bindings: site.bindings,
      });
      statuses.push(sent.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200]);
    const before = Date.now();
    const edited = await send<ApiErrorBody>('PATCH', `/api/v1/comments/${comment.id}?site=${site.id}`, {
      json: { page, body: 'The sixth request this minute' },
      headers: { Authorization: `Bearer ${editToken}`, 'CF-Connecting-IP': address },
      bindings: site.bindings,
    });
    expect([edited.status, edited.body.error.code]).toEqual([429, 'rate_limited']);
    expect(edited.body.error.message).toMatch(/wait a minute/);
    // The binding's minute is the clock's: the seconds left of it, as the request was answered.
    const leftOfMinute = (time: number) => 60 - (Math.floor(time / 1000) % 60);
    expect([leftOfMinute(before), leftOfMinute(Date.now())]).toContain(Number(edited.headers.get('Retry-After')));
    expect((await site.post(commentFields(page), address)).status).toBe(429);
    expect((await site.thread(page)).comments.find((entry) => entry.id === comment.id)?.body).toBe('Edit number 3');
  });

  it('holds a risky comment with its score and reasons, and files a very risky one as spam', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    // No timing (not sent by the widget) and mostly a link: held.
    const risky = await site.postOk({ page, name: 'Bob', body: 'https://deals.example.com/x' });
    expect(risky.comment.status).toBe('pending');
    // A web address as the name, no timing, links: spam. Its author is told "pending", nothing more.
    const spammy = await site.postOk({
      page,
      name: 'cheap-deals.com',
      website: 'https://cheap-deals.com',
      body: 'https://a.example.com https://b.example.com',
    });
    expect(spammy.comment.status).toBe('pending');

    const held = (await site.queue('pending')).comments.find((entry) => entry.id === risky.comment.id)!;
    expect(held.spam!.score).toBeGreaterThanOrEqual(3);
    expect(held.spam!.reasons.map((reason) => reason.code)).toEqual(expect.arrayContaining(['no-timing', 'link-only']));
    const spam = (await site.queue('spam')).comments.map((entry: AdminComment) => entry.id);
    expect(spam).toEqual([spammy.comment.id]);
  });

  it('holds obvious link spam on a new site with its reasons as codes, and publishes a reader citing an article', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    const body =
      'Best [online casino](https://casino.example/win) bonus! Cheap pills: https://pills.example/buy and ' +
      'more casino slots at https://slots.example';
    const spam = await site.postOk(commentFields(page, { name: 'Lucky', body }));
    // Its author learns nothing of the verdict; readers do not see it.
    expect(spam.comment.status).toBe('pending');
    await rebuildsDone();
    expect((await site.thread(page)).comments).toEqual([]);

    const filed = [...(await site.queue('pending')).comments, ...(await site.queue('spam')).comments];
    const held = filed.find((entry) => entry.id === spam.comment.id)!;
    expect(held.heldBecause).toEqual([{ code: 'spam-score', score: held.spam!.score }]);
    expect(held.spam!.reasons).toEqual(
      expect.arrayContaining([
        { code: 'links', points: 2, count: 3 },
        { code: 'first-time-links', points: 1, count: 3 },
        { code: 'keyword-links', points: 2, count: 1 },
        expect.objectContaining({
          code: 'spam-words',
          words: expect.arrayContaining(['online casino', 'cheap pills']),
        }),
      ]),
    );

    const reader = await site.postOk(
      commentFields(page, { body: 'MDN explains this well: https://developer.mozilla.org/docs/Web/API/Fetch_API' }),
    );
    expect(reader.comment.status).toBeUndefined();
  });

  it('never shows readers anything of moderation: no email, IP hash, score or reasons', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    await site.postOk(commentFields(page), freshAddress());
    await rebuildsDone();
    const sent = await send('GET', `/api/v1/comments?site=${site.id}&page=${encodeURIComponent(page)}`, {
      bindings: site.bindings,
    });
    for (const secret of ['dara@example.com', 'ipHash', 'spam', 'heldBecause', 'reasons']) {
      expect(sent.text).not.toContain(secret);
    }
  });
});

describe('edits by the commenter', () => {
  it('keeps a held comment held and unseen, and refuses an edit that adds reject words or too many links', async () => {
    const site = await TestSite.create();
    await site.settings({ moderation: 'hold-all', rejectWords: ['casino'] });
    const page = freshPage();
    const { comment, editToken } = await site.postOk(commentFields(page));
    const edit = (body: string) =>
      send<{ comment: { status?: string } } & ApiErrorBody>('PATCH', `/api/v1/comments/${comment.id}?site=${site.id}`, {
        json: { page, body },
        headers: { Authorization: `Bearer ${editToken}` },
        bindings: site.bindings,
      });

    const fixed = await edit('Fixed a typo in my comment');
    expect([fixed.status, fixed.body.comment.status]).toEqual([200, 'pending']);
    expect((await site.thread(page)).comments).toEqual([]);
    expect((await site.queue('pending')).comments[0]!.body).toBe('Fixed a typo in my comment');

    expect((await edit('Visit the casino')).body.error.code).toBe('comment_rejected');
    const links = 'https://a.example https://b.example https://c.example https://d.example';
    expect((await edit(links)).body.error).toMatchObject({ code: 'comment_rejected', field: 'body' });
  });

  it('sends a published comment back to the queue when an edit brings in a link or a hold word', async () => {
    const site = await TestSite.create();
    await site.settings({ moderation: 'hold-links', holdWords: ['lottery'] });
    for (const [change, reason] of [
      // Little besides a stranger's link: a new comment saying this is held for its score too.
      ['Now with https://spam.example', [{ code: 'edit-added-link' }, { code: 'spam-score', score: 3 }]],
      ['Now about the lottery', [{ code: 'hold-word', word: 'lottery' }]],
    ] as const) {
      const page = freshPage();
      const { comment, editToken } = await site.postOk(commentFields(page, { body: 'A clean first comment' }));
      expect(comment.status).toBeUndefined(); // published at once: no link, no hold word
      const edited = await send<{ comment: { status?: string } }>(
        'PATCH',
        `/api/v1/comments/${comment.id}?site=${site.id}`,
        { json: { page, body: change }, headers: { Authorization: `Bearer ${editToken}` }, bindings: site.bindings },
      );
      expect([edited.status, edited.body.comment.status]).toEqual([200, 'pending']);
      await rebuildsDone();
      expect((await site.thread(page)).comments).toEqual([]);
      const held = (await site.queue('pending')).comments.find((entry) => entry.id === comment.id);
      expect(held?.heldBecause).toEqual(reason);
    }
  });

  it('sends a published comment back to the queue when an edit turns it into what a new comment is held for', async () => {
    const site = await TestSite.create(); // publish, the default: only the spam score holds a comment
    const page = freshPage();
    const spam = 'Cheap viagra and online casino bonus, best prices: [buy viagra now](https://pills-shop.xyz/buy)';
    // Sent as a new comment, this text is filed as spam, not shown.
    expect((await site.postOk(commentFields(page, { body: spam }))).comment.status).toBe('pending');
    const { comment, editToken } = await site.postOk(commentFields(page, { body: 'Lovely photos of the river' }));
    expect(comment.status).toBeUndefined();

    const edited = await send<{ comment: { status?: string } }>(
      'PATCH',
      `/api/v1/comments/${comment.id}?site=${site.id}`,
      {
        json: { page, body: spam },
        headers: { Authorization: `Bearer ${editToken}` },
        bindings: site.bindings,
      },
    );
    expect([edited.status, edited.body.comment.status]).toEqual([200, 'pending']);
    await rebuildsDone();
    expect((await site.thread(page)).comments).toEqual([]);
    const held = (await site.queue('pending')).comments.find((entry) => entry.id === comment.id);
    expect(held?.heldBecause).toEqual([{ code: 'spam-score', score: expect.any(Number) }]);
  });
});
