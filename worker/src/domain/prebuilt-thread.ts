/**
 * An imported thread with each comment's JSON already written: its imported-document form (the stored comment) and
 * its snapshot form (public, or the blank placeholder). A post sent in parts is prebuilt part by part, each in the
 * request that carries it, so the request that publishes the whole post only checks parents across parts and joins
 * pieces: its CPU time is one part's, whatever the post's size (the free plan allows 10 ms per invocation). Pure.
 */
import { invalidField } from '../errors.js';
import type { PreparedThread } from './import-input.js';
import { isVisible, toPlaceholder, toPublicComment, type ModerationStatus, type StoredComment } from './stored-comment.js';
import type { SnapshotActivity } from './comment-activity.js';

/** What assembling and publishing need to know of one comment, without parsing its JSON. */
export interface PrebuiltEntry {
  id: string;
  /** In a part: the comment's id in its source, by which replies in other parts name it. */
  sourceId?: string;
  /** Null at the top level, and while the parent is known only by `parentSourceId`. */
  parentId: string | null;
  /** In a part: the parent's source id when the parent is in another part of the post, until the post is assembled. */
  parentSourceId?: string;
  createdAt: string;
  status: ModerationStatus;
  /** Shown as itself (approved, not deleted); otherwise only as a blank placeholder while a reply below it is. */
  visible: boolean;
  pinned?: true;
}

/** The thread's own fields (`PreparedThread` without its comments) and one entry per comment. */
export interface PrebuiltHeader {
  pageId: string;
  pageUrl?: string;
  title?: string;
  closed: boolean;
  closedAt?: string;
  part?: { index: number; count: number };
  entries: PrebuiltEntry[];
}

export interface PrebuiltThread extends PrebuiltHeader {
  /** Per entry: the stored comment's JSON, an element of the page's imported document. */
  stored: string[];
  /** Per entry: its JSON in the page's snapshot, public (`toPublicComment`) or placeholder (`toPlaceholder`). */
  shown: string[];
}

/** Stands for a parent in another part in a piece's JSON until the post is assembled; never a comment id. */
const UNRESOLVED = '?';
const UNRESOLVED_FIELD = `"parentId":${JSON.stringify(UNRESOLVED)}`;

/** Maps `thread`'s comments to both forms, once: the part's own share of the work. */
export function prebuild(thread: PreparedThread): PrebuiltThread {
  const { comments, part, ...fields } = thread;
  const entries: PrebuiltEntry[] = [];
  const stored: string[] = [];
  const shown: string[] = [];
  comments.forEach((comment, j) => {
    const parentSourceId = part?.parentSourceIds[j] ?? null;
    // In a part, a parent in no earlier comment of it is in another part: the last part resolves it.
    const unresolved = comment.parentId === null && parentSourceId !== null;
    const piece = unresolved ? { ...comment, parentId: UNRESOLVED } : comment;
    const entry: PrebuiltEntry = {
      id: comment.id,
      parentId: comment.parentId,
      createdAt: comment.createdAt,
      status: comment.status,
      visible: isVisible(comment),
    };
    if (part !== undefined) entry.sourceId = part.sourceIds[j]!;
    if (unresolved) entry.parentSourceId = parentSourceId;
    if (comment.pinned === true) entry.pinned = true;
    entries.push(entry);
    stored.push(JSON.stringify(piece));
    shown.push(JSON.stringify(entry.visible ? toPublicComment(piece) : toPlaceholder(piece)));
  });
  const header: PrebuiltThread = { ...fields, entries, stored, shown };
  if (part !== undefined) header.part = { index: part.index, count: part.count };
  return header;
}

/**
 * One KV value: the header's JSON on the first line, then one line per stored piece, then one per shown piece
 * (JSON never holds a raw line break), so reading it back parses the small header and splits the rest.
 */
export function prebuiltText(thread: PrebuiltThread): string {
  const { stored, shown, ...header } = thread;
  return [JSON.stringify(header), ...stored, ...shown].join('\n');
}

/** The value `prebuiltText` wrote; null when it is not one (e.g. written by an older version). */
export function readPrebuilt(text: string): PrebuiltThread | null {
  const lines = text.split('\n');
  let header: PrebuiltHeader;
  try {
    header = JSON.parse(lines[0]!) as PrebuiltHeader;
  } catch {
    return null;
  }
  const count = Array.isArray(header?.entries) ? header.entries.length : -1;
  if (count < 0 || lines.length !== 1 + 2 * count) return null;
  return { ...header, stored: lines.slice(1, 1 + count), shown: lines.slice(1 + count) };
}

/** The comments themselves, for what works on whole records (merging with an earlier import, moderation entries). */
export function storedComments(thread: PrebuiltThread, only?: (entry: PrebuiltEntry) => boolean): StoredComment[] {
  return thread.stored.flatMap((piece, k) =>
    only === undefined || only(thread.entries[k]!) ? [JSON.parse(piece) as StoredComment] : [],
  );
}

/** The thread as `mergeImport` takes it. Its parents are resolved (a whole thread, or an assembled post). */
export function toPrepared(thread: PrebuiltThread): PreparedThread {
  const { entries: _entries, stored: _stored, shown: _shown, part: _part, ...fields } = thread;
  return { ...fields, comments: storedComments(thread) };
}

/** `piece` with its parent placeholder replaced by the parent's id. */
function withParent(piece: string, parentId: string): string {
  return piece.replace(UNRESOLVED_FIELD, () => `"parentId":${JSON.stringify(parentId)}`);
}

/**
 * The parts of one post (in part order, the last one last) as one thread: each reply's parent resolved by source id
 * across parts, comments ordered so parents come before their replies. Refused with a 400 naming `field`: a comment
 * in two parts, a parent in no part, a pinned reply, a loop of replies, parts naming different addresses.
 */
export function assembleParts(parts: PrebuiltThread[], field: string): PrebuiltThread {
  const last = parts[parts.length - 1]!;
  const idOf = new Map<string, string>();
  for (const part of parts) {
    if (part.pageUrl !== last.pageUrl) {
      throw invalidField(
        `${field}.pageUrl`,
        `${field}.pageUrl differs from part ${part.part?.index}'s: every part repeats the post's fields.`,
      );
    }
    for (const entry of part.entries) {
      const sourceId = entry.sourceId ?? entry.id;
      if (idOf.has(sourceId)) {
        throw invalidField(
          `${field}.comments`,
          `Comment ${sourceId} is in two parts of this post (part ${part.part?.index} and an earlier one).`,
        );
      }
      idOf.set(sourceId, entry.id);
    }
  }

  const entries: PrebuiltEntry[] = [];
  const stored: string[] = [];
  const shown: string[] = [];
  for (const part of parts) {
    part.entries.forEach((entry, j) => {
      const { parentSourceId, ...resolved } = entry;
      let storedPiece = part.stored[j]!;
      let shownPiece = part.shown[j]!;
      if (parentSourceId !== undefined) {
        const parentId = idOf.get(parentSourceId);
        if (parentId === undefined) {
          throw invalidField(
            `${field}.comments`,
            `Comment ${entry.sourceId} replies to ${parentSourceId}, which is in no part of this post.`,
          );
        }
        if (entry.pinned === true) {
          throw invalidField(`${field}.comments`, `Comment ${entry.sourceId} is pinned: only a top-level comment can be.`);
        }
        resolved.parentId = parentId;
        storedPiece = withParent(storedPiece, parentId);
        shownPiece = withParent(shownPiece, parentId);
      }
      entries.push(resolved);
      stored.push(storedPiece);
      shown.push(shownPiece);
    });
  }

  // Parents before their replies, each reply after its parent in part order; a loop of replies is refused.
  const at = new Map(entries.map((entry, k) => [entry.id, k]));
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const order: number[] = [];
  const place = (k: number): void => {
    const entry = entries[k]!;
    if (placed.has(entry.id)) return;
    if (visiting.has(entry.id)) {
      throw invalidField(`${field}.comments`, `Comment ${entry.sourceId ?? entry.id} is its own ancestor through its replies.`);
    }
    visiting.add(entry.id);
    if (entry.parentId !== null) place(at.get(entry.parentId)!);
    visiting.delete(entry.id);
    placed.add(entry.id);
    order.push(k);
  };
  entries.forEach((_, k) => place(k));

  const { part: _part, ...whole } = last;
  return {
    ...whole,
    entries: order.map((k) => entries[k]!),
    stored: order.map((k) => stored[k]!),
    shown: order.map((k) => shown[k]!),
  };
}

/** `objectJson` (a JSON object whose `field` is null) with that field's value set to `valueJson`. */
function spliceField(objectJson: string, field: string, valueJson: string): string {
  const marker = `${JSON.stringify(field)}:null`;
  // The first occurrence is the field: earlier values are strings, whose quotes JSON escapes.
  const at = objectJson.indexOf(marker);
  return `${objectJson.slice(0, at)}${JSON.stringify(field)}:${valueJson}${objectJson.slice(at + marker.length)}`;
}

/** What publishing a prebuilt thread on a page that has nothing else writes: the snapshot's text and its figures. */
export interface PublishedThread {
  /** The imported document's JSON (`ImportedThread`), its comments parents first. */
  document: string;
  /** The snapshot's JSON, exactly as `buildSnapshot` would build it from the document. */
  snapshot: string;
  /** What the count key's metadata is computed from (domain/comment-activity.ts countMetadata). */
  activity: SnapshotActivity;
}

/**
 * The imported document and the snapshot of a page whose only comments are `thread`'s (its first import, no reader
 * comment, so no owner decision either), joined from the pieces: what `buildSnapshot` makes of them, with no
 * comment parsed or mapped again. `closed`: the page is closed (by this import or before it).
 */
export function publishPrebuilt(thread: PrebuiltThread, now: Date, closed: boolean): PublishedThread {
  const updatedAt = now.toISOString();
  const documentFields: Record<string, unknown> = { pageId: thread.pageId, updatedAt, comments: null };
  if (thread.pageUrl !== undefined) documentFields.pageUrl = thread.pageUrl;
  if (thread.title !== undefined) documentFields.title = thread.title;
  const document = spliceField(JSON.stringify(documentFields), 'comments', `[${thread.stored.join(',')}]`);

  // As buildSnapshot: oldest first by id; a comment not visible shows as a placeholder while a reply below it shows.
  const entries = thread.entries;
  const children = new Map<string, number[]>();
  entries.forEach((entry, k) => {
    if (entry.parentId === null) return;
    const siblings = children.get(entry.parentId);
    if (siblings === undefined) children.set(entry.parentId, [k]);
    else siblings.push(k);
  });
  const shownMemo = new Map<number, boolean>();
  const isShown = (k: number): boolean => {
    const known = shownMemo.get(k);
    if (known !== undefined) return known;
    shownMemo.set(k, false);
    const result = entries[k]!.visible || (children.get(entries[k]!.id) ?? []).some(isShown);
    shownMemo.set(k, result);
    return result;
  };
  const order = entries
    .map((_, k) => k)
    .filter(isShown)
    .sort((a, b) => (entries[a]!.id < entries[b]!.id ? -1 : entries[a]!.id > entries[b]!.id ? 1 : 0));
  const total = entries.filter((entry) => entry.visible).length;

  const snapshotFields: Record<string, unknown> = { pageId: thread.pageId, total, comments: null, builtAt: updatedAt };
  // pageLinkOf: every comment carries the thread's address; it counts once one of them is shown.
  if (thread.pageUrl !== undefined && total > 0) snapshotFields.pageUrl = thread.pageUrl;
  if (closed) snapshotFields.closed = true;
  snapshotFields.importedAt = updatedAt;
  const snapshot = spliceField(
    JSON.stringify(snapshotFields),
    'comments',
    `[${order.map((k) => thread.shown[k]!).join(',')}]`,
  );
  const activity = {
    total,
    comments: order.map((k) =>
      entries[k]!.visible ? { createdAt: entries[k]!.createdAt } : { createdAt: entries[k]!.createdAt, deleted: true },
    ),
  };
  return { document, snapshot, activity };
}
