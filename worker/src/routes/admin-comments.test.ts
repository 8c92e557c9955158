/** The owner's lists and decisions through the admin API. */
import { LIMITS, type AdminCommentListResponse, type AdminCommentResponse, type ApiErrorBody } from '@sala/protocol';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newCommentId } from '../domain/comment-id.js';
import { commentFields, freshPage, rebuildsDone } from '../testing.js';
import { TestSite } from '../testing-admin.js';
import { importedThreadKey, pageRef } from '../storage/keys.js';

/** One comment as the Import tab sends it. */
const importedComment = {
  sourceId: 'i1',
  authorName: 'Dara',
  createdAt: '2021-03-04T05:00:00.000Z',
  body: 'Written on the old blog',
  status: 'approved',
};

describe('owner comments', () => {
  it('publishes the owner’s reply at once with the owner badge and the settings’ name', async () => {
    const site = await TestSite.create();
    await site.settings({ ownerName: 'Sophea (author)' });
    const page = freshPage();
    const question = await site.postOk(commentFields(page, { body: 'When is part two coming out?' }));
    const reply = await site.admin<AdminCommentResponse>('POST', '/comments', {
      json: { page, parentId: question.comment.id, body: 'Next **week**!' },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.comment).toMatchObject({ status: 'approved', author: { name: 'Sophea (author)', owner: true } });

    const thread = await site.thread(page);
    expect(thread.comments.map((comment) => [comment.author.name, comment.author.owner ?? false])).toEqual([
      ['Dara', false],
      ['Sophea (author)', true],
    ]);
  });

  it('refuses a reply to a comment that is not shown', async () => {
    const site = await TestSite.create();
    await site.settings({ moderation: 'hold-all' });
    const page = freshPage();
    const held = await site.postOk(commentFields(page));
    const sent = await site.admin<ApiErrorBody>('POST', '/comments', {
      json: { page, parentId: held.comment.id, body: 'Hi' },
    });
    expect([sent.status, sent.body.error.code]).toEqual([400, 'parent_not_found']);
  });
});

describe('decisions', () => {
  it('pins a comment to the top of the thread and unpins it', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    const first = await site.postOk(commentFields(page));
    const second = await site.postOk(commentFields(page));
    const [pinned] = (await site.moderate('pin', [{ page, id: second.comment.id }])).results;
    expect(pinned).toMatchObject({ ok: true, comment: { pinned: true } });
    let thread = await site.thread(page);
    expect(thread.comments.map((comment) => comment.id)).toEqual([second.comment.id, first.comment.id]);
    expect(thread.comments[0]!.pinned).toBe(true);

    await site.moderate('unpin', [{ page, id: second.comment.id }]);
    thread = await site.thread(page);
    expect(thread.comments.map((comment) => comment.id)).toEqual([first.comment.id, second.comment.id]);
  });

  it('refuses to pin a reply, reporting it beside the others', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    const parent = await site.postOk(commentFields(page));
    const reply = await site.postOk(commentFields(page, { parentId: parent.comment.id }));
    const { results } = await site.moderate('pin', [
      { page, id: reply.comment.id },
      { page, id: parent.comment.id },
    ]);
    expect(results.map((result) => result.ok)).toEqual([false, true]);
    expect(results[0]).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('approves, rejects and marks spam in bulk, reporting each comment, unknown ones included', async () => {
    const site = await TestSite.create();
    await site.settings({ moderation: 'hold-all' });
    const page = freshPage();
    const otherPage = freshPage();
    const a = await site.postOk(commentFields(page));
    const b = await site.postOk(commentFields(page));
    const c = await site.postOk(commentFields(otherPage));
    const { results } = await site.moderate('approve', [
      { page, id: a.comment.id },
      { page, id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' },
      { page: otherPage, id: c.comment.id },
      // The right id on the wrong page is not found either.
      { page: otherPage, id: b.comment.id },
    ]);
    expect(results.map((result) => (result.ok ? 'ok' : result.error.code))).toEqual([
      'ok',
      'not_found',
      'ok',
      'not_found',
    ]);
    expect((await site.thread(page)).comments.map((comment) => comment.id)).toEqual([a.comment.id]);
    expect((await site.thread(otherPage)).comments.map((comment) => comment.id)).toEqual([c.comment.id]);

    await site.moderate('spam', [{ page, id: b.comment.id }]);
    await site.moderate('reject', [{ page, id: a.comment.id }]);
    expect((await site.thread(page)).comments).toEqual([]);
    const queue = await site.queue('spam');
    expect(queue.comments.map((comment) => comment.id)).toEqual([b.comment.id]);
    expect(queue.counts).toMatchObject({ pending: 0, approved: 1, spam: 1, rejected: 1 });
  });

  it('changes nothing when one reference in a bulk request is malformed', async () => {
    const site = await TestSite.create();
    await site.settings({ moderation: 'hold-all' });
    const page = freshPage();
    const a = await site.postOk(commentFields(page));
    const sent = await site.admin<ApiErrorBody>('POST', '/moderate', {
      json: {
        action: 'approve',
        comments: [
          { page, id: a.comment.id },
          { page, id: 'nope' },
        ],
      },
    });
    expect([sent.status, sent.body.error.field]).toEqual([400, 'comments[1].id']);
    expect((await site.queue('pending')).comments.map((comment) => comment.id)).toEqual([a.comment.id]);

    for (const [json, field] of [
      [{ action: 'bless', comments: [{ page, id: a.comment.id }] }, 'action'],
      [{ action: 'approve', comments: [] }, 'comments'],
      [{ action: 'approve', comments: [{ id: a.comment.id }] }, 'comments[0].page'],
    ] as const) {
      const bad = await site.admin<ApiErrorBody>('POST', '/moderate', { json });
      expect([bad.status, bad.body.error.field]).toEqual([400, field]);
    }
  });

  it('takes at most LIMITS.moderateComments comments per request, naming the limit, and changes nothing past it', async () => {
    const site = await TestSite.create();
    await site.settings({ moderation: 'hold-all' });
    const page = freshPage();
    const a = await site.postOk(commentFields(page));
    const refs = Array.from({ length: LIMITS.moderateComments + 1 }, () => ({ page, id: a.comment.id }));
    const sent = await site.admin<ApiErrorBody>('POST', '/moderate', { json: { action: 'approve', comments: refs } });
    expect([sent.status, sent.body.error.field]).toEqual([400, 'comments']);
    expect(sent.body.error.message).toContain(`at most ${LIMITS.moderateComments}`);
    expect((await site.queue('pending')).comments.map((comment) => comment.id)).toEqual([a.comment.id]);

    // At the limit: the one real comment is approved, the unknown ones are reported beside it.
    const unknown = Array.from({ length: LIMITS.moderateComments - 1 }, (_, i) => ({ page, id: newCommentId(i + 1) }));
    const atLimit = await site.moderate('approve', [{ page, id: a.comment.id }, ...unknown]);
    expect(atLimit.results.map((result) => result.ok)).toEqual([true, ...unknown.map(() => false)]);
    expect((await site.queue('pending')).comments).toEqual([]);
  });

  it('edits a comment’s body and deletes a comment for good', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    const a = await site.postOk(commentFields(page, { body: 'I wrote something rude' }));
    const edited = await site.admin<AdminCommentResponse>('PATCH', `/comments/${a.comment.id}`, {
      json: { page, body: 'I wrote something [edited by the owner]' },
    });
    expect(edited.status).toBe(200);
    expect((await site.thread(page)).comments[0]).toMatchObject({ body: 'I wrote something [edited by the owner]' });

    const [deleted] = (await site.moderate('delete', [{ page, id: a.comment.id }])).results;
    expect(deleted).toMatchObject({ ok: true, comment: { deleted: true, body: '' } });
    expect((await site.thread(page)).comments).toEqual([]);
    expect((await site.queue('approved')).comments).toEqual([]);
    const [again] = (await site.moderate('approve', [{ page, id: a.comment.id }])).results;
    expect(again).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const edit = await site.admin('PATCH', `/comments/${a.comment.id}`, { json: { page, body: 'x' } });
    expect(edit.status).toBe(404);
  });
});

describe('lists', () => {
  it('lists newest first in pages, searches names, pages and text, and filters by page', async () => {
    const site = await TestSite.create();
    await site.settings({ moderation: 'hold-all' });
    const page = freshPage('cooking');
    const other = freshPage('travel');
    const posted: string[] = [];
    for (let i = 0; i < 5; i++)
      posted.push((await site.postOk(commentFields(page, { body: `Recipe note ${i}` }))).comment.id);
    const sok = await site.postOk(commentFields(other, { name: 'Sok', body: 'Siem Reap at dawn' }));

    const seen: string[] = [];
    let cursor = '';
    for (;;) {
      const sent = await site.admin<AdminCommentListResponse>('GET', `/comments?status=pending&limit=2${cursor}`);
      seen.push(...sent.body.comments.map((comment) => comment.id));
      if (sent.body.nextCursor === null) break;
      cursor = `&cursor=${encodeURIComponent(sent.body.nextCursor)}`;
    }
    expect(seen).toEqual([sok.comment.id, ...posted.reverse()]);

    const byName = await site.queue('pending', '&q=sok');
    expect(byName.comments.map((comment) => comment.id)).toEqual([sok.comment.id]);
    const byText = await site.queue('pending', '&q=RECIPE%20NOTE%203');
    expect(byText.comments.map((comment) => comment.body)).toEqual(['Recipe note 3']);
    const byPageId = await site.queue('pending', '&q=travel');
    expect(byPageId.comments.map((comment) => comment.id)).toEqual([sok.comment.id]);
    const onePage = await site.queue('pending', `&page=${encodeURIComponent(page)}&limit=3`);
    expect(onePage.comments).toHaveLength(3);
    expect(onePage.nextCursor).not.toBeNull();
    expect(onePage.counts.pending).toBe(6);
  });

  it('searches in pages too, continuing from where a page of results stopped', async () => {
    const site = await TestSite.create();
    await site.settings({ moderation: 'hold-all' });
    const page = freshPage();
    for (let i = 0; i < 5; i++)
      await site.postOk(commentFields(page, { body: `${i % 2 === 0 ? 'match' : 'other'} number ${i}` }));
    const first = await site.queue('pending', '&q=match&limit=2');
    expect(first.comments.map((comment) => comment.body)).toEqual(['match number 4', 'match number 2']);
    const rest = await site.queue('pending', `&q=match&limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(rest.comments.map((comment) => comment.body)).toEqual(['match number 0']);
    expect(rest.nextCursor).toBeNull();
  });

  it('says on the site-wide Approved list whether the site has imported comments, which that list leaves out', async () => {
    const site = await TestSite.create();
    const page = freshPage('imported-note');
    await site.postOk(commentFields(page, { body: 'Posted here' }));
    expect((await site.queue('approved')).imported).toBe(false);
    // Not asked elsewhere: a post's own list shows its imported comments, and the other statuses need no note.
    expect((await site.queue('approved', `&page=${encodeURIComponent(page)}`)).imported).toBeUndefined();
    expect((await site.queue('pending')).imported).toBeUndefined();

    // No daily budget in the way: today's use (what earlier tests stored, in the shared namespace, and the default
    // isolate's tally) counts against it, and this asks about the list's note.
    const imported = await site.admin('POST', '/import', {
      json: { source: 'blogger', threads: [{ pageId: freshPage('moved-in'), comments: [importedComment] }] },
      bindings: { ...site.bindings, IMPORT_DAILY_LIMIT: '1000000' },
    });
    expect(imported.status).toBe(200);
    expect((await site.queue('approved')).imported).toBe(true);

    // Imported by another isolate (its document there, nothing remembered here): found by a list() of one key.
    const other = await TestSite.create();
    await env.SALA.put(importedThreadKey(await pageRef(other.id, freshPage('elsewhere'))), '{}');
    expect((await other.queue('approved')).imported).toBe(true);
  });

  it('serves the page holding a linked comment, starting at it when it is further down than the first', async () => {
    const site = await TestSite.create();
    await site.settings({ moderation: 'hold-all' });
    const page = freshPage('linked');
    const posted: string[] = [];
    for (let i = 0; i < 5; i++) posted.push((await site.postOk(commentFields(page))).comment.id);
    const newestFirst = posted.reverse();
    const asked = (id: string) => `&page=${encodeURIComponent(page)}&limit=2&comment=${id}`;

    const further = await site.queue('pending', asked(newestFirst[3]!));
    expect(further.comments.map((comment) => comment.id)).toEqual(newestFirst.slice(3, 5));
    expect([further.fromLinked, further.nextCursor]).toEqual([true, null]);
    const inFirst = await site.queue('pending', asked(newestFirst[1]!));
    expect(inFirst.comments.map((comment) => comment.id)).toEqual(newestFirst.slice(0, 2));
    expect(inFirst.fromLinked).toBeUndefined();

    await site.moderate('approve', [{ page, id: newestFirst[3]! }]);
    const gone = await site.queue('pending', asked(newestFirst[3]!));
    expect(gone.comments.map((comment) => comment.id)).toEqual(newestFirst.slice(0, 2));
    expect(gone.fromLinked).toBeUndefined();
    const approved = await site.queue('approved', asked(newestFirst[3]!));
    expect(approved.comments.map((comment) => comment.id)).toEqual([newestFirst[3]]);
  });

  it('names a bad status, limit, cursor or comment', async () => {
    const site = await TestSite.create();
    for (const [query, field] of [
      ['status=deleted', 'status'],
      ['limit=0', 'limit'],
      ['cursor=%%%', 'cursor'],
      ['page=%2Fpost&comment=nope', 'comment'],
    ]) {
      const sent = await site.admin<ApiErrorBody>('GET', `/comments?${query}`);
      expect([sent.status, sent.body.error.field]).toEqual([400, field]);
    }
  });

  it('leaves out and repairs an index entry that disagrees with its comment', async () => {
    const site = await TestSite.create();
    await site.settings({ moderation: 'hold-all' });
    const page = freshPage();
    const held = await site.postOk(commentFields(page));
    // As if an approval saved the comment but failed before moving its index entry.
    const { keys } = await env.SALA.list({ prefix: `v1:comment:${site.id}:` });
    const stored = JSON.parse((await env.SALA.get(keys[0]!.name))!) as { status: string };
    await env.SALA.put(keys[0]!.name, JSON.stringify({ ...stored, status: 'approved' }));

    expect((await site.queue('pending')).comments).toEqual([]);
    await rebuildsDone();
    expect((await site.queue('approved')).comments.map((comment) => comment.id)).toEqual([held.comment.id]);
    expect((await site.queue('pending')).counts.pending).toBe(0);
  });
});
