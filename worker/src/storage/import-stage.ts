/**
 * Posts imported in parts (`ImportThread.part`): a post with more comments than one request takes is sent in parts,
 * and nothing of it shows until the last. Each part before the last is staged under its own key (one write, with an
 * expiration, so an abandoned import leaves nothing behind); the rebuild never reads those keys. The last part reads
 * the others, resolves every reply's parent across parts and goes on as one whole thread: one imported document,
 * one snapshot, one count. Staged parts are written at once, whatever today's import budget (one write each); only
 * the whole post waits in the import queue when the day's writes are spent.
 */
import type { ImportThreadResult } from '@sala/protocol';
import type { PreparedThread } from '../domain/import-input.js';
import type { StoredComment } from '../domain/stored-comment.js';
import { invalidField } from '../errors.js';
import { importStageKey, pageRef } from './keys.js';

/** Staged parts expire after this: days enough for an owner's import, and for a queued post to wait a night. */
export const STAGE_TTL_SECONDS = 3 * 24 * 60 * 60;

export interface StagedRequest {
  /** The threads to import, in the request's order: whole threads, and each post whose last part came, assembled. */
  ready: PreparedThread[];
  /** Per thread of the request: its result when it was a part before the last, otherwise null (see `ready`). */
  staged: (ImportThreadResult | null)[];
}

/**
 * Stages the parts before the last and assembles each post whose last part is in the request. Throws a 400 naming
 * the problem when a part is missing or a reply's parent is in no part. With `dryRun` nothing is staged, so each
 * part is checked alone against what the page already has: its result says how many of its comments are new, and
 * the parts' results add up to the post's.
 */
export async function stageParts(
  kv: KVNamespace,
  site: string,
  threads: PreparedThread[],
  { dryRun = false }: { dryRun?: boolean } = {},
): Promise<StagedRequest> {
  const ready: PreparedThread[] = [];
  const staged: (ImportThreadResult | null)[] = [];
  for (const [i, thread] of threads.entries()) {
    const part = thread.part;
    if (part === undefined || dryRun) {
      if (part === undefined) ready.push(thread);
      else ready.push(withoutPart(thread));
      staged.push(null);
      continue;
    }
    const page = await pageRef(site, thread.pageId);
    if (part.index < part.count - 1) {
      const key = importStageKey(page, part);
      const value = JSON.stringify(thread);
      // Sent again, the same part costs a read, not a write.
      const same = (await kv.get(key)) === value;
      if (!same) await kv.put(key, value, { expirationTtl: STAGE_TTL_SECONDS });
      staged.push({ pageId: thread.pageId, outcome: same ? 'unchanged' : 'staged', added: 0 });
      continue;
    }
    const keys = Array.from({ length: part.count - 1 }, (_, index) => importStageKey(page, { ...part, index }));
    const earlier = await kv.get<PreparedThread>(keys, 'json');
    const parts = keys.map((key, index) => {
      const found = earlier.get(key);
      if (found === null || found === undefined) {
        throw invalidField(
          `threads[${i}].part`,
          `threads[${i}] is the last of ${part.count} parts, but part ${index} of this post was not received (or expired): send it, then this part again.`,
        );
      }
      return found;
    });
    ready.push(assemble([...parts, thread], `threads[${i}]`));
    staged.push(null);
  }
  return { ready, staged };
}

/** A part on its own, as a dry run sees it: a reply whose parent is in another part stays where it is. */
function withoutPart(thread: PreparedThread): PreparedThread {
  const { part: _part, ...alone } = thread;
  return alone;
}

/**
 * The parts of one post as one thread: comments in part order, each reply's parent resolved by source id across
 * parts, then ordered so parents come before their replies. A parent in no part is refused, naming the reply.
 */
export function assemble(parts: PreparedThread[], field: string): PreparedThread {
  const last = parts[parts.length - 1]!;
  const comments: StoredComment[] = [];
  const parentSourceIds: (string | null)[] = [];
  const sourceIds: string[] = [];
  const idOf = new Map<string, string>();
  for (const part of parts) {
    part.comments.forEach((comment, j) => {
      const sourceId = part.part!.sourceIds[j]!;
      if (idOf.has(sourceId)) {
        throw invalidField(
          `${field}.comments`,
          `Comment ${sourceId} is in two parts of this post (part ${part.part!.index} and an earlier one).`,
        );
      }
      idOf.set(sourceId, comment.id);
      comments.push(comment);
      sourceIds.push(sourceId);
      parentSourceIds.push(part.part!.parentSourceIds[j] ?? null);
    });
  }

  const resolved = comments.map((comment, k) => {
    const parentSourceId = parentSourceIds[k]!;
    if (parentSourceId === null) return comment;
    const parentId = idOf.get(parentSourceId);
    if (parentId === undefined) {
      throw invalidField(
        `${field}.comments`,
        `Comment ${sourceIds[k]} replies to ${parentSourceId}, which is in no part of this post.`,
      );
    }
    if (comment.pinned) {
      throw invalidField(`${field}.comments`, `Comment ${sourceIds[k]} is pinned: only a top-level comment can be.`);
    }
    return parentId === comment.parentId ? comment : { ...comment, parentId };
  });

  // Parents before their replies, each reply after its parent in part order; a loop of replies is refused.
  const byId = new Map(resolved.map((comment, k) => [comment.id, k]));
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const ordered: StoredComment[] = [];
  const place = (k: number): void => {
    const comment = resolved[k]!;
    if (placed.has(comment.id)) return;
    if (visiting.has(comment.id)) {
      throw invalidField(`${field}.comments`, `Comment ${sourceIds[k]} is its own ancestor through its replies.`);
    }
    visiting.add(comment.id);
    if (comment.parentId !== null) place(byId.get(comment.parentId)!);
    visiting.delete(comment.id);
    placed.add(comment.id);
    ordered.push(comment);
  };
  resolved.forEach((_, k) => place(k));

  const { part: _part, ...whole } = last;
  return { ...whole, comments: ordered };
}
