/**
 * Sala's own export, imported into another site: the same threads, statuses, pins, owner badges, edit and deletion
 * times, closed threads, settings and bans come back (export, import, export again: identical); importing twice adds
 * and writes nothing; `?dryRun=1` answers what the import does, writing nothing.
 */
import {
  exportToImportThreads,
  LIMITS,
  mergeExportPages,
  type ExportDocument,
  type ExportPage,
  type ImportRequest,
  type ImportResponse,
  type ImportThread,
  type ThreadResponse,
} from '@sala/protocol';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { EXPORT_PAGE_IMPORTED, EXPORT_PAGE_IMPORTED_COMMENTS } from '../domain/site-export.js';
import { defaultSiteSettings } from '../domain/site-settings.js';
import { commentFields, countingKv, freshPage, rebuildsDone, send, type SendOptions } from '../testing.js';
import { freshAddress, TestSite } from '../testing-admin.js';

async function exportAll(
  site: TestSite,
  options: SendOptions = {},
): Promise<{ document: ExportDocument; pages: ExportPage[] }> {
  const pages: ExportPage[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? '' : `?cursor=${encodeURIComponent(cursor)}`;
    const sent = await site.admin<ExportPage>('GET', `/export${query}`, options);
    if (sent.status !== 200) throw new Error(`export failed: ${sent.status} ${sent.text}`);
    pages.push(sent.body);
    cursor = sent.body.nextCursor;
  } while (cursor !== null);
  return { document: mergeExportPages(pages, new Date()), pages };
}

/** What must be equal after a round trip: all of it but the site's id and the export's own time, in one order. */
function comparable(document: ExportDocument) {
  const { site: _site, ...exported } = document.sites[0]!;
  return {
    ...exported,
    threads: [...exported.threads].sort((a, b) => (a.pageId < b.pageId ? -1 : 1)),
  };
}

/**
 * Threads in requests as the Import tab sends them (packages/widgets/src/admin/import/batches.ts): at most 50
 * threads and `LIMITS.importComments` comments each, a bigger thread in parts of whole reply trees, one part of a
 * page per request.
 */
function inRequests(source: ImportRequest['source'], threads: ImportThread[]): ImportRequest[] {
  const requests: ImportRequest[] = [{ source, threads: [] }];
  let comments = 0;
  const add = (part: ImportThread) => {
    const current = requests.at(-1)!;
    const full =
      current.threads.length === 50 ||
      comments + part.comments.length > LIMITS.importComments ||
      current.threads.some((sent) => sent.pageId === part.pageId);
    if (full && current.threads.length > 0) {
      requests.push({ source, threads: [] });
      comments = 0;
    }
    requests.at(-1)!.threads.push(part);
    comments += part.comments.length;
  };
  for (const thread of threads) {
    const rootOf = new Map<string, string>();
    const trees = new Map<string, ImportThread['comments']>();
    for (const comment of thread.comments) {
      const root = (comment.parentSourceId && rootOf.get(comment.parentSourceId)) || comment.sourceId;
      rootOf.set(comment.sourceId, root);
      trees.set(root, [...(trees.get(root) ?? []), comment]);
    }
    let part: ImportThread['comments'] = [];
    for (const tree of trees.values()) {
      if (part.length + tree.length > LIMITS.importComments) {
        add({ ...thread, comments: part });
        part = [];
      }
      part.push(...tree);
    }
    if (part.length > 0 || thread.comments.length === 0) add({ ...thread, comments: part });
  }
  return requests;
}

/** The requests the Import tab sends for an export, settings and bans with the first. */
function importRequests(document: ExportDocument): ImportRequest[] {
  const [site] = document.sites;
  const requests = inRequests('sala', exportToImportThreads(document));
  requests[0]!.settings = site!.settings;
  requests[0]!.bans = site!.bans;
  return requests;
}

async function importAll(site: TestSite, requests: ImportRequest[], query = '', options: SendOptions = {}) {
  const answers: ImportResponse[] = [];
  for (const request of requests) {
    // A budget no other test's writes in the shared namespace can spend: these tests are about what is written.
    const bindings = { ...site.bindings, IMPORT_DAILY_LIMIT: '1000000', ...options.bindings };
    const sent = await site.admin<ImportResponse>('POST', `/import${query}`, { json: request, ...options, bindings });
    if (sent.status !== 200) throw new Error(`import failed: ${sent.status} ${sent.text}`);
    answers.push(sent.body);
  }
  await rebuildsDone();
  return answers;
}

async function publicThread(site: TestSite, page: string): Promise<ThreadResponse> {
  await rebuildsDone();
  const sent = await send<ThreadResponse>(
    'GET',
    `/api/v1/comments?site=${site.id}&page=${encodeURIComponent(page)}&limit=100`,
    { bindings: site.bindings },
  );
  expect(sent.status).toBe(200);
  return sent.body;
}

/** A site with every kind of thing an export holds, made through the public and admin routes. */
async function seededSite() {
  const site = await TestSite.create();
  await site.settings({ moderation: 'hold-all' });
  const page = freshPage('walk');
  const closed = freshPage('closed');
  const empty = freshPage('empty');
  const post = (target: string, body: string, email: string, parentId?: string) =>
    site.postOk(
      commentFields(target, {
        body,
        email,
        pageUrl: `${target}.html`,
        commenterKey: `browser-key-${crypto.randomUUID()}`,
        ...(parentId !== undefined ? { parentId } : {}),
      }),
      freshAddress(),
    );
  const approved = await post(page, 'Lovely walk', 'approved@example.com');
  const pending = await post(page, 'Still waiting', 'pending@example.com');
  const spam = await post(page, 'Cheap pills', 'spam@example.com');
  const rejected = await post(page, 'Rude words', 'rejected@example.com');
  const erased = await post(page, 'I take it back', 'gone@example.com');
  // Replies go to visible comments only: approve the one its author deletes later first.
  await site.moderate('approve', [{ page, id: erased.comment.id }]);
  const underErased = await post(page, 'Replying to what was said', 'reply@example.com', erased.comment.id);
  const edited = await post(page, 'First thoghts', 'edit@example.com');
  const onClosed = await post(closed, 'Before it closed', 'early@example.com');
  const approve = [approved, underErased, edited].map((sent) => ({ page, id: sent.comment.id }));
  approve.push({ page: closed, id: onClosed.comment.id });
  // More threads than one export page reads of imported documents, so the target's export pages through them.
  for (let i = 0; i <= EXPORT_PAGE_IMPORTED; i++) {
    const other = freshPage(`more-${i}`);
    approve.push({ page: other, id: (await post(other, `Note ${i}`, `n${i}@example.com`)).comment.id });
  }
  await site.moderate('approve', approve);
  await site.moderate('pin', [{ page, id: approved.comment.id }]);
  await site.moderate('spam', [{ page, id: spam.comment.id }]);
  await site.moderate('reject', [{ page, id: rejected.comment.id }]);
  const reply = await site.admin<{ comment: { id: string } }>('POST', '/comments', {
    json: { page, parentId: approved.comment.id, body: 'Thank you!' },
  });
  expect(reply.status).toBe(201);
  const changed = await send('PATCH', `/api/v1/comments/${edited.comment.id}?site=${site.id}`, {
    json: { page, body: 'First thoughts' },
    headers: { Authorization: `Bearer ${edited.editToken}` },
    bindings: site.bindings,
  });
  expect(changed.status).toBe(200);
  const deleted = await send(
    'DELETE',
    `/api/v1/comments/${erased.comment.id}?site=${site.id}&page=${encodeURIComponent(page)}`,
    {
      headers: { Authorization: `Bearer ${erased.editToken}` },
      bindings: site.bindings,
    },
  );
  expect(deleted.status).toBe(200);
  for (const [target, pageUrl] of [
    [closed, `${closed}.html`],
    [empty, `${empty}.html`],
  ]) {
    expect((await site.admin('PUT', '/threads', { json: { page: target, pageUrl, closed: true } })).status).toBe(200);
  }
  for (const ban of [
    { kind: 'email', value: 'troll@example.com', reason: 'abuse' },
    { kind: 'name', value: 'Spammy Sam', durationSeconds: 86_400 },
  ]) {
    expect((await site.admin('POST', '/bans', { json: ban })).status).toBe(201);
  }
  await site.settings({
    moderation: 'hold-first-time',
    holdWords: ['casino'],
    rejectWords: ['pills'],
    maxLinks: 1,
    ownerName: 'Sophea',
    notifyEmail: 'owner@example.com',
  });
  await rebuildsDone();
  return { site, page, closed, empty, ids: { approved, erased, underErased, edited, reply: reply.body.comment.id } };
}

/**
 * One seeded site and its export for the tests that only read it (and the one that re-imports into it, which writes
 * nothing there, as it checks): seeding takes some 30 requests.
 */
let shared: Promise<Awaited<ReturnType<typeof seededSite>> & { document: ExportDocument }> | undefined;
function seededExport() {
  shared ??= (async () => {
    const seeded = await seededSite();
    return { ...seeded, document: (await exportAll(seeded.site)).document };
  })();
  return shared;
}

describe('importing a Sala export', () => {
  it('gives back the same site: export, import into a fresh site, export again are identical', async () => {
    const seeded = await seededExport();
    const walk = seeded.document.sites[0]!.threads.find((thread) => thread.pageId === seeded.page)!;
    // The seed holds what the round trip must keep: a placeholder with a reply, an edit, a pin, the owner's reply.
    expect(walk.comments.find((c) => c.id === seeded.ids.erased.comment.id)!.deletedAt).toBeDefined();
    expect(walk.comments.find((c) => c.id === seeded.ids.edited.comment.id)!.editedAt).toBeDefined();
    expect(walk.comments.filter((c) => c.pinned === true)).toHaveLength(1);
    expect(walk.comments.find((c) => c.id === seeded.ids.reply)!.author.owner).toBe(true);
    expect(new Set(walk.comments.map((c) => c.status))).toEqual(new Set(['approved', 'pending', 'spam', 'rejected']));

    const target = await TestSite.create();
    const answers = await importAll(target, importRequests(seeded.document));
    expect(answers[0]).toMatchObject({ settings: 'applied', bansAdded: 2 });
    const second = await exportAll(target);
    // Every comment of the target is imported: its export walks the imported documents.
    expect(second.pages.flatMap((page) => page.threads).length).toBeGreaterThan(EXPORT_PAGE_IMPORTED);
    expect(comparable(second.document)).toEqual(comparable(seeded.document));

    // Readers see the same thread: the pin first, the placeholder keeping its reply, the owner's badge, the edit.
    const [before, after] = await Promise.all([
      publicThread(seeded.site, seeded.page),
      publicThread(target, seeded.page),
    ]);
    const shown = (thread: ThreadResponse) =>
      JSON.stringify(thread, (key, value: unknown) => (key === 'avatar' ? undefined : value));
    expect(shown(after)).toEqual(shown(before));
    expect((await publicThread(target, seeded.closed)).closed).toBe(true);
  });

  it('a second import adds nothing and writes nothing; a dry run answers the same as the import, writing nothing', async () => {
    const seeded = await seededExport();
    const { document } = seeded;
    const requests = importRequests(document);
    const target = await TestSite.create();

    const dry = countingKv(env.SALA);
    const dryAnswers = await importAll(target, requests, '?dryRun=1', {
      bindings: { ...target.bindings, SALA: dry.kv },
    });
    const dryWrites = dry.calls.filter((call) => call.method === 'put' || call.method === 'delete');
    expect(dryWrites).toEqual([]);
    expect((await exportAll(target)).document.sites[0]!.threads).toEqual([]);

    const answers = await importAll(target, requests);
    // Each answered at its own time.
    const untimed = (all: ImportResponse[]) => all.map(({ serverTime: _, ...answer }) => answer);
    expect(untimed(dryAnswers)).toEqual(untimed(answers));
    expect(answers.flatMap((answer) => answer.threads).every((thread) => thread.outcome === 'imported')).toBe(true);

    const again = countingKv(env.SALA);
    const repeat = await importAll(target, requests, '', { bindings: { ...target.bindings, SALA: again.kv } });
    expect(repeat[0]).toMatchObject({ settings: 'unchanged', bansAdded: 0 });
    expect(repeat.flatMap((answer) => answer.threads).map((thread) => [thread.outcome, thread.added])).toEqual(
      answers.flatMap((answer) => answer.threads).map(() => ['unchanged', 0]),
    );
    expect(again.calls.filter((call) => call.method === 'put' || call.method === 'delete')).toEqual([]);
  });

  it('re-imported into the site it came from, finds every comment already there: nothing new, nothing written', async () => {
    const seeded = await seededExport();
    const { document } = seeded;
    const requests = importRequests(document);
    const threads = requests.flatMap((request) => request.threads);
    expect(threads.flatMap((thread) => thread.comments).length).toBeGreaterThan(10);

    const before = await publicThread(seeded.site, seeded.page);
    const dry = await importAll(seeded.site, requests, '?dryRun=1');
    const counted = countingKv(env.SALA);
    const answers = await importAll(seeded.site, requests, '', {
      bindings: { ...seeded.site.bindings, SALA: counted.kv },
    });
    for (const answer of [dry, answers]) {
      expect(answer.flatMap((sent) => sent.threads).map((thread) => [thread.outcome, thread.added])).toEqual(
        threads.map(() => ['unchanged', 0]),
      );
    }
    expect(answers[0]).toMatchObject({ settings: 'unchanged', bansAdded: 0 });
    expect(counted.calls.filter((call) => call.method === 'put' || call.method === 'delete')).toEqual([]);
    expect(await publicThread(seeded.site, seeded.page)).toEqual(before);
  });

  it('keeps the target owner’s saved settings unless the request says replaceSettings', async () => {
    const seeded = await seededExport();
    const { document } = seeded;
    const [first] = importRequests(document);
    const target = await TestSite.create();
    await target.settings({ moderation: 'hold-all', maxLinks: 5 });

    const kept = await importAll(target, [{ ...first!, threads: [] }]);
    expect(kept[0]!.settings).toBe('kept');
    expect((await exportAll(target)).document.sites[0]!.settings).toMatchObject({
      moderation: 'hold-all',
      maxLinks: 5,
    });

    const replaced = await importAll(target, [{ ...first!, threads: [], replaceSettings: true }]);
    expect(replaced[0]!.settings).toBe('applied');
    expect((await exportAll(target)).document.sites[0]!.settings).toEqual(document.sites[0]!.settings);
  });

  it('refuses bad settings, bans and placeholders naming the field, and writes nothing', async () => {
    const target = await TestSite.create();
    const page = freshPage();
    const placeholder = {
      sourceId: '01JD0000000000000000000000',
      authorName: '',
      body: '',
      createdAt: '2026-01-01T00:00:00Z',
      deletedAt: '2026-01-02T00:00:00Z',
      status: 'approved' as const,
    };
    const cases: [Record<string, unknown>, string][] = [
      [
        { source: 'sala', threads: [], settings: { ...defaultSiteSettings('x'), moderation: 'sometimes' } },
        'settings.moderation',
      ],
      [
        {
          source: 'sala',
          threads: [],
          bans: [{ kind: 'ip', value: 'x', createdAt: '2026-01-01T00:00:00Z', expiresAt: null }],
        },
        'bans[0].kind',
      ],
      [
        {
          source: 'sala',
          threads: [],
          bans: [{ kind: 'email', value: 'nope', createdAt: '2026-01-01T00:00:00Z', expiresAt: null }],
        },
        'bans[0].value',
      ],
      [{ source: 'disqus', threads: [{ pageId: page, comments: [] }], bans: [] }, 'bans'],
      [
        { source: 'sala', threads: [{ pageId: page, comments: [{ ...placeholder, body: 'still here' }] }] },
        'threads[0].comments[0].body',
      ],
      [
        {
          source: 'sala',
          threads: [{ pageId: page, comments: [{ ...placeholder, deletedAt: '2025-01-01T00:00:00Z' }] }],
        },
        'threads[0].comments[0].deletedAt',
      ],
      [
        { source: 'sala', threads: [{ pageId: page, closedAt: '2026-01-01T00:00:00Z', comments: [] }] },
        'threads[0].closedAt',
      ],
    ];
    const counted = countingKv(env.SALA);
    for (const [json, field] of cases) {
      const sent = await target.admin<{ error: { field?: string } }>('POST', '/import', {
        json,
        bindings: { ...target.bindings, SALA: counted.kv },
      });
      expect(sent.status, JSON.stringify(json)).toBe(400);
      expect(sent.body.error.field).toBe(field);
    }
    expect(counted.calls.filter((call) => call.method === 'put' || call.method === 'delete')).toEqual([]);
  });

  it('exports a large imported thread over several pages, each comment once, each page within a few KV calls', async () => {
    const site = await TestSite.create();
    const big = freshPage('big');
    const small = Array.from({ length: EXPORT_PAGE_IMPORTED + 2 }, (_, i) => freshPage(`small-${i}`));
    const comment = (sourceId: string, minute: number) => ({
      sourceId,
      authorName: `Reader ${sourceId}`,
      createdAt: new Date(Date.UTC(2020, 0, 1) + minute * 60_000).toISOString(),
      body: `Comment ${sourceId}`,
      status: 'approved' as const,
    });
    const bigCount = 2 * EXPORT_PAGE_IMPORTED_COMMENTS + 50;
    const requests = inRequests('blogger', [
      { pageId: big, comments: Array.from({ length: bigCount }, (_, i) => comment(`b${i}`, i)) },
      ...small.map((pageId, i) => ({ pageId, comments: [comment(`s${i}`, i)] })),
    ]);
    const answers = await importAll(site, requests);
    expect(answers.flatMap((answer) => answer.threads).every((thread) => thread.outcome === 'imported')).toBe(true);

    const counted = countingKv(env.SALA);
    const { document, pages } = await exportAll(site, { bindings: { ...site.bindings, SALA: counted.kv } });
    // Each request starts by reading the owner's session: the calls between two such reads are one page's.
    const perPage: number[] = [];
    for (const call of counted.calls) {
      if (call.method === 'get' && String(call.args[0]).startsWith('v1:session:')) perPage.push(0);
      perPage[perPage.length - 1]! += 1;
    }
    expect(perPage).toHaveLength(pages.length);
    const threads = document.sites[0]!.threads;
    const ids = threads.flatMap((thread) => thread.comments.map((c) => c.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(bigCount + small.length);
    expect(threads.find((thread) => thread.pageId === big)!.comments.map((c) => c.body)).toEqual(
      Array.from({ length: bigCount }, (_, i) => `Comment b${i}`),
    );
    expect(pages.length).toBeGreaterThanOrEqual(3);
    // The session, one list, the documents read one by one (up to 10), a bulk read per 50 of their comments and
    // one per document, plus the first page's settings, bans, closed threads and comment keys: far below 1,000.
    expect(Math.max(...perPage)).toBeLessThanOrEqual(30);
  });
});

/**
 * A thread's requests as the Import tab sends a post past `LIMITS.freePlanPostComments` comments: one part a request,
 * parts of `LIMITS.importComments` in the file's order, its last comment alone in the last part, each reply whose
 * parent is in another part with that parent's time (`ImportComment.parentCreatedAt`).
 */
function bigPostRequests(source: ImportRequest['source'], thread: ImportThread): ImportRequest[] {
  const rest = thread.comments.slice(0, -1);
  const parts = [
    ...Array.from({ length: Math.ceil(rest.length / LIMITS.importComments) }, (_, index) =>
      rest.slice(index * LIMITS.importComments, (index + 1) * LIMITS.importComments),
    ),
    thread.comments.slice(-1),
  ];
  const createdAtOf = new Map(thread.comments.map((comment) => [comment.sourceId, comment.createdAt]));
  return parts.map((comments, index) => {
    const here = new Set(comments.map((comment) => comment.sourceId));
    const sent = comments.map((comment) =>
      comment.parentSourceId && !here.has(comment.parentSourceId)
        ? { ...comment, parentCreatedAt: createdAtOf.get(comment.parentSourceId)! }
        : comment,
    );
    return { source, threads: [{ ...thread, comments: sent, part: { index, count: parts.length } }] };
  });
}

describe('a post of more than 41 parts', () => {
  it('comes back the same through export and import, each site publishing it from its parts’ shares, and imported twice writes nothing', async () => {
    const origin = await TestSite.create();
    const page = freshPage('big-stepped');
    const comments = Array.from({ length: 2100 }, (_, c) => ({
      sourceId: `b${c}`,
      authorName: `Reader b${c}`,
      createdAt: new Date(Date.UTC(2020, 0, 1) + c * 60_000).toISOString(),
      body: `Comment b${c}`,
      status: 'approved' as const,
      ...(c % 3 === 0 ? {} : { parentSourceId: `b${c - (c % 3)}` }),
    }));
    const splitParts = async (site: TestSite) => {
      const key = `v1:imported:${site.id}:`;
      const listed = await env.SALA.list<{ parts?: number }>({ prefix: key });
      return listed.keys.map((listedKey) => listedKey.metadata?.parts);
    };
    const answers = await importAll(origin, bigPostRequests('disqus', { pageId: page, comments }));
    expect(answers.at(-1)!.threads).toEqual([{ pageId: page, outcome: 'imported', added: comments.length }]);
    expect(await splitParts(origin)).toEqual([42]);
    const first = await exportAll(origin);

    const target = await TestSite.create();
    const [exported] = exportToImportThreads(first.document);
    const requests = bigPostRequests('sala', exported!);
    requests[0]!.settings = first.document.sites[0]!.settings;
    requests[0]!.bans = first.document.sites[0]!.bans;
    const imported = await importAll(target, requests);
    expect(imported.at(-1)!.threads).toEqual([{ pageId: page, outcome: 'imported', added: comments.length }]);
    expect(await splitParts(target)).toEqual([42]);
    const second = await exportAll(target);
    expect(comparable(second.document)).toEqual(comparable(first.document));
    expect((await publicThread(target, page)).total).toBe(comments.length);

    const again = countingKv(env.SALA);
    const repeat = await importAll(target, requests, '', { bindings: { ...target.bindings, SALA: again.kv } });
    expect(repeat.flatMap((answer) => answer.threads).map((thread) => thread.outcome)).toEqual(
      requests.map(() => 'unchanged'),
    );
    expect(again.calls.filter((call) => call.method === 'put' || call.method === 'delete')).toEqual([]);
  }, 120_000);
});
