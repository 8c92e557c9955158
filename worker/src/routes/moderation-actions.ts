/**
 * Carrying out the owner's decisions on comments, for the admin API and the one-click links alike: each comment
 * is read, changed by domain/moderation.ts, saved with its dirty marker and index entry, and its page rebuilt.
 * One comment's failure is reported beside the others' results and stops nothing.
 */
import type { ModerationAction, ModerationResult } from '@sala/protocol';
import { toAdminComment } from '../domain/admin-comment.js';
import { isDailyLimitError } from '../domain/daily-limit.js';
import { ActionRefused, applyModeration } from '../domain/moderation.js';
import type { StoredComment } from '../domain/stored-comment.js';
import { dailyLimitReached } from '../errors.js';
import { saveComment, saveOwnerDecision } from '../storage/changes.js';
import { CommentStore } from '../storage/comments.js';
import { pageRef, type PageRef } from '../storage/keys.js';
import { KnownCommenters } from '../storage/known-commenters.js';
import { findSite } from '../storage/sites.js';
import { scheduleRebuild } from '../storage/thread-rebuild.js';
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

/** Saves a comment the owner wrote or edited, and lets its page catch up. */
export async function saveOwnerChange(
  context: ActionContext,
  page: PageRef,
  after: StoredComment,
  before: StoredComment | null,
): Promise<void> {
  await saveComment(context.env.SALA, page, after, before);
  context.waitUntil(scheduleRebuild(context.env.SALA, page, [after.id]));
}

/**
 * Applies `action` to every target (at most 100: two bulk reads), in parallel, and reports each outcome in the
 * order given.
 */
export async function moderateComments(
  context: ActionContext,
  site: string,
  action: ModerationAction,
  targets: Target[],
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
        await saveOwnerDecision(kv, pages[i]!, after, before);
        if (rebuildNow(pages[i]!)) context.waitUntil(scheduleRebuild(kv, pages[i]!, [after.id]));
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
