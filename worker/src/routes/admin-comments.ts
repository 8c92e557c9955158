/**
 * /api/v1/admin/sites/:site/comments and /moderate: the owner's queue and lists, decisions (one comment or up to
 * LIMITS.moderateComments at once), edits, and the owner's own comments (published at once with the owner badge).
 */
import {
  LIMITS,
  type AdminCommentListResponse,
  type AdminCommentResponse,
  type AdminCommentStatus,
  type ModerateResponse,
  type ModerationAction,
  type PageRebuild,
} from '@sala/protocol';
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { toAdminComment } from '../domain/admin-comment.js';
import { ownerAvatarSeed } from '../domain/avatar.js';
import { isCommentId, newCommentId } from '../domain/comment-id.js';
import { readPageId } from '../domain/comment-input.js';
import { isVisible, newComment, withEditedBody, type StoredComment } from '../domain/stored-comment.js';
import { ApiError, invalidField } from '../errors.js';
import { CommentStore } from '../storage/comments.js';
import { ImportedThreads } from '../storage/imported-threads.js';
import { pageRef } from '../storage/keys.js';
import { ADMIN_STATUSES, COUNT_LIMIT, ModerationQueue, type IndexEntry } from '../storage/moderation-queue.js';
import { SiteSettingsStore } from '../storage/site-settings.js';
import { adminJson, asObject } from './admin-input.js';
import { moderateComments, saveOwnerChange, type ActionContext } from './moderation-actions.js';

export const adminComments = new Hono<AppEnv>();

const ACTIONS: readonly ModerationAction[] = ['approve', 'reject', 'spam', 'delete', 'pin', 'unpin'];

export function actionContext(c: Context<AppEnv>): ActionContext {
  return {
    env: c.env,
    waitUntil: (promise) => c.executionCtx.waitUntil(promise),
    origin: new URL(c.req.url).origin,
  };
}

function readStatus(raw: string | undefined): AdminCommentStatus {
  const status = raw === undefined || raw === '' ? 'pending' : raw;
  if (!ADMIN_STATUSES.includes(status as AdminCommentStatus)) {
    throw invalidField('status', `status must be one of ${ADMIN_STATUSES.join(', ')}.`);
  }
  return status as AdminCommentStatus;
}

function readLimit(raw: string | undefined): number {
  const limit = raw === undefined ? 50 : /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
  if (!(limit >= 1 && limit <= 100)) throw invalidField('limit', 'limit must be a whole number from 1 to 100.');
  return limit;
}

function readBody(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalidField('body', 'body is required.');
  if (value.length > LIMITS.body) throw invalidField('body', `body is longer than ${LIMITS.body} characters.`);
  return value;
}

/** One page's comments of `status`, newest first: only those served are read, unless the owner searches. */
async function listPage(
  c: Context<AppEnv>,
  status: AdminCommentStatus,
  pageId: string,
  options: { limit: number; cursor: string | null; query: string | null; linked: string | null },
): Promise<{ comments: StoredComment[]; cursor: string | null; fromLinked?: true }> {
  if (options.cursor !== null && !isCommentId(options.cursor))
    throw invalidField('cursor', 'cursor is not one this API returned.');
  if (options.linked !== null && !isCommentId(options.linked))
    throw invalidField('comment', 'comment is not a comment id.');
  const page = await pageRef(c.get('site').id, pageId);
  if (options.query === null) {
    const { comments, more, fromLinked } = await new CommentStore(c.env.SALA).listByStatus(
      page,
      status,
      options.cursor,
      options.limit,
      options.linked,
    );
    return { comments, cursor: more ? comments[comments.length - 1]!.id : null, ...(fromLinked ? { fromLinked } : {}) };
  }
  // A search reads every comment's text.
  const all = await new CommentStore(c.env.SALA).listAll(page);
  const needle = options.query?.toLowerCase() ?? null;
  const matching = all
    .filter((comment) => comment.status === status && comment.deletedAt === undefined)
    .filter((comment) => options.cursor === null || comment.id < options.cursor)
    .filter((comment) => needle === null || `${comment.author.name}\n${comment.body}`.toLowerCase().includes(needle))
    .sort((a, b) => (a.id < b.id ? 1 : -1));
  const served = matching.slice(0, options.limit);
  return { comments: served, cursor: matching.length > served.length ? served[served.length - 1]!.id : null };
}

/**
 * The site's comments of `status` from the moderation index, newest first. Entries whose comment disagrees
 * (changed while its entry was being moved, or deleted) are left out and repaired in the background.
 */
async function listIndexed(
  c: Context<AppEnv>,
  status: AdminCommentStatus,
  options: { limit: number; cursor: string | null; query: string | null },
): Promise<{ comments: StoredComment[]; cursor: string | null }> {
  const site = c.get('site').id;
  const queue = new ModerationQueue(c.env.SALA);
  let listed: { entries: IndexEntry[]; cursor: string | null };
  try {
    listed = await queue.list(site, status, options);
  } catch (error) {
    if (error instanceof RangeError) throw invalidField('cursor', 'cursor is not one this API returned.');
    throw error;
  }
  const stored = await new CommentStore(c.env.SALA).getMany(
    listed.entries.map((entry) => ({ page: { site, pageHash: entry.summary.p }, id: entry.commentId })),
  );

  const comments: StoredComment[] = [];
  listed.entries.forEach((entry, i) => {
    const comment = stored[i] ?? null;
    if (comment !== null && comment.deletedAt === undefined && comment.status === entry.status) {
      comments.push(comment);
      return;
    }
    c.executionCtx.waitUntil(
      (async () => {
        await queue.forget(entry);
        if (comment !== null) await queue.record({ site, pageHash: entry.summary.p }, comment, null);
      })().catch((error: unknown) => console.error('[sala] moderation index repair failed', error)),
    );
  });
  return { comments, cursor: listed.cursor };
}

adminComments.get('/comments', async (c) => {
  const status = readStatus(c.req.query('status'));
  const options = {
    limit: readLimit(c.req.query('limit')),
    cursor: c.req.query('cursor') || null,
    query: c.req.query('q')?.trim() || null,
    // A link's comment (one post's list only): the page that holds it, however far down (CommentStore.listByStatus).
    linked: c.req.query('comment') || null,
  };
  const rawPage = c.req.query('page');
  // The site-wide Approved list holds imported comments only once moderated: the admin page says so where there are any.
  const askImported = status === 'approved' && !rawPage;
  const [listed, counts, imported] = await Promise.all([
    rawPage ? listPage(c, status, readPageId(rawPage), options) : listIndexed(c, status, options),
    new ModerationQueue(c.env.SALA).counts(c.get('site').id),
    askImported ? new ImportedThreads(c.env.SALA).hasAny(c.get('site').id) : false,
  ]);
  return c.json<AdminCommentListResponse>({
    comments: listed.comments.map(toAdminComment),
    counts,
    countLimit: COUNT_LIMIT,
    nextCursor: listed.cursor,
    ...(askImported ? { imported } : {}),
    ...('fromLinked' in listed ? { fromLinked: true } : {}),
  });
});

/**
 * Whether the caller is the admin page (a session), which sends a change's rebuild follow-up (`rebuilds`); a script with
 * an API token is not told to, so its changes rebuild after the response as before.
 */
function sendsFollowUps(c: Context<AppEnv>): boolean {
  return c.get('owner').via === 'session';
}

adminComments.post('/moderate', adminJson, async (c) => {
  const fields = asObject(c.get('jsonBody'));
  const action = fields.action;
  if (typeof action !== 'string' || !ACTIONS.includes(action as ModerationAction)) {
    throw invalidField('action', `action must be one of ${ACTIONS.join(', ')}.`);
  }
  const refs = fields.comments;
  if (!Array.isArray(refs) || refs.length === 0) throw invalidField('comments', 'comments must list the comments.');
  if (refs.length > LIMITS.moderateComments) {
    // Each decision costs CPU; a request has 10 ms of it on the free plan (worker/README.md "CPU time").
    throw invalidField(
      'comments',
      `comments lists ${refs.length} comments; one request takes at most ${LIMITS.moderateComments}, so that it ` +
        'fits in the 10 ms of CPU a request may use. Send the rest in more requests.',
    );
  }
  // Every reference is checked before anything is changed: a malformed request changes nothing.
  const targets = refs.map((ref: unknown, i) => {
    const { page, id, seenEdit } = (typeof ref === 'object' && ref !== null ? ref : {}) as Record<string, unknown>;
    const pageId = readPageId(page, `comments[${i}].page`);
    if (typeof id !== 'string' || !isCommentId(id))
      throw invalidField(`comments[${i}].id`, 'This is not a comment id.');
    if (seenEdit === undefined) return { pageId, id };
    if (seenEdit !== null && (typeof seenEdit !== 'string' || seenEdit.length > 40)) {
      throw invalidField(
        `comments[${i}].seenEdit`,
        'seenEdit must be the editedAt the comment was read with, or null.',
      );
    }
    return { pageId, id, seenEdit };
  });
  const rebuilds: PageRebuild[] = [];
  const site = c.get('site').id;
  const followUps = sendsFollowUps(c) ? rebuilds : undefined;
  const results = await moderateComments(actionContext(c), site, action as ModerationAction, targets, followUps);
  return c.json<ModerateResponse>({ results, ...(rebuilds.length > 0 ? { rebuilds } : {}) });
});

adminComments.patch('/comments/:id', adminJson, async (c) => {
  const fields = asObject(c.get('jsonBody'));
  const pageId = readPageId(fields.page);
  const body = readBody(fields.body);
  const id = c.req.param('id');
  const page = await pageRef(c.get('site').id, pageId);
  const before = isCommentId(id) ? await new CommentStore(c.env.SALA).get(page, id) : null;
  if (before === null || before.deletedAt !== undefined || before.pageId !== pageId) {
    throw new ApiError('not_found', 404, 'There is no such comment on this page.');
  }
  const edited = withEditedBody(before, body, new Date());
  // The owner's edit changes the text, not the decision: a commenter's edit held for review stays held.
  const after =
    before.editHeld === true && before.status !== 'approved' ? { ...edited, editHeld: true as const } : edited;
  const rebuilds = await saveOwnerChange(actionContext(c), page, after, before, sendsFollowUps(c));
  return c.json<AdminCommentResponse>({ comment: toAdminComment(after), ...(rebuilds.length > 0 ? { rebuilds } : {}) });
});

/** The owner writes: published at once, with the owner badge and the name from the site's settings. */
adminComments.post('/comments', adminJson, async (c) => {
  const fields = asObject(c.get('jsonBody'));
  const pageId = readPageId(fields.page);
  const body = readBody(fields.body);
  const parentId =
    fields.parentId === undefined || fields.parentId === null || fields.parentId === '' ? null : fields.parentId;
  const site = c.get('site');
  const page = await pageRef(site.id, pageId);
  let pageUrl: string | null = null;
  if (parentId !== null) {
    const parent =
      typeof parentId === 'string' && isCommentId(parentId)
        ? await new CommentStore(c.env.SALA).get(page, parentId)
        : null;
    if (parent === null || !isVisible(parent) || parent.pageId !== pageId) {
      throw new ApiError('parent_not_found', 400, 'Reply to an approved comment on this page.', 'parentId');
    }
    pageUrl = parent.pageUrl ?? null; // the owner's reply links where the comment it answers does
  }

  const { ownerName } = await new SiteSettingsStore(c.env.SALA).get(site);
  const now = new Date();
  const comment = newComment(
    { pageId, parentId: parentId as string | null, name: ownerName, email: null, website: null, body, pageUrl },
    {
      id: newCommentId(now.getTime()),
      now,
      avatar: await ownerAvatarSeed(c.env.SALA_SECRET, site.id),
      tokenHash: '', // the owner edits through the admin API, not with an edit token
    },
  );
  comment.author.owner = true;
  const rebuilds = await saveOwnerChange(actionContext(c), page, comment, null, sendsFollowUps(c));
  return c.json<AdminCommentResponse>(
    { comment: toAdminComment(comment), ...(rebuilds.length > 0 ? { rebuilds } : {}) },
    201,
  );
});
