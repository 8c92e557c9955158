/** What the owner sees of a stored comment, and the short summary the moderation index carries of it. */
import { toPlainText, type AdminComment } from '@sala/protocol';
import { readHoldReasons, readSpamAssessment } from './held-reasons.js';
import type { StoredComment } from './stored-comment.js';

export function toAdminComment(comment: StoredComment): AdminComment {
  const { name, email, website, avatar, owner } = comment.author;
  const view: AdminComment = {
    id: comment.id,
    pageId: comment.pageId,
    parentId: comment.parentId,
    status: comment.status,
    author: { name, avatar },
    body: comment.body,
    createdAt: comment.createdAt,
  };
  if (comment.pageUrl !== undefined) view.pageUrl = comment.pageUrl;
  if (email !== undefined) view.author.email = email;
  if (website !== undefined) view.author.website = website;
  if (owner === true) view.author.owner = true;
  if (comment.ipHash !== undefined) view.ipHash = comment.ipHash;
  if (comment.editedAt !== undefined) view.editedAt = comment.editedAt;
  if (comment.pinned === true) view.pinned = true;
  if (comment.deletedAt !== undefined) view.deleted = true;
  if (comment.spam !== undefined) view.spam = readSpamAssessment(comment.spam);
  if (comment.heldBecause !== undefined) view.heldBecause = readHoldReasons(comment.heldBecause);
  return view;
}

/** Index metadata: what the queue lists and searches without reading each comment. Short keys: <= 1,024 bytes. */
export interface IndexSummary {
  /** Page hash, to build the comment's key. */
  p: string;
  /** Page id, cut to 200 bytes. */
  u: string;
  /** Author name. */
  n: string;
  /** Plain-text start of the body, cut to 240 bytes. */
  x: string;
  /** Spam score, when assessed. */
  s?: number;
}

/**
 * `text` cut to at most `maxBytes` as KV counts metadata: UTF-8 of its JSON form, where a control character
 * takes six bytes (`\u0001`) and a quote two. Never cut inside a character.
 */
export function cutToBytes(text: string, maxBytes: number): string {
  const encoder = new TextEncoder();
  const jsonBytes = (value: string) => encoder.encode(JSON.stringify(value)).byteLength - 2;
  if (jsonBytes(text) <= maxBytes) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const size = jsonBytes(char);
    if (used + size > maxBytes) break;
    out += char;
    used += size;
  }
  return out;
}

export function indexSummary(comment: StoredComment, pageHash: string): IndexSummary {
  const summary: IndexSummary = {
    p: pageHash,
    u: cutToBytes(comment.pageId, 200),
    n: cutToBytes(comment.author.name, 200),
    x: cutToBytes(toPlainText(comment.body, 160), 240),
  };
  if (comment.spam !== undefined) summary.s = comment.spam.score;
  return summary;
}

/** Case-insensitive search of a summary: author name, page id or the start of the body. */
export function summaryMatches(summary: IndexSummary, query: string): boolean {
  const needle = query.toLowerCase();
  return [summary.n, summary.u, summary.x].some((field) => field.toLowerCase().includes(needle));
}
