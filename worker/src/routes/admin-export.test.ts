/** The owner's export: every comment in every state, thread states, bans and settings, page by page, no secrets. */
import {
  mergeExportPages,
  type AdminCommentListResponse,
  type ApiErrorBody,
  type CreateCommentResponse,
  type ExportDocument,
  type ExportPage,
} from '@sala/protocol';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { EXPORT_PAGE_KEYS } from '../domain/site-export.js';
import type { StoredComment } from '../domain/stored-comment.js';
import { CommentStore } from '../storage/comments.js';
import { pageRef, siteCommentPrefix } from '../storage/keys.js';
import { commentFields, countingKv, freshPage, rebuildsDone, send, type SendOptions } from '../testing.js';
import { createToken, freshAddress, TestSite } from '../testing-admin.js';

/** Fetches every page as the admin page does and assembles the document; `pages` records each page. */
async function exportAll(
  site: TestSite,
  options: SendOptions = {},
): Promise<{ document: ExportDocument; pages: ExportPage[]; text: string }> {
  const pages: ExportPage[] = [];
  let text = '';
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? '' : `?cursor=${encodeURIComponent(cursor)}`;
    const sent = await site.admin<ExportPage>('GET', `/export${query}`, options);
    if (sent.status !== 200) throw new Error(`export failed: ${sent.status} ${sent.text}`);
    expect(sent.headers.get('Cache-Control')).toBe('no-store');
    pages.push(sent.body);
    text += sent.text;
    cursor = sent.body.nextCursor;
  } while (cursor !== null);
  return { document: mergeExportPages(pages, new Date()), pages, text };
}

/** Every value stored for the site's comments: their hashes must never reach the export. */
async function storedRecords(site: string): Promise<StoredComment[]> {
  const { keys } = await env.SALA.list({ prefix: siteCommentPrefix(site) });
  return Promise.all(keys.map(async ({ name }) => (await env.SALA.get<StoredComment>(name, 'json'))!));
}

describe('GET /api/v1/admin/sites/:site/export', () => {
  it('exports every state, deleted placeholders, pins, owner replies, closed threads, bans and settings, without secrets', async () => {
    const site = await TestSite.create();
    await site.settings({ moderation: 'hold-all', holdWords: ['casino'] });
    const page = freshPage('walk');
    const quiet = freshPage('quiet');
    const post = (body: string, email: string) =>
      site.postOk(
        commentFields(page, {
          body,
          email,
          pageUrl: `${page}.html`,
          commenterKey: `browser-key-${crypto.randomUUID()}`,
        }),
        freshAddress(),
      );
    const approved = await post('Lovely walk', 'approved@example.com');
    const pending = await post('Still waiting', 'pending@example.com');
    const spam = await post('Cheap pills', 'spam@example.com');
    const rejected = await post('Rude words', 'rejected@example.com');
    const erasedByAuthor = await post('I take it back', 'gone@example.com');
    await site.moderate('approve', [{ page, id: approved.comment.id }]);
    await site.moderate('pin', [{ page, id: approved.comment.id }]);
    await site.moderate('spam', [{ page, id: spam.comment.id }]);
    await site.moderate('reject', [{ page, id: rejected.comment.id }]);
    const reply = await site.admin<{ comment: { id: string } }>('POST', '/comments', {
      json: { page, parentId: approved.comment.id, body: 'Thank you!' },
    });
    expect(reply.status).toBe(201);
    const deleted = await send(
      'DELETE',
      `/api/v1/comments/${erasedByAuthor.comment.id}?site=${site.id}&page=${encodeURIComponent(page)}`,
      {
        headers: { Authorization: `Bearer ${erasedByAuthor.editToken}` },
        bindings: site.bindings,
      },
    );
    expect(deleted.status).toBe(200);
    expect(
      (await site.admin('PUT', '/threads', { json: { page: quiet, pageUrl: `${quiet}.html`, closed: true } })).status,
    ).toBe(200);
    expect((await site.admin('PUT', '/threads', { json: { page, closed: true } })).status).toBe(200);
    const { comments: held } = await site.queue('spam');
    const ipHash = held[0]!.ipHash!;
    for (const ban of [
      { kind: 'email', value: 'Troll@Example.com', reason: 'abuse' },
      { kind: 'name', value: 'Spammy Sam', durationSeconds: 86_400 },
      { kind: 'ip', value: ipHash },
    ]) {
      expect((await site.admin('POST', '/bans', { json: ban })).status).toBe(201);
    }
    // Keys last: Akismet and Turnstile would otherwise be asked about the comments above.
    await site.settings({
      turnstile: { siteKey: '0x4AAA-site-key', secretKey: 'turnstile-secret-do-not-export' },
      akismet: { apiKey: 'akismet-key-do-not-export', blogUrl: 'https://blog.example.com' },
      webhooks: [
        {
          id: 'chat',
          url: 'https://hooks.example.com/sala',
          format: 'json',
          events: [],
          secret: 'webhook-secret-do-not-export',
        },
      ],
      notifyEmail: 'owner@example.com',
    });
    await rebuildsDone();

    const { document, text } = await exportAll(site);
    expect(document.version).toBe(1);
    const [exported] = document.sites;
    expect(exported).toMatchObject({ site: site.id, name: 'Test blog', ipBansLeftOut: 1 });
    expect(exported!.settings).toEqual({
      extraOrigins: [],
      moderation: 'hold-all',
      rejectWords: [],
      holdWords: ['casino'],
      maxLinks: 3,
      ownerName: 'Test blog',
      turnstile: { siteKey: '0x4AAA-site-key' },
      akismet: { blogUrl: 'https://blog.example.com' },
      webhooks: [{ id: 'chat', url: 'https://hooks.example.com/sala', format: 'json', events: [] }],
      notifyEmail: 'owner@example.com',
    });
    expect(
      exported!.bans.map(({ kind, value, reason, expiresAt }) => ({
        kind,
        value,
        reason,
        forever: expiresAt === null,
      })),
    ).toEqual(
      expect.arrayContaining([
        { kind: 'email', value: 'troll@example.com', reason: 'abuse', forever: true },
        { kind: 'name', value: 'Spammy Sam', reason: undefined, forever: false },
      ]),
    );
    expect(exported!.bans).toHaveLength(2);

    const walk = exported!.threads.find((thread) => thread.pageId === page)!;
    expect(walk).toMatchObject({ pageUrl: `${page}.html`, closed: true });
    const byId = new Map(walk.comments.map((comment) => [comment.id, comment]));
    expect(walk.comments.map((comment) => comment.id)).toEqual([
      approved.comment.id,
      pending.comment.id,
      spam.comment.id,
      rejected.comment.id,
      erasedByAuthor.comment.id,
      reply.body.comment.id,
    ]);
    expect(byId.get(approved.comment.id)).toMatchObject({
      status: 'approved',
      pinned: true,
      body: 'Lovely walk',
      author: { name: 'Dara', email: 'approved@example.com' },
    });
    expect(byId.get(pending.comment.id)).toMatchObject({ status: 'pending', author: { email: 'pending@example.com' } });
    expect(byId.get(spam.comment.id)!.status).toBe('spam');
    expect(byId.get(rejected.comment.id)!.status).toBe('rejected');
    expect(byId.get(erasedByAuthor.comment.id)).toMatchObject({ body: '', author: { name: '' } });
    expect(byId.get(erasedByAuthor.comment.id)!.deletedAt).toMatch(/^\d{4}-/);
    expect(byId.get(reply.body.comment.id)).toMatchObject({
      parentId: approved.comment.id,
      status: 'approved',
      author: { owner: true, name: 'Test blog' },
    });
    expect(exported!.threads.find((thread) => thread.pageId === quiet)).toMatchObject({
      pageUrl: `${quiet}.html`,
      closed: true,
      comments: [],
    });

    // No secret and no hash derived from one: every hash the Worker stored for these comments, the edit tokens,
    // the settings' keys, the password and the signing secret.
    const records = await storedRecords(site.id);
    const hashes = records.flatMap((record) => [
      record.tokenHash,
      record.ipHash,
      record.commenterHash,
      record.author.avatar,
    ]);
    const secrets = [
      ...hashes.filter((hash): hash is string => typeof hash === 'string' && hash !== ''),
      ipHash,
      ...[approved, pending, spam, rejected, erasedByAuthor].map((sent: CreateCommentResponse) => sent.editToken),
      'turnstile-secret-do-not-export',
      'akismet-key-do-not-export',
      'webhook-secret-do-not-export',
      env.ADMIN_PASSWORD,
      env.SALA_SECRET,
    ];
    expect(secrets.length).toBeGreaterThan(15);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/tokenHash|ipHash|commenterHash|secretKey|apiKey|"secret"|"avatar"/);
  });

  it('pages through a site larger than one request may read, each page within about 100 KV reads', async () => {
    const site = await TestSite.create();
    const kv = new CommentStore(env.SALA);
    const seeded = new Map<string, string[]>();
    for (const [label, count] of [
      ['a', 120],
      ['b', 70],
      ['c', 40],
    ] as const) {
      const pageId = freshPage(label);
      const page = await pageRef(site.id, pageId);
      const ids = Array.from({ length: count }, (_, i) => `01JD${label.toUpperCase()}${String(i).padStart(21, '0')}`);
      seeded.set(pageId, ids);
      await Promise.all(
        ids.map((id, i) =>
          kv.put(page, {
            id,
            pageId,
            parentId: i > 0 && i % 10 === 0 ? ids[i - 1]! : null,
            status: i % 7 === 0 ? 'pending' : 'approved',
            author: { name: `Reader ${i}`, email: `r${i}@example.com`, avatar: 'seed' },
            body: `Comment ${i}`,
            createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
            tokenHash: 'f'.repeat(64),
          }),
        ),
      );
    }

    const counted = countingKv(env.SALA);
    const readsPerRequest: number[] = [];
    const pages: ExportPage[] = [];
    let cursor: string | null = null;
    do {
      counted.calls.length = 0;
      const query: string = cursor === null ? '' : `?cursor=${encodeURIComponent(cursor)}`;
      const sent = await site.admin<ExportPage>('GET', `/export${query}`, {
        bindings: { ...site.bindings, SALA: counted.kv },
      });
      expect(sent.status).toBe(200);
      readsPerRequest.push(
        counted.calls
          .filter((call) => call.method === 'get' || call.method === 'list')
          .reduce((sum, call) => sum + (Array.isArray(call.args[0]) ? call.args[0].length : 1), 0),
      );
      pages.push(sent.body);
      cursor = sent.body.nextCursor;
    } while (cursor !== null);

    expect(pages.length).toBeGreaterThanOrEqual(3);
    // Each comment and its decision, plus the first page's settings, bans and closed threads.
    expect(Math.max(...readsPerRequest)).toBeLessThanOrEqual(2 * EXPORT_PAGE_KEYS + 5);
    const threads = mergeExportPages(pages, new Date()).sites[0]!.threads;
    expect(threads).toHaveLength(3);
    for (const [pageId, ids] of seeded) {
      const thread = threads.find((candidate) => candidate.pageId === pageId)!;
      expect(thread.comments.map((comment) => comment.id)).toEqual(ids);
    }
  });

  it('opens with an API token, refuses without a session, and names a bad cursor', async () => {
    const site = await TestSite.create();
    const { token } = await createToken(site.cookie, 'backup');
    const withToken = await send<ExportPage>('GET', `/api/v1/admin/sites/${site.id}/export`, {
      headers: { Authorization: `Bearer ${token}` },
      bindings: site.bindings,
      origin: null,
    });
    expect(withToken.status).toBe(200);
    expect(withToken.body).toMatchObject({ version: 1, site: site.id, threads: [], nextCursor: null });

    const anonymous = await send<ApiErrorBody>('GET', `/api/v1/admin/sites/${site.id}/export`, {
      bindings: site.bindings,
      origin: null,
    });
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, 'unauthorized']);

    const badCursor = await site.admin<ApiErrorBody>('GET', '/export?cursor=nonsense');
    expect([badCursor.status, badCursor.body.error.field]).toEqual([400, 'cursor']);
  });

  it('lists the comments the admin queue lists, whatever their state', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    await site.postOk(commentFields(page));
    const queue: AdminCommentListResponse = await site.queue('approved');
    const { document } = await exportAll(site);
    expect(document.sites[0]!.threads[0]!.comments.map((comment) => comment.id)).toEqual(
      queue.comments.map((comment) => comment.id),
    );
  });
});
