/**
 * An imported thread with each comment's JSON already written: its imported-document form (the stored comment) and
 * its snapshot form (public, or the blank placeholder). A post sent in parts is prebuilt part by part, each in the
 * request that carries it, so the request that publishes the whole post only checks parents across parts and joins
 * pieces: its CPU time is one part's, whatever the post's size (the free plan allows 10 ms per invocation). Pure.
 */
import { invalidField } from '../errors.js';
import type { PreparedThread } from './import-input.js';
import {
  isVisible,
  toPlaceholder,
  toPublicComment,
  type ModerationStatus,
  type StoredComment,
} from './stored-comment.js';
import type { SnapshotActivity } from './comment-activity.js';
import { IMPORTED_VERSION } from './thread.js';

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
  /**
   * The stored comments' JSON, elements of the page's imported document, in runs joined by commas (one run per part
   * of a post): the entries' order, and joined as they are, the document's comments, with no copy per comment.
   */
  stored: string[];
  /**
   * Each entry's JSON in the page's snapshot, public (`toPublicComment`) or placeholder (`toPlaceholder`), in runs
   * joined by PIECES, in the entries' order: a run is a JSON array's elements as it is, split only when the
   * snapshot's order is not the entries'.
   */
  shown: string[];
}

/** Between shown pieces: a comma, valid between array elements, and a line break, which JSON never writes itself. */
const PIECES = ',\n';

/**
 * Stands for a parent in another part in a piece's JSON until the post is assembled: `?` and the entry's place in
 * its part, never a comment id. Only the field itself can match: inside a JSON string value, quotes are escaped.
 */
const UNRESOLVED = /"parentId":"\?(\d+)"/g;

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
    const piece = unresolved ? { ...comment, parentId: `?${j}` } : comment;
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
  const header: PrebuiltThread = { ...fields, entries, stored: [stored.join(',')], shown: [shown.join(PIECES)] };
  if (part !== undefined) header.part = { index: part.index, count: part.count };
  return header;
}

/**
 * One KV value: the header's JSON, a line break, the stored pieces joined by commas, a line break, and the shown
 * pieces joined by PIECES (JSON never holds a raw line break), so reading it back parses the small header and cuts
 * the rest, with no piece split.
 */
export function prebuiltText(thread: PrebuiltThread): string {
  const { stored, shown, ...header } = thread;
  const storedRuns = stored.filter((run) => run !== '');
  const shownRuns = shown.filter((run) => run !== '');
  return `${JSON.stringify(header)}\n${storedRuns.join(',')}\n${shownRuns.join(PIECES)}`;
}

/** The value `prebuiltText` wrote; null when it is not one (e.g. written by an older version). */
export function readPrebuilt(text: string): PrebuiltThread | null {
  const headerEnd = text.indexOf('\n');
  const storedEnd = headerEnd < 0 ? -1 : text.indexOf('\n', headerEnd + 1);
  if (storedEnd < 0) return null;
  let header: PrebuiltHeader;
  try {
    header = JSON.parse(text.slice(0, headerEnd)) as PrebuiltHeader;
  } catch {
    return null;
  }
  if (!Array.isArray(header?.entries)) return null;
  return { ...header, stored: [text.slice(headerEnd + 1, storedEnd)], shown: [text.slice(storedEnd + 1)] };
}

/** The stored comments, all of them: what works on whole records (merging with an earlier import). */
export function storedComments(thread: PrebuiltThread): StoredComment[] {
  return thread.stored.flatMap((run) => (run === '' ? [] : (JSON.parse(`[${run}]`) as StoredComment[])));
}

/** The thread as `mergeImport` takes it. Its parents are resolved (a whole thread, or an assembled post). */
export function toPrepared(thread: PrebuiltThread): PreparedThread {
  const { entries: _entries, stored: _stored, shown: _shown, part: _part, ...fields } = thread;
  return { ...fields, comments: storedComments(thread) };
}

/** `json` with each parent placeholder replaced by the id `parentOf` gives for its entry's place. */
function withParents(json: string, parentOf: (place: number) => string): string {
  return json.replace(UNRESOLVED, (_, place: string) => `"parentId":${JSON.stringify(parentOf(Number(place)))}`);
}

/**
 * The parts of one post (in part order, the last one last) as one thread: each reply's parent resolved by source id
 * across parts, the comments in part order (the snapshot sorts them; the document's order does not matter). Refused
 * with a 400 naming `field`: a comment in two parts, a parent in no part, a pinned reply, a loop of replies, parts
 * naming different addresses.
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
    const resolved = part.entries.map(({ parentSourceId, ...entry }) => {
      if (parentSourceId === undefined) return entry;
      const parentId = idOf.get(parentSourceId);
      if (parentId === undefined) {
        throw invalidField(
          `${field}.comments`,
          `Comment ${entry.sourceId} replies to ${parentSourceId}, which is in no part of this post.`,
        );
      }
      if (entry.pinned === true) {
        throw invalidField(
          `${field}.comments`,
          `Comment ${entry.sourceId} is pinned: only a top-level comment can be.`,
        );
      }
      return { ...entry, parentId };
    });
    const parentOf = (place: number) => resolved[place]!.parentId!;
    const crossing = part.entries.some((entry) => entry.parentSourceId !== undefined);
    entries.push(...resolved);
    stored.push(...(crossing ? part.stored.map((run) => withParents(run, parentOf)) : part.stored));
    shown.push(...(crossing ? part.shown.map((run) => withParents(run, parentOf)) : part.shown));
  }

  // A loop of replies across parts would hang below nothing: refused.
  const parentOfId = new Map(entries.map((entry) => [entry.id, entry.parentId]));
  const rooted = new Set<string>();
  for (const entry of entries) {
    const chain = new Set<string>();
    for (let id: string | null = entry.id; id !== null && !rooted.has(id); id = parentOfId.get(id) ?? null) {
      if (chain.has(id)) {
        throw invalidField(
          `${field}.comments`,
          `Comment ${entry.sourceId ?? entry.id} is its own ancestor through its replies.`,
        );
      }
      chain.add(id);
    }
    for (const id of chain) rooted.add(id);
  }

  const { part: _part, ...whole } = last;
  return { ...whole, entries, stored, shown };
}

/** `objectJson` (a JSON object whose `field` is null) with that field's value set to `valueJson`. */
function spliceField(objectJson: string, field: string, valueJson: string): string {
  const marker = `${JSON.stringify(field)}:null`;
  // The first occurrence is the field: earlier values are strings, whose quotes JSON escapes.
  const at = objectJson.indexOf(marker);
  return `${objectJson.slice(0, at)}${JSON.stringify(field)}:${valueJson}${objectJson.slice(at + marker.length)}`;
}

/** A snapshot joined from pieces: its fields but `sources` and `comments`, and those two as JSON lines (PIECES). */
export interface JoinedSnapshot {
  fields: Record<string, unknown>;
  sources: string;
  comments: string;
}

/** What publishing a prebuilt thread on a page that has nothing else writes: the snapshot's text and its figures. */
export interface PublishedThread {
  /** The imported document's JSON (`ImportedThread`). */
  document: string;
  /** The snapshot, exactly as the rebuild would build it from the document (storage/threads.ts lays it out). */
  snapshot: JoinedSnapshot;
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
  const runs = thread.stored.filter((run) => run !== '');
  const document = spliceField(JSON.stringify(documentFields), 'comments', `[${runs.join(',')}]`);

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
  const order = entries.map((_, k) => k).filter(isShown);
  const inOrder = order.every((k, i) => i === 0 || entries[order[i - 1]!]!.id < entries[k]!.id);
  const shownRuns = thread.shown.filter((run) => run !== '');
  let comments: string;
  if (inOrder && order.length === entries.length) {
    // The usual case, every comment shown and listed oldest first: the runs as they are, no piece split or copied.
    comments = shownRuns.join(PIECES);
  } else {
    const pieces = shownRuns.flatMap((run) => run.split(PIECES));
    if (!inOrder) order.sort((a, b) => (entries[a]!.id < entries[b]!.id ? -1 : 1));
    comments = order.map((k) => pieces[k]!).join(PIECES);
  }
  const total = entries.filter((entry) => entry.visible).length;

  const fields: Record<string, unknown> = { pageId: thread.pageId, total, builtAt: updatedAt };
  // pageLinkOf: every comment carries the thread's address; it counts once one of them is shown.
  const link = thread.pageUrl !== undefined && total > 0 ? 0 : null;
  if (link !== null) fields.pageUrl = thread.pageUrl;
  if (closed) fields.closed = true;
  fields.importedAt = updatedAt;
  if (link !== null) fields.links = [thread.pageUrl];
  // As the rebuild keeps them (domain/thread.ts SnapshotSource): every comment, in id order, none decided on yet.
  const version = `${IMPORTED_VERSION}/`;
  const sourceOrder = entries.map((_, k) => k);
  if (!sourceOrder.every((k) => k === 0 || entries[k - 1]!.id < entries[k]!.id)) {
    sourceOrder.sort((a, b) => (entries[a]!.id < entries[b]!.id ? -1 : 1));
  }
  const sources = sourceOrder
    .map((k) => {
      const entry = entries[k]!;
      return JSON.stringify(
        entry.visible
          ? [entry.id, version, link, entry.parentId, entry.createdAt]
          : [entry.id, version, 'hidden', entry.parentId, entry.createdAt],
      );
    })
    .join(PIECES);
  const activity = {
    total,
    comments: order.map((k) =>
      entries[k]!.visible ? { createdAt: entries[k]!.createdAt } : { createdAt: entries[k]!.createdAt, deleted: true },
    ),
  };
  return { document, snapshot: { fields, sources, comments }, activity };
}
