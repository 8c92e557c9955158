/**
 * Comment records: one KV key each, the source every snapshot is rebuilt from, plus the owner's decision on it
 * under a key of its own. Every read here returns the two merged (domain/stored-comment.ts withOwnerDecision).
 * Imported comments live together in one document per page (storage/imported-threads.ts); reads here find them
 * too, and a comment key of the same id (the owner's edit, an erasure) wins over the imported copy.
 */
import { newCommentId } from '../domain/comment-id.js';
import type { ImportedThread } from '../domain/imported-thread.js';
import { withOwnerDecision, type OwnerDecision, type StoredComment } from '../domain/stored-comment.js';
import { IMPORTED_VERSION } from '../domain/thread.js';
import { rateLimited } from '../errors.js';
import { ImportedThreads } from './imported-threads.js';
import { commentKey, commentPrefix, decisionKey, decisionPrefix, type PageRef } from './keys.js';

/** Small enough to ride on the key, so list() can tell what a key holds without reading it. */
export interface CommentKeyMetadata {
  status: StoredComment['status'];
  createdAt: string;
  deleted?: true;
  /** The value's `writeId`: absent on keys written before it existed. */
  writeId?: string;
}

/** A decision key's metadata: its value's `decidedAt` (absent on keys written before it existed). */
interface DecisionKeyMetadata {
  decidedAt?: string;
}

/**
 * One comment of a page as the thread rebuild gets it: its version (which write of its comment key and of its
 * decision key it stands for) and, unless the caller already has that version, the comment itself.
 */
export interface VersionedComment {
  id: string;
  version: string;
  comment?: StoredComment;
}

/** A comment key's version from its list metadata, or from its value once read (the value's own write wins). */
function commentVersion(metadata: CommentKeyMetadata | null | undefined, value?: StoredComment): string {
  const writeId = value === undefined ? metadata?.writeId : value.writeId;
  // Keys from before writeId: their status and deletion are all list() can tell apart.
  return writeId ?? `legacy:${metadata?.status ?? ''}:${metadata?.deleted === true ? 'deleted' : ''}`;
}

/**
 * A decision key's version: '' when list() shows none. Once read, the value's own `decidedAt`, so an older copy
 * read in a location that had not seen the newest decision yet is read again next time.
 */
function decisionVersion(
  decided: Map<string, DecisionKeyMetadata | null> | null,
  id: string,
  value?: OwnerDecision | null,
): string {
  // Not listed (nothing to reuse, so every comment is read with its decision): one that has a decision is read
  // again by the next rebuild, which lists them.
  if (decided === null) return value === null || value === undefined ? '' : 'unlisted';
  const listed = decided.get(id);
  if (listed === undefined) return '';
  if (listed === null || listed.decidedAt === undefined) return 'legacy';
  return value === undefined ? listed.decidedAt : (value?.decidedAt ?? '');
}

/** The version of a comment held only in the page's imported document (no key of its own). */
const IMPORTED = IMPORTED_VERSION;

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
  async #getOwnKeys(refs: CommentRef[]): Promise<{
    comments: (StoredComment | null)[];
    decisions: (OwnerDecision | null)[];
    /** Each comment key's value as stored, before the decision: what its version is read from. */
    stored: (StoredComment | null)[];
  }> {
    const comments: (StoredComment | null)[] = [];
    const decisions: (OwnerDecision | null)[] = [];
    const stored: (StoredComment | null)[] = [];
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
        stored.push(comment);
      });
    }
    return { comments, decisions, stored };
  }

  /**
   * The comments of an imported document that have no key of their own, decisions applied: what the export adds
   * to the comment keys it has already walked (a comment with a key, the owner's edit or an erasure, is there).
   */
  async onlyImported(page: PageRef, imported: readonly StoredComment[]): Promise<StoredComment[]> {
    const { comments, decisions } = await this.#getOwnKeys(imported.map((comment) => ({ page, id: comment.id })));
    return imported.flatMap((comment, i) => (comments[i] === null ? [withOwnerDecision(comment, decisions[i]!)] : []));
  }

  /** `writeId`: the version this write makes (a new one each write; its dirty marker may name it first). */
  async put(page: PageRef, comment: StoredComment, writeId = newCommentId()): Promise<void> {
    const written: StoredComment = { ...comment, writeId };
    const metadata: CommentKeyMetadata = {
      status: comment.status,
      createdAt: comment.createdAt,
      writeId: written.writeId!,
    };
    if (comment.deletedAt !== undefined) metadata.deleted = true;
    try {
      await this.kv.put(commentKey(page, comment.id), JSON.stringify(written), { metadata });
    } catch (error) {
      // KV takes one write per second per key: two quick edits of one comment is the commenter's retry to make.
      if (isRateLimited(error)) {
        throw rateLimited('This comment changed a moment ago; try again in a second.', 1);
      }
      throw error;
    }
  }

  /** Only the owner's actions call this: the decision key has no other writer. */
  async decide(page: PageRef, commentId: string, decision: OwnerDecision): Promise<void> {
    const metadata: DecisionKeyMetadata = { decidedAt: decision.decidedAt };
    await this.kv.put(decisionKey(page, commentId), JSON.stringify(decision), { metadata });
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

  /**
   * The page's comments of `status`, not deleted, newest first, older than `before` (an id) when given: `limit` of
   * them, and whether more follow. What the owner's list of one page shows. List metadata says each comment key's
   * status and the imported document each imported comment's, which is the comment's status unless the owner decided
   * on it (a decision key is listed) or the key is older than metadata; so only those and the comments served are
   * read: a page of 1,000 comments costs two list() walks, its document and a few bulk gets, not 2,000 reads.
   * `linked` (a comment a link names, with no `before`): when it is in the list further down than the first `limit`,
   * the page served starts at it (`fromLinked`), so it costs what any page does, however far down it is; elsewhere
   * (in the first page, or no longer in the list) the first page is served as without it.
   */
  async listByStatus(
    page: PageRef,
    status: StoredComment['status'],
    before: string | null,
    limit: number,
    linked: string | null = null,
  ): Promise<{ comments: StoredComment[]; more: boolean; fromLinked?: true }> {
    const [listed, decided, imported] = await Promise.all([
      this.#listMetadata<CommentKeyMetadata>(commentPrefix(page)),
      this.#listMetadata<DecisionKeyMetadata>(decisionPrefix(page)),
      new ImportedThreads(this.kv).read(page),
    ]);
    const onlyImported = new Map<string, StoredComment>();
    for (const comment of imported?.comments ?? []) if (!listed.has(comment.id)) onlyImported.set(comment.id, comment);
    const mayBe = (id: string): boolean => {
      if (decided.has(id)) return true;
      const held = onlyImported.get(id);
      if (held !== undefined) return held.status === status && held.deletedAt === undefined;
      const metadata = listed.get(id);
      return metadata === null || (metadata?.status === status && metadata.deleted !== true);
    };
    const candidates = [...listed.keys(), ...onlyImported.keys()]
      .filter((id) => (before === null || id < before) && mayBe(id))
      .sort((a, b) => (a < b ? 1 : -1));

    // A candidate is sure to be of `status` when neither a decision nor a key without metadata can say otherwise.
    const sure = (id: string): boolean => !decided.has(id) && listed.get(id) !== null;
    /** Where a bulk get from `start` ends: once it holds `needed` sure ones, or is full. */
    const batchEnd = (start: number, needed: number): number => {
      let end = start;
      while (needed > 0 && end < candidates.length && end - start < BULK_GET_LIMIT / 2) {
        if (sure(candidates[end++]!)) needed -= 1;
      }
      return end;
    };
    /** Reads in id order from `first` until one more than `limit` is found: that one says more follow. */
    const readFrom = async (first: number): Promise<{ comments: StoredComment[]; more: boolean }> => {
      const found: StoredComment[] = [];
      for (let start = first, end = first; start < candidates.length && found.length <= limit; start = end) {
        end = batchEnd(start, limit + 1 - found.length);
        const ids = candidates.slice(start, end);
        // An imported comment the owner never decided on is already here, as it is: only the others are read.
        const toRead = ids.filter((id) => !onlyImported.has(id) || decided.has(id));
        const { comments, decisions } = await this.#getOwnKeys(toRead.map((id) => ({ page, id })));
        const read = new Map(toRead.map((id, i) => [id, { comment: comments[i] ?? null, decision: decisions[i]! }]));
        for (const id of ids) {
          const held = onlyImported.get(id);
          const got = read.get(id);
          const comment = held === undefined ? got?.comment : withOwnerDecision(held, got?.decision ?? null);
          // null: listed but not readable here yet (KV's lag), as if not listed.
          if (comment && comment.status === status && comment.deletedAt === undefined) found.push(comment);
        }
      }
      return { comments: found.slice(0, limit), more: found.length > limit };
    };

    const at = linked === null || before !== null ? -1 : candidates.indexOf(linked);
    if (at >= limit) {
      const fromLinked = await readFrom(at);
      // Decided on since it was listed: not in this list after all, so the list from its top.
      if (fromLinked.comments[0]?.id === linked) return { ...fromLinked, fromLinked: true };
    }
    return readFrom(0);
  }

  /**
   * Every comment of the page, its own keys' and its imported document's, in id order, each with its version;
   * the comment itself (decision applied) only where `known(id, version)` is false, or for imported comments
   * when the document is not the one of `knownImport` (its `updatedAt`). So a rebuild reads the values of what
   * changed since its snapshot: two list() walks (comment keys, decision keys, whose metadata carry the
   * versions), the imported document, and bulk gets of the changed comments and their decisions. `known` null:
   * nothing to reuse, so every comment is read and the decision keys are not listed (a thread's first import).
   * `listedFirst`, when given, gets every comment's id and listed version (in id order) before `known` is asked
   * of any: the rebuild reads there what it needs to answer. `readImported`: how the imported document is read (a
   * rebuild that read it already for another reason hands it over: a big post's is MBs to parse).
   */
  async readChanged(
    page: PageRef,
    known: ((id: string, version: string) => boolean) | null,
    knownImport: string | null,
    listedFirst?: (listed: readonly VersionedComment[]) => Promise<void>,
    readImported: () => Promise<ImportedThread | null> = () => new ImportedThreads(this.kv).read(page),
  ): Promise<{ comments: VersionedComment[]; importedAt: string | null }> {
    const [listed, decided, imported] = await Promise.all([
      this.#listMetadata<CommentKeyMetadata>(commentPrefix(page)),
      known === null ? null : this.#listMetadata<DecisionKeyMetadata>(decisionPrefix(page)),
      readImported(),
    ]);
    const own: VersionedComment[] = [];
    for (const [id, metadata] of listed) {
      own.push({ id, version: `${commentVersion(metadata)}/${decisionVersion(decided, id)}` });
    }
    if (listedFirst !== undefined) {
      const onlyImported = (imported?.comments ?? [])
        .filter((comment) => !listed.has(comment.id))
        .map((comment) => ({ id: comment.id, version: `${IMPORTED}/${decisionVersion(decided, comment.id)}` }))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      await listedFirst(onlyImported.length === 0 ? own : mergeById(own, onlyImported));
    }
    const changed = known === null ? own : own.filter((entry) => !known(entry.id, entry.version));
    const { stored, comments, decisions } = await this.#getOwnKeys(changed.map(({ id }) => ({ page, id })));
    const unreadable = new Set<string>();
    changed.forEach((entry, i) => {
      const comment = comments[i] ?? null;
      // Listed but not readable here yet (KV's lag): left out, as before list() showed it; the next rebuild.
      if (comment === null) unreadable.add(entry.id);
      else {
        entry.comment = comment;
        const decision = decisionVersion(decided, entry.id, decisions[i]);
        entry.version = `${commentVersion(listed.get(entry.id), stored[i]!)}/${decision}`;
      }
    });
    const readable = unreadable.size === 0 ? own : own.filter((entry) => !unreadable.has(entry.id));
    if (imported === null) return { comments: readable, importedAt: null };

    const onlyImported = await this.#importedVersions(page, imported, listed, decided, known, knownImport);
    return { comments: mergeById(readable, onlyImported), importedAt: imported.updatedAt };
  }

  /**
   * The comments `ids` of the page, each with its version and its value (decision applied), read in bulk gets of
   * their comment and decision keys, with no list() walk: what a rebuild that knows which comments changed reads
   * (storage/thread-rebuild.ts `byNamed`). The versions are the ones `readChanged` records for the same values.
   * Null for one without a key of its own (an imported comment, or one not readable here yet).
   */
  async readNamed(page: PageRef, ids: readonly string[]): Promise<(VersionedComment | null)[]> {
    const { stored, comments, decisions } = await this.#getOwnKeys(ids.map((id) => ({ page, id })));
    return ids.map((id, i) => {
      const value = stored[i];
      const comment = comments[i];
      if (value === null || value === undefined || comment === null || comment === undefined) return null;
      // What the key's metadata says of a value written without `writeId` (`put` writes both from the value).
      const metadata: CommentKeyMetadata = { status: value.status, createdAt: value.createdAt };
      if (value.deletedAt !== undefined) metadata.deleted = true;
      const decision = decisions[i];
      const decided = decision === null || decision === undefined ? '' : (decision.decidedAt ?? 'legacy');
      return { id, version: `${commentVersion(metadata, value)}/${decided}`, comment };
    });
  }

  async #importedVersions(
    page: PageRef,
    imported: ImportedThread,
    listed: Map<string, CommentKeyMetadata | null>,
    decided: Map<string, DecisionKeyMetadata | null> | null,
    known: ((id: string, version: string) => boolean) | null,
    knownImport: string | null,
  ): Promise<VersionedComment[]> {
    const entries: (VersionedComment & { source?: StoredComment })[] = [];
    for (const comment of imported.comments) {
      if (listed.has(comment.id)) continue;
      const entry = { id: comment.id, version: `${IMPORTED}/${decisionVersion(decided, comment.id)}` };
      const same = known !== null && imported.updatedAt === knownImport && known(entry.id, entry.version);
      entries.push(same ? entry : { ...entry, source: comment });
    }
    const toRead = entries.filter((entry) => entry.source !== undefined);
    const decisions = await this.#decisions(toRead.map(({ id }) => ({ page, id })));
    toRead.forEach((entry, i) => {
      entry.comment = withOwnerDecision(entry.source!, decisions[i]!);
      entry.version = `${IMPORTED}/${decisionVersion(decided, entry.id, decisions[i])}`;
      delete entry.source;
    });
    return entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Ids under `prefix` with their list metadata (null for a key listed without any), in key order. */
  async #listMetadata<T>(prefix: string): Promise<Map<string, T | null>> {
    const found = new Map<string, T | null>();
    let cursor: string | undefined;
    do {
      const listed = await this.kv.list<T>({ prefix, ...(cursor ? { cursor } : {}) });
      for (const key of listed.keys) found.set(key.name.slice(prefix.length), key.metadata ?? null);
      cursor = listed.list_complete ? undefined : listed.cursor;
    } while (cursor);
    return found;
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

/** Two lists each in id order, merged into one in id order. */
function mergeById(a: VersionedComment[], b: VersionedComment[]): VersionedComment[] {
  const merged: VersionedComment[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j === b.length || (i < a.length && a[i]!.id < b[j]!.id)) merged.push(a[i++]!);
    else merged.push(b[j++]!);
  }
  return merged;
}
