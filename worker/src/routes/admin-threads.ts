/** /api/v1/admin/sites/:site/threads: close a page's thread to new comments, reopen it, list the closed ones. */
import type { ClosedThreadListResponse, ThreadState } from '@sala/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { readPageId, readPageUrl } from '../domain/comment-input.js';
import { invalidField } from '../errors.js';
import { ClosedThreads, threadState } from '../storage/closed-threads.js';
import { DirtyPages } from '../storage/dirty-pages.js';
import { pageRef } from '../storage/keys.js';
import { scheduleRebuild } from '../storage/thread-rebuild.js';
import { ThreadStore } from '../storage/threads.js';
import { adminJson, asObject } from './admin-input.js';

export const adminThreads = new Hono<AppEnv>();

adminThreads.get('/threads/closed', async (c) =>
  c.json<ClosedThreadListResponse>({ threads: await new ClosedThreads(c.env.SALA).list(c.get('site').id) }),
);

adminThreads.get('/threads', async (c) => {
  const pageId = readPageId(c.req.query('page'));
  const closed = await new ClosedThreads(c.env.SALA).get(await pageRef(c.get('site').id, pageId));
  return c.json<ThreadState>(closed ? threadState(closed) : { pageId, closed: false });
});

/** The snapshot carries `closed` for the widget, so the change goes through the page's rebuild like a comment. */
adminThreads.put('/threads', adminJson, async (c) => {
  const fields = asObject(c.get('jsonBody'));
  const pageId = readPageId(fields.page);
  if (typeof fields.closed !== 'boolean') throw invalidField('closed', 'closed must be true or false.');
  const sentUrl = readPageUrl(fields.pageUrl, pageId);
  const page = await pageRef(c.get('site').id, pageId);
  const threads = new ClosedThreads(c.env.SALA);

  await new DirtyPages(c.env.SALA).mark(page, pageId);
  let state: ThreadState = { pageId, closed: false };
  if (fields.closed) {
    // The closed-threads list links to the page: the address the admin page sent, else the one its comments came with.
    const pageUrl = sentUrl ?? (await new ThreadStore(c.env.SALA).readFields(page))?.pageUrl ?? null;
    state = threadState(await threads.close(page, pageId, pageUrl));
  } else {
    await threads.reopen(page);
  }
  c.executionCtx.waitUntil(scheduleRebuild(c.env.SALA, page));
  return c.json<ThreadState>(state);
});
