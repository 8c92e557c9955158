/**
 * Comment records: one KV key each, the source every snapshot is rebuilt from, plus the owner's decision on it
 * under a key of its own. Every read here returns the two merged (domain/stored-comment.ts withOwnerDecision).
 * Imported comments live together in one document per page (storage/imported-threads.ts); reads here find them
 * too, and a comment key of the same id (the owner's edit, an erasure) wins over the imported copy.
 */
import { withOwnerDecision, type OwnerDecision, type StoredComment } from '../domain/stored-comment.js';
import { ApiError } from '../errors.js';
import { ImportedThreads } from './imported-threads.js';
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

  /**
   * Each comment named, with the owner's decision applied (null where there is none), in bulk gets of 100 keys.
   * Ids without a comment key are looked for in their pages' imported documents (one more bulk read, only then).
   */
  async getMany(refs: CommentRef[]): Promise<(StoredComment | null)[]> {
    const { comments, decisions } = await this.#getOwnKeys(refs);
    const missing = refs.flatMap((ref, i) => (comments[i] === null ? [i] : []));
    if (missing.length === 0) return comments;

    const pages = [...new Map(missing.map((i) => [refs[i]!.page.pageHash, refs[i]!.page])).values()];
    const imported = new Map<string, StoredComment>();
    for (let start = 0; start < pages.length; start += BULK_GET_LIMIT) {
      const chunk = pages.slice(start, start + BULK_GET_LIMIT);
      const documents = await new ImportedThreads(this.kv).readMany(chunk);
      documents.forEach((document, i) => {
        for (const comment of document?.comments ?? []) imported.set(`${chunk[i]!.pageHash}:${comment.id}`, comment);
      });
    }
    for (const i of missing) {
      const comment = imported.get(`${refs[i]!.page.pageHash}:${refs[i]!.id}`);
      if (comment !== undefined) comments[i] = withOwnerDecision(comment, decisions[i]!);
    }
    return comments;
  }

  /** The owner's decisions on the comments named, null where none, in bulk gets of 100 keys. */
  async #decisions(refs: CommentRef[]): Promise<(OwnerDecision | null)[]> {
    const decisions: (OwnerDecision | null)[] = [];
    for (let start = 0; start < refs.length; start += BULK_GET_LIMIT) {
      const keys = refs.slice(start, start + BULK_GET_LIMIT).map((ref) => decisionKey(ref.page, ref.id));
      const values = await this.kv.get<OwnerDecision>([...new Set(keys)], 'json');
      decisions.push(...keys.map((key) => values.get(key) ?? null));
    }
    return decisions;
  }

  /**
   * The comments named that have a key of their own, decisions applied, null for the others; and every ref's
   * decision, read in the same bulk gets, for an imported comment that has no key.
   */
  async #getOwnKeys(
    refs: CommentRef[],
  ): Promise<{ comments: (StoredComment | null)[]; decisions: (OwnerDecision | null)[] }> {
    const comments: (StoredComment | null)[] = [];
    const decisions: (OwnerDecision | null)[] = [];
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
        decisions.push(decision);
      });
    }
    return { comments, decisions };
  }

  /**
   * The comments of an imported document that have no key of their own, decisions applied: what the export adds
   * to the comment keys it has already walked (a comment with a key, the owner's edit or an erasure, is there).
   */
  async onlyImported(page: PageRef, imported: readonly StoredComment[]): Promise<StoredComment[]> {
    const { comments, decisions } = await this.#getOwnKeys(imported.map((comment) => ({ page, id: comment.id })));
    return imported.flatMap((comment, i) => (comments[i] === null ? [withOwnerDecision(comment, decisions[i]!)] : []));
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
    return (await this.readPage(page)).comments;
  }

  /**
   * Every comment of the page, its own keys' and its imported document's, decisions applied; and when that document
   * was written, so the rebuild can say which import its snapshot includes.
   */
  async readPage(page: PageRef): Promise<{ comments: StoredComment[]; importedAt: string | null }> {
    const [own, imported] = await Promise.all([this.#listOwnKeys(page), new ImportedThreads(this.kv).read(page)]);
    if (imported === null) return { comments: own, importedAt: null };

    const ownIds = new Set(own.map((comment) => comment.id));
    const onlyImported = imported.comments.filter((comment) => !ownIds.has(comment.id));
    const decisions = await this.#decisions(onlyImported.map((comment) => ({ page, id: comment.id })));
    const decided = onlyImported.map((comment, i) => withOwnerDecision(comment, decisions[i]!));
    return { comments: [...decided, ...own], importedAt: imported.updatedAt };
  }

  async #listOwnKeys(page: PageRef): Promise<StoredComment[]> {
    const keys: string[] = [];
    let cursor: string | undefined;
    do {
      const listed = await this.kv.list({ prefix: commentPrefix(page), ...(cursor ? { cursor } : {}) });
      keys.push(...listed.keys.map((key) => key.name));
      cursor = listed.list_complete ? undefined : listed.cursor;
    } while (cursor);

    const prefix = commentPrefix(page);
    const { comments } = await this.#getOwnKeys(keys.map((key) => ({ page, id: key.slice(prefix.length) })));
    return comments.filter((comment): comment is StoredComment => comment !== null);
  }
}
