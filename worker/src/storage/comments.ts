/**
 * Comment records: one KV key each, the source every snapshot is rebuilt from, plus the owner's decision on it
 * under a key of its own. Every read here returns the two merged (domain/stored-comment.ts withOwnerDecision).
 */
import { withOwnerDecision, type OwnerDecision, type StoredComment } from '../domain/stored-comment.js';
import { ApiError } from '../errors.js';
import { commentKey, commentPrefix, decisionKey, type PageRef } from './keys.js';

/** Small enough to ride on the key, so list() can tell what a key holds without reading it. */
export interface CommentKeyMetadata {
  status: StoredComment['status'];
  createdAt: string;
  deleted?: true;
}

/** Most keys one bulk get takes: half comments, half their decisions. */
const BULK_GET_LIMIT = 100;

/** One comment of one page, as bulk reads name it. */
export interface CommentRef {
  page: PageRef;
  id: string;
}

function isRateLimited(error: unknown): boolean {
  return error instanceof Error && /429|too many/i.test(error.message);
}

export class CommentStore {
  constructor(private readonly kv: KVNamespace) {}

  /** The comment with the owner's decision applied; null when there is none. */
  async get(page: PageRef, commentId: string): Promise<StoredComment | null> {
    const [comment] = await this.getMany([{ page, id: commentId }]);
    return comment ?? null;
  }

  /** Each comment named, with the owner's decision applied (null where there is none), in bulk gets of 100 keys. */
  async getMany(refs: CommentRef[]): Promise<(StoredComment | null)[]> {
    const comments: (StoredComment | null)[] = [];
    const perGet = BULK_GET_LIMIT / 2;
    for (let start = 0; start < refs.length; start += perGet) {
      const chunk = refs.slice(start, start + perGet);
      const commentKeys = chunk.map((ref) => commentKey(ref.page, ref.id));
      const decisionKeys = chunk.map((ref) => decisionKey(ref.page, ref.id));
      const values = await this.kv.get<unknown>([...new Set([...commentKeys, ...decisionKeys])], 'json');
      chunk.forEach((_, i) => {
        const comment = (values.get(commentKeys[i]!) ?? null) as StoredComment | null;
        const decision = (values.get(decisionKeys[i]!) ?? null) as OwnerDecision | null;
        comments.push(comment === null ? null : withOwnerDecision(comment, decision));
      });
    }
    return comments;
  }

  async put(page: PageRef, comment: StoredComment): Promise<void> {
    const metadata: CommentKeyMetadata = { status: comment.status, createdAt: comment.createdAt };
    if (comment.deletedAt !== undefined) metadata.deleted = true;
    try {
      await this.kv.put(commentKey(page, comment.id), JSON.stringify(comment), { metadata });
    } catch (error) {
      // KV takes one write per second per key: two quick edits of one comment is the commenter's retry to make.
      if (isRateLimited(error)) {
        throw new ApiError('rate_limited', 429, 'This comment changed a moment ago; try again in a second.');
      }
      throw error;
    }
  }

  /** Only the owner's actions call this: the decision key has no other writer. */
  async decide(page: PageRef, commentId: string, decision: OwnerDecision): Promise<void> {
    await this.kv.put(decisionKey(page, commentId), JSON.stringify(decision));
  }

  /** Every comment stored for a page, whatever its state, decisions applied: a list() walk plus bulk gets. */
  async listAll(page: PageRef): Promise<StoredComment[]> {
    const keys: string[] = [];
    let cursor: string | undefined;
    do {
      const listed = await this.kv.list({ prefix: commentPrefix(page), ...(cursor ? { cursor } : {}) });
      keys.push(...listed.keys.map((key) => key.name));
      cursor = listed.list_complete ? undefined : listed.cursor;
    } while (cursor);

    const prefix = commentPrefix(page);
    const comments = await this.getMany(keys.map((key) => ({ page, id: key.slice(prefix.length) })));
    return comments.filter((comment): comment is StoredComment => comment !== null);
  }
}
