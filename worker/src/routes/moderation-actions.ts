/**
 * Carrying out the owner's decisions on comments, for the admin API and the one-click links alike: each comment
 * is read, changed by domain/moderation.ts, saved with its dirty marker and index entry, and its page rebuilt.
 * One comment's failure is reported beside the others' results and stops nothing.
 */
import type { ModerationAction, ModerationResult, PageRebuild } from '@sala/protocol';
import { toAdminComment } from '../domain/admin-comment.js';
import { isDailyLimitError } from '../domain/daily-limit.js';
import { ActionRefused, applyModeration } from '../domain/moderation.js';
import { rebuildToken } from '../domain/rebuild-token.js';
import type { StoredComment } from '../domain/stored-comment.js';
import { dailyLimitReached } from '../errors.js';
import { saveComment, saveOwnerDecision } from '../storage/changes.js';
import { CommentStore } from '../storage/comments.js';
import { pageRef, type PageRef } from '../storage/keys.js';
import { KnownCommenters } from '../storage/known-commenters.js';
import { findSite } from '../storage/sites.js';
import { scheduleRebuild } from '../storage/thread-rebuild.js';
import { ThreadStore } from '../storage/threads.js';
import { notifyComment, type NotifyContext } from './notifications.js';

/** What carrying out a decision needs from the request: bindings, background work, the Worker's origin. */
export type ActionContext = NotifyContext;

export interface Target {
  /** The normalised page id. */
  pageId: string;
  id: string;
  /** `CommentRef.seenEdit`: the edit the owner read (null: none); an approval of a text edited since is refused. */
  seenEdit?: string | null;
}

/**
 * Pages one request rebuilds at once. Each rebuild costs about six KV operations and an invocation may make
 * 1,000: a bulk action over more pages leaves the rest to the cron (their dirty markers are written), within
 * ten minutes.
 */
const REBUILDS_PER_REQUEST = 30;

/**
 * Follow-up tokens one answer carries at most: the follow-up route takes 5 a minute from an address
 * (COMMENT_RATE_LIMITER), so a sixth would be refused; pages past these wait for the cron's repair.
 */
const FOLLOW_UPS_PER_REQUEST = 5;

/**
 * Saves a comment the owner wrote or edited, and lets its page catch up: after the response when that rebuild fits
 * beside the save (`ThreadStore.rebuildFitsBeside`), else, for a caller that sends follow-ups (`followUp`: the admin
 * page), the page's follow-up to send (a fresh isolate, a big thread), as a decision's (`moderateComments`); its dirty
 * marker keeps the page for that request or the cron's repair. Without `followUp` (a script with an API token, which
 * is not told to send one) the page is rebuilt after the response, as before.
 */
export async function saveOwnerChange(
  context: ActionContext,
  page: PageRef,
  after: StoredComment,
  before: StoredComment | null,
  followUp: boolean,
): Promise<PageRebuild[]> {
  const kv = context.env.SALA;
  // A failed count read rebuilds here, as before: the change stands either way.
  const [markerId, fits] = await Promise.all([
    saveComment(kv, page, after, before),
    followUp ? new ThreadStore(kv).rebuildFitsBeside(page).catch(() => true) : true,
  ]);
  if (fits) {
    context.waitUntil(scheduleRebuild(kv, page, [after.id]));
    return [];
  }
  return [{ page: after.pageId, token: await rebuildToken(context.env.SALA_SECRET, page, after.id, markerId) }];
}

/**
 * Applies `action` to every target (at most 100: two bulk reads), in parallel, and reports each outcome in the
 * order given.
 *
 * `followUps`, for a caller whose page can ask for a rebuild (the admin page): a page whose rebuild does not fit
 * beside the decisions (`ThreadStore.rebuildFitsBeside`: a fresh isolate, a big thread) is not rebuilt here but gets
 * one token in it, the first decision's on that page, for `POST /api/v1/comments/rebuild` (`FOLLOW_UPS_PER_REQUEST`
 * pages at most, the rest left to the cron's repair); that rebuild takes the page's other decisions from its dirty
 * markers. Without it (a mail's one-click link, whose page has no script to send the follow-up, or a script with an
 * API token), every page is rebuilt after the response, as before: the decision is saved first, so a rebuild cut short
 * leaves the cron's repair.
 */
export async function moderateComments(
  context: ActionContext,
  site: string,
  action: ModerationAction,
  targets: Target[],
  followUps?: PageRebuild[],
): Promise<ModerationResult[]> {
  const kv = context.env.SALA;
  const pages = await Promise.all(targets.map((target) => pageRef(site, target.pageId)));
  const stored = await new CommentStore(kv).getMany(targets.map((target, i) => ({ page: pages[i]!, id: target.id })));
  const rebuilt = new Set<string>();
  const rebuildNow = (page: PageRef): boolean => {
    const key = page.pageHash;
    if (rebuilt.size >= REBUILDS_PER_REQUEST && !rebuilt.has(key)) return false;
    rebuilt.add(key);
    return true;
  };
  // Per page: whether its rebuild fits here (one KV read at most, asked once), and whether its token is taken.
  const fits = new Map<string, Promise<boolean>>();
  const fitsBeside = (page: PageRef): Promise<boolean> => {
    let answer = fits.get(page.pageHash);
    if (answer === undefined) {
      // A failed count read rebuilds here, as before: the decision stands either way.
      answer =
        followUps === undefined ? Promise.resolve(true) : new ThreadStore(kv).rebuildFitsBeside(page).catch(() => true);
      fits.set(page.pageHash, answer);
    }
    return answer;
  };
  const tokened = new Set<string>();
  const rebuild = async (page: PageRef, pageId: string, commentId: string, markerId: string): Promise<void> => {
    if (!rebuildNow(page)) return;
    if (followUps === undefined || (await fitsBeside(page))) {
      context.waitUntil(scheduleRebuild(kv, page, [commentId]));
      return;
    }
    if (tokened.has(page.pageHash) || tokened.size >= FOLLOW_UPS_PER_REQUEST) return;
    tokened.add(page.pageHash);
    followUps.push({ page: pageId, token: await rebuildToken(context.env.SALA_SECRET, page, commentId, markerId) });
  };

  return Promise.all(
    targets.map(async (target, i): Promise<ModerationResult> => {
      const ref = { page: target.pageId, id: target.id };
      const before = stored[i] ?? null;
      try {
        if (before === null || before.pageId !== target.pageId) {
          throw new ActionRefused('not_found', 'There is no such comment on this page.');
        }
        if (action === 'approve' && target.seenEdit !== undefined && (before.editedAt ?? null) !== target.seenEdit) {
          throw new ActionRefused(
            'conflict',
            'The commenter edited this comment since you read it; read it again before approving it.',
          );
        }
        const after = applyModeration(before, action, new Date());
        // Approving an approved comment changes nothing and should cost no writes.
        if (JSON.stringify(after) === JSON.stringify(before))
          return { ...ref, ok: true, comment: toAdminComment(after) };
        // The page's check runs beside the decision's writes, as a new comment's does (routes/comments.ts).
        const [markerId] = await Promise.all([saveOwnerDecision(kv, pages[i]!, after, before), fitsBeside(pages[i]!)]);
        await rebuild(pages[i]!, target.pageId, after.id, markerId);
        // Only a comment that came with its browser's commenter key makes anyone known: a name proves nothing.
        const hash = after.commenterHash;
        if (before.status !== 'approved' && after.status === 'approved' && hash !== undefined) {
          context.waitUntil(
            new KnownCommenters(kv).remember(site, hash).catch((error: unknown) => {
              console.error('[sala] could not remember an approved commenter', error);
            }),
          );
        }
        const siteConfig = findSite(context.env, site);
        if (before.status !== 'approved' && after.status === 'approved' && siteConfig !== null) {
          notifyComment(context, siteConfig, 'comment.approved', after);
        }
        return { ...ref, ok: true, comment: toAdminComment(after) };
      } catch (error) {
        if (error instanceof ActionRefused)
          return { ...ref, ok: false, error: { code: error.code, message: error.message } };
        if (isDailyLimitError(error)) {
          const { code, message } = dailyLimitReached();
          return { ...ref, ok: false, error: { code, message } };
        }
        console.error('[sala] moderation action failed', action, target.id, error);
        const message = 'Could not save this change; try again.';
        return {
          ...ref,
          ok: false,
          error: { code: /429|too many/i.test(String(error)) ? 'rate_limited' : 'internal', message },
        };
      }
    }),
  );
}
