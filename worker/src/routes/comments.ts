/** /api/v1/comments: a page's thread, and posting, editing and deleting one comment. */
import {
  LIMITS,
  type CreateCommentResponse,
  type DeleteCommentResponse,
  type EditCommentResponse,
  type RebuildPending,
  type RebuildThreadResponse,
  type ThreadResponse,
} from '@sala/protocol';
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { avatarSeed } from '../domain/avatar.js';
import { isCommentId, newCommentId } from '../domain/comment-id.js';
import { readCommentEdit, readNewComment, readPageId } from '../domain/comment-input.js';
import { bearerToken, editTokenMatches, hashEditToken, newEditToken } from '../domain/edit-token.js';
import { editableUntil, editWindowSeconds } from '../domain/edit-window.js';
import {
  erased,
  isVisible,
  newComment,
  toAuthorsView,
  withEditedBody,
  type StoredComment,
} from '../domain/stored-comment.js';
import { readRebuildToken, REBUILD_TOKEN_SHAPE, rebuildToken } from '../domain/rebuild-token.js';
import { readThreadQuery } from '../domain/thread.js';
import { ApiError, invalidField, rateLimited } from '../errors.js';
import { jsonBody } from '../middleware/json-body.js';
import { rateLimit, secondsLeftInWindow } from '../middleware/rate-limit.js';
import { saveComment } from '../storage/changes.js';
import { CommentStore } from '../storage/comments.js';
import { DirtyPages } from '../storage/dirty-pages.js';
import { pageRef, type PageRef } from '../storage/keys.js';
import { scheduleRebuild } from '../storage/thread-rebuild.js';
import { ThreadStore } from '../storage/threads.js';
import { emailEnabled } from './email.js';
import { afterNewComment, screenEdit, screenNewComment } from './screen-comment.js';

export const comments = new Hono<AppEnv>();

const readJson = jsonBody({ maxBytes: LIMITS.requestBytes });

/** Per salted IP hash, before anything is read; see wrangler.jsonc COMMENT_RATE_LIMITER. */
const postLimit = rateLimit({
  limiter: (env) => env.COMMENT_RATE_LIMITER,
  name: 'comment',
  message: 'You are commenting very fast; wait a minute and try again.',
  periodSeconds: 60,
  withoutAddress: 'skip',
});

/** An edit counts as a comment from its address: rewriting one comment is no cheaper in KV writes than a new one. */
const editLimit = rateLimit({
  limiter: (env) => env.COMMENT_RATE_LIMITER,
  name: 'comment',
  message: 'You are editing very fast; wait a minute and try again.',
  periodSeconds: 60,
  withoutAddress: 'skip',
});

/**
 * The follow-up of a change answered `rebuild: { token }`: a count of its own on the same binding, so the browser's
 * follow-ups never take from its address's comments.
 */
const rebuildLimit = rateLimit({
  limiter: (env) => env.COMMENT_RATE_LIMITER,
  name: 'rebuild',
  message: 'This page was asked to catch up very often; wait a minute and try again.',
  periodSeconds: 60,
  withoutAddress: 'skip',
});

function secret(env: Env): string {
  if (!env.SALA_SECRET) throw new Error('SALA_SECRET is not set: `wrangler secret put SALA_SECRET` (or .dev.vars)');
  return env.SALA_SECRET;
}

/**
 * Saves a change (`previous`: the record before it) and lets the page's snapshot catch up after the response, when
 * that rebuild fits this invocation (`ThreadStore.rebuildFitsBeside`); else the token of a `POST /rebuild`, for the
 * answer to carry: the change's dirty marker keeps the page for that request or the cron's repair.
 */
async function saveAndRebuild(
  c: Context<AppEnv>,
  page: PageRef,
  comment: StoredComment,
  previous: StoredComment | null = null,
): Promise<RebuildPending | null> {
  const [fits, markerId] = await Promise.all([
    new ThreadStore(c.env.SALA).rebuildFitsBeside(page),
    saveComment(c.env.SALA, page, comment, previous),
  ]);
  if (!fits) {
    return { token: await rebuildToken(secret(c.env), page, comment.id, markerId) };
  }
  c.executionCtx.waitUntil(scheduleRebuild(c.env.SALA, page, [comment.id]));
  return null;
}

/** Always inline: a delete's answer has no room to ask for a follow-up its browser does not send. */
async function saveAndRebuildNow(
  c: Context<AppEnv>,
  page: PageRef,
  comment: StoredComment,
  previous: StoredComment,
): Promise<void> {
  await saveComment(c.env.SALA, page, comment, previous);
  c.executionCtx.waitUntil(scheduleRebuild(c.env.SALA, page, [comment.id]));
}

/**
 * The comment `:id` on `pageId`, once the request has proved it is its author's: the edit token matches and
 * the edit window is still open.
 */
async function authorsComment(c: Context<AppEnv>, pageId: string): Promise<{ page: PageRef; comment: StoredComment }> {
  const token = bearerToken(c.req.header('Authorization'));
  if (token === null) {
    throw new ApiError('invalid_token', 403, 'Send the edit token from the POST as "Authorization: Bearer <token>".');
  }
  const commentId = c.req.param('id') ?? '';
  const page = await pageRef(c.get('site').id, pageId);
  const comment = isCommentId(commentId) ? await new CommentStore(c.env.SALA).get(page, commentId) : null;
  if (comment === null || comment.deletedAt !== undefined || comment.pageId !== pageId) {
    throw new ApiError('not_found', 404, 'There is no such comment on this page.');
  }
  if (!(await editTokenMatches(token, comment.tokenHash))) {
    throw new ApiError('invalid_token', 403, 'This edit token is not the one issued for this comment.');
  }
  if (Date.now() > editableUntil(comment.createdAt, editWindowSeconds(c.env.EDIT_WINDOW_SECONDS)).getTime()) {
    throw new ApiError('edit_window_closed', 403, 'The time to edit or delete this comment is over.');
  }
  return { page, comment };
}

/** One page of the thread, from the page's snapshot: one KV read, none while this isolate's copy is fresh. */
comments.get('/', async (c) => {
  const pageId = readPageId(c.req.query('page'));
  const query = readThreadQuery({
    sort: c.req.query('sort'),
    cursor: c.req.query('cursor'),
    limit: c.req.query('limit'),
  });
  const thread = await new ThreadStore(c.env.SALA).readPage(await pageRef(c.get('site').id, pageId), pageId, query);
  // The element that shows the thread also sends the view beacon: it samples at the site's rate.
  if (c.get('site').viewSampleRate > 1) thread.viewSample = c.get('site').viewSampleRate;
  // The form offers reply mails only where the Worker can send them: from the configuration, no KV read.
  if (emailEnabled(c.env)) thread.replyMails = true;
  return c.json<ThreadResponse>(thread);
});

comments.post('/', postLimit, readJson, async (c) => {
  const input = readNewComment(c.get('jsonBody'));
  const page = await pageRef(c.get('site').id, input.pageId);

  if (input.parentId !== null) {
    // The parent's key is under this page's prefix, so a parent on another page is simply not found.
    const parent = await new CommentStore(c.env.SALA).get(page, input.parentId);
    if (parent === null || !isVisible(parent) || parent.pageId !== input.pageId) {
      throw new ApiError('parent_not_found', 400, 'The comment replied to does not exist on this page.', 'parentId');
    }
  }

  // Refusals (closed, banned, honeypot, too fast, links, words, duplicate) throw; held comments come back pending.
  const screened = await screenNewComment(c, input, page);
  const now = new Date();
  const editToken = newEditToken();
  const comment = newComment(input, {
    id: newCommentId(now.getTime()),
    now,
    avatar: await avatarSeed(secret(c.env), input),
    tokenHash: await hashEditToken(editToken),
    status: screened.status,
    spam: screened.spam,
    heldBecause: screened.heldBecause,
    notifyReplies: screened.notifyReplies,
    lang: screened.lang,
    ...(screened.ipHash !== null ? { ipHash: screened.ipHash } : {}),
    ...(screened.commenterHash !== null ? { commenterHash: screened.commenterHash } : {}),
  });
  const rebuild = await saveAndRebuild(c, page, comment);
  afterNewComment(c, page, comment, screened);

  const until = editableUntil(comment.createdAt, editWindowSeconds(c.env.EDIT_WINDOW_SECONDS));
  return c.json<CreateCommentResponse>(
    {
      comment: toAuthorsView(comment),
      editToken,
      editableUntil: until.toISOString(),
      ...(screened.replyMail !== null ? { replyMail: screened.replyMail } : {}),
      ...(rebuild !== null ? { rebuild } : {}),
    },
    201,
  );
});

comments.patch('/:id', editLimit, readJson, async (c) => {
  const input = readCommentEdit(c.get('jsonBody'));
  const { page, comment } = await authorsComment(c, input.pageId);
  if ((comment.edits ?? 0) >= LIMITS.editsPerComment) {
    throw new ApiError(
      'too_many_edits',
      429,
      `This comment was edited ${LIMITS.editsPerComment} times, the most one comment may be: no later edit is taken. ` +
        'It can still be deleted (and posted again) within its edit window.',
    );
  }
  const holds = await screenEdit(c, page, comment, input.body);
  const body = withEditedBody(comment, input.body, new Date());
  // Only ever down: an edit never publishes what the owner held, marked as spam or rejected. `editHeld` keeps
  // it held even when this read predates the owner's approval (storage/changes.ts saveOwnerDecision).
  const queued = comment.status === 'approved' || comment.status === 'pending';
  const edited: StoredComment =
    holds.length > 0 ? { ...body, editHeld: true, ...(queued ? { status: 'pending', heldBecause: holds } : {}) } : body;
  const rebuild = await saveAndRebuild(c, page, edited, comment);
  return c.json<EditCommentResponse>({ comment: toAuthorsView(edited), ...(rebuild !== null ? { rebuild } : {}) });
});

/**
 * Deleting erases what the commenter wrote; a placeholder stays only while replies hang from it. The answer says
 * whether the comment was counted: its author's browser may still think it held, when the owner approved it since.
 */
comments.delete('/:id', async (c) => {
  const { page, comment } = await authorsComment(c, readPageId(c.req.query('page')));
  await saveAndRebuildNow(c, page, erased(comment, new Date()), comment);
  return c.json<DeleteCommentResponse>({ counted: isVisible(comment) });
});

/**
 * The rebuild a change answered `rebuild: { token }` left (or an owner's decision, edit or reply,
 * `ModerateResponse.rebuilds` / `AdminCommentResponse.rebuilds`: the same claims, its marker and comment), in an
 * invocation of its own: the page's snapshot rebuilt
 * with that change and the others its dirty markers name (`scheduleRebuild`, spaced as every rebuild of a page),
 * answered once it is. Only the change's token asks: checked before any KV call, so a request without one costs no
 * read and no list(), whatever page it names. Counted per address and per token (5 a minute each, the token's
 * whatever addresses send it). With it, one read of the change's marker: gone (the cron's repair
 * rebuilt the page and cleared it), nothing more; else the rebuild, which writes only what readers would see change.
 */
comments.post('/rebuild', rebuildLimit, async (c) => {
  const pageId = readPageId(c.req.query('page'));
  const token = c.req.query('token');
  if (token === undefined || token === '') {
    throw invalidField('token', 'Send the token the change answered with: ?page=<page>&token=<rebuild.token>.');
  }
  if (!REBUILD_TOKEN_SHAPE.test(token)) throw invalidField('token', 'This is not a rebuild token.');
  const page = await pageRef(c.get('site').id, pageId);
  const check = await readRebuildToken(secret(c.env), token, Math.floor(Date.now() / 1000));
  if (!check.ok && check.reason === 'expired') {
    throw new ApiError('invalid_token', 403, 'This rebuild token has expired: the page is rebuilt by now.');
  }
  if (!check.ok) throw new ApiError('invalid_token', 403, 'This rebuild token was not issued by this server.');
  const { site, pageHash, commentId, markerId } = check.claims;
  if (site !== page.site || pageHash !== page.pageHash) {
    throw new ApiError('invalid_token', 403, 'This rebuild token was issued for another page.');
  }
  // Per token too, whatever the addresses sending it: a change's token replayed costs the rebuild's list() while its
  // marker stands (2 to 12 minutes), so at most 5 a minute of those per change (per Cloudflare location).
  const { success } = await c.env.COMMENT_RATE_LIMITER.limit({ key: `rebuild-token:${markerId}` });
  if (!success) {
    throw rateLimited(
      'This change has asked for its rebuild very often; wait a minute.',
      secondsLeftInWindow(60, Date.now()),
    );
  }
  if (!(await new DirtyPages(c.env.SALA).has(page, markerId))) return c.json<RebuildThreadResponse>({ rebuilt: false });
  const rebuilt = await scheduleRebuild(c.env.SALA, page, [commentId]);
  return c.json<RebuildThreadResponse>({ rebuilt });
});
