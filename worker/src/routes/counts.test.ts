import { LIMITS, type ApiErrorBody, type CountsResponse, type DeleteCommentResponse } from '@sala/protocol';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { commentFields, countingKv, freshPage, postComment, rebuildsDone, send } from '../testing.js';
import { TestSite } from '../testing-admin.js';

/** Filed as spam when posted: an edit to it is held (routes/moderation.test.ts). */
const SPAM = 'Cheap viagra and online casino bonus, best prices: [buy viagra now](https://pills-shop.xyz/buy)';

function countsOf(pages: string[], newest: string[] = []) {
  const query = [
    ...pages.map((page) => `page=${encodeURIComponent(page)}`),
    ...newest.map((page) => `newest=${encodeURIComponent(page)}`),
  ].join('&');
  return send<CountsResponse & ApiErrorBody>('GET', `/api/v1/counts?${query}`);
}

describe('GET /api/v1/counts', () => {
  it('counts visible comments per page, keyed by each page id exactly as sent', async () => {
    const busy = freshPage();
    const quiet = freshPage();
    const { comment, editToken } = await postComment(busy);
    const reply = await postComment(busy, { parentId: comment.id });
    const newest = await postComment(busy);
    await postComment(quiet);
    await rebuildsDone();

    const asSent = [`${busy}/?m=1`, quiet, freshPage()];
    const sent = await countsOf(asSent);
    expect(sent.status).toBe(200);
    expect(sent.body.counts).toEqual({ [asSent[0]!]: 3, [asSent[1]!]: 1, [asSent[2]!]: 0 });
    expect(sent.body.newest).toBeUndefined();
    // A reader with comments of their own on two of them learns the time of the newest comment each count holds.
    const own = await countsOf(asSent, [asSent[0]!, asSent[2]!]);
    expect([own.body.counts, own.body.newest]).toEqual([sent.body.counts, { [asSent[0]!]: newest.comment.createdAt }]);

    // A deleted comment no longer counts, even when its placeholder stays for its reply; the count read for a reader
    // with comments there was written after the delete was (its age, on the Worker's clock, says so), so their browser
    // no longer takes the one they deleted off a count that has someone else's newer comment.
    const sentAt = Date.now();
    const deleted = await send('DELETE', `/api/v1/comments/${comment.id}?page=${encodeURIComponent(busy)}`, {
      headers: { Authorization: `Bearer ${editToken}` },
    });
    await deleted.settled;
    expect((await countsOf([busy])).body.counts).toEqual({ [busy]: 2 });
    const after = await countsOf([busy], [busy]);
    expect(after.body.newest).toEqual({ [busy]: newest.comment.createdAt });
    expect(Date.now() - after.body.age![busy]!).toBeGreaterThanOrEqual(sentAt);
    // Once the newest is deleted too, the time is the newest left's: the reader's browser no longer takes it off.
    const gone = await send('DELETE', `/api/v1/comments/${newest.comment.id}?page=${encodeURIComponent(busy)}`, {
      headers: { Authorization: `Bearer ${newest.editToken}` },
    });
    await gone.settled;
    expect((await countsOf([busy], [busy])).body).toEqual({
      counts: { [busy]: 1 },
      newest: { [busy]: reply.comment.createdAt },
      age: { [busy]: expect.any(Number) },
    });
    // So is it after an edit the Worker holds, which takes the comment out of the count.
    const heldAt = Date.now();
    const held = await send<{ comment: { status?: string } }>(
      'PATCH',
      `/api/v1/comments/${reply.comment.id}?page=${encodeURIComponent(busy)}`,
      {
        json: { page: busy, body: SPAM },
        headers: { Authorization: `Bearer ${reply.editToken}` },
      },
    );
    await held.settled;
    expect(held.body.comment.status).toBe('pending');
    const afterHeld = await countsOf([busy], [busy]);
    expect([afterHeld.body.counts, afterHeld.body.newest]).toEqual([{ [busy]: 0 }, {}]);
    expect(Date.now() - afterHeld.body.age![busy]!).toBeGreaterThanOrEqual(heldAt);
  });

  it('tells the author deleting a comment whether it was counted: a held one the owner approved since was', async () => {
    const site = await TestSite.create();
    await site.settings({ moderation: 'hold-all' });
    const page = freshPage();
    // Two held comments (their author's browser keeps them as held); the owner approves the first.
    const approved = await site.postOk(commentFields(page));
    const held = await site.postOk(commentFields(page));
    expect([approved.comment.status, held.comment.status]).toEqual(['pending', 'pending']);
    await site.moderate('approve', [{ page, id: approved.comment.id }]);
    const remove = ({ comment, editToken }: { comment: { id: string }; editToken: string }) =>
      send<DeleteCommentResponse>('DELETE', `/api/v1/comments/${comment.id}?site=${site.id}&page=${page}`, {
        headers: { Authorization: `Bearer ${editToken}` },
        bindings: site.bindings,
      });
    // So their browser takes the first off a count written before the delete, and not the second, never counted.
    const [first, second] = [await remove(approved), await remove(held)];
    expect([first.status, first.body, second.status, second.body]).toEqual([
      200,
      { counted: true },
      200,
      { counted: false },
    ]);
  });

  it('reads all the pages in one bulk KV get', async () => {
    const counted = countingKv(env.SALA);
    const pages = Array.from({ length: 30 }, () => freshPage());
    const sent = await send<CountsResponse>(
      'GET',
      `/api/v1/counts?${pages.map((p) => `page=${encodeURIComponent(p)}`).join('&')}`,
      {
        bindings: { ...env, SALA: counted.kv },
      },
    );
    expect(Object.keys(sent.body.counts)).toHaveLength(30);
    expect(counted.calls).toHaveLength(1);
    expect(counted.calls[0]!.method).toBe('get');
    expect(counted.calls[0]!.args[0]).toHaveLength(30);
  });

  it('names the page parameter when there are none, too many, or a blank one', async () => {
    const tooMany = Array.from({ length: LIMITS.countsPages + 1 }, (_, i) => `post-${i}`);
    for (const pages of [[], tooMany, ['post-1', ' ']]) {
      const sent = await countsOf(pages);
      expect([sent.status, sent.body.error.code, sent.body.error.field]).toEqual([400, 'invalid_field', 'page']);
    }
    expect((await countsOf(tooMany.slice(1))).status).toBe(200);
    const stray = await countsOf(['post-1'], ['post-2']);
    expect([stray.status, stray.body.error.field]).toEqual([400, 'newest']);
  });

  it('keeps a page id that looks like an object key as data', async () => {
    const sent = await countsOf(['__proto__', 'constructor']);
    expect(sent.text).toBe('{"counts":{"__proto__":0,"constructor":0}}');
  });
});
