/** Comment records: one KV key each, the source every snapshot is rebuilt from. */
import type { StoredComment } from '../domain/stored-comment.js';
import { ApiError } from '../errors.js';
import { commentKey, commentPrefix, type PageRef } from './keys.js';

/** Small enough to ride on the key, so list() can tell what a key holds without reading it. */
export interface CommentKeyMetadata {
  status: StoredComment['status'];
  createdAt: string;
  deleted?: true;
}

/** Most keys one bulk get takes. */
const BULK_GET_LIMIT = 100;

export class CommentStore {
  constructor(private readonly kv: KVNamespace) {}

  get(page: PageRef, commentId: string): Promise<StoredComment | null> {
    return this.kv.get<StoredComment>(commentKey(page, commentId), 'json');
  }

  async put(page: PageRef, comment: StoredComment): Promise<void> {
    const metadata: CommentKeyMetadata = { status: comment.status, createdAt: comment.createdAt };
    if (comment.deletedAt !== undefined) metadata.deleted = true;
    try {
      await this.kv.put(commentKey(page, comment.id), JSON.stringify(comment), { metadata });
    } catch (error) {
      // KV takes one write per second per key: two quick edits of one comment is the commenter's retry to make.
      if (error instanceof Error && /429|too many/i.test(error.message)) {
        throw new ApiError('rate_limited', 429, 'This comment changed a moment ago; try again in a second.');
      }
      throw error;
    }
  }

  /** Every comment stored for a page, whatever its state: a list() walk plus bulk gets of 100. */
  async listAll(page: PageRef): Promise<StoredComment[]> {
    const keys: string[] = [];
    let cursor: string | undefined;
    do {
      const listed = await this.kv.list({ prefix: commentPrefix(page), ...(cursor ? { cursor } : {}) });
      keys.push(...listed.keys.map((key) => key.name));
      cursor = listed.list_complete ? undefined : listed.cursor;
    } while (cursor);

    const comments: StoredComment[] = [];
    for (let start = 0; start < keys.length; start += BULK_GET_LIMIT) {
      const values = await this.kv.get<StoredComment>(keys.slice(start, start + BULK_GET_LIMIT), 'json');
      for (const comment of values.values()) if (comment !== null) comments.push(comment);
    }
    return comments;
  }
}
