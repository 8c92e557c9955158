/**
 * What every format's parser shares: comments collected as the file lists them, then checked as the Worker will
 * check them (a comment it would refuse is skipped as `invalid`, never a failed batch), threaded parents first,
 * grouped by page id after the address rewrites, and counted.
 */
import {
  LIMITS,
  safeHref,
  type ImportComment,
  type ImportSource,
  type ImportStatus,
  type ImportThread,
} from '@sala/protocol';
import { htmlToMarkdown } from './html-to-markdown.js';
import type { ImportOptions, ImportPlan, ImportSkip, ImportSkipReason } from './plan.js';
import { threadAddress } from './rewrite.js';

/** Examples of skipped entries kept per reason for the preview. */
const EXAMPLES = 5;
/** What the Worker accepts as a source id (worker/src/domain/import-input.ts). */
const SOURCE_ID_MAX = 256;
const TITLE_MAX = 300;
/** The Worker takes dates up to a day ahead (a source's clock or time zone may be off). */
const FUTURE_SLACK_MS = 24 * 60 * 60 * 1000;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const PLAUSIBLE_EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
/** Steps between two checkpoints of `building` (checking a comment, which converts its HTML, takes some 20 µs). */
export const CHECKPOINT_EVERY = 200;

/** How far building a plan has got: comments checked of those the file holds. */
export interface BuildProgress {
  done: number;
  total: number;
}

/**
 * A format's parser, fed the file piece by piece: each piece is a root element holding some of the file's top-level
 * entries (the whole file is one piece). Entries may refer to entries of any other piece, before or after: what
 * they refer to is looked up in `finish`, once every piece is read.
 */
export interface ImportReader {
  read(root: Element): void;
  finish(): Generator<BuildProgress, ImportPlan>;
}

/** A step-by-step task run to its end at once (a small file, or a test). */
export function runToEnd<T>(steps: Generator<unknown, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** A post or thread as the file describes it. */
export interface SourceThread {
  /** The post's public address, before the rewrites; missing or not http(s): its comments are `unknown-thread`. */
  url?: string | null;
  title?: string | null;
  closed?: boolean;
}

/** A comment as the file describes it, before any check. */
export interface SourceComment {
  sourceId: string;
  parentSourceId?: string | null;
  /** The key its thread was added under; null when the file names no thread. */
  thread: string | null;
  authorName?: string | null;
  authorEmail?: string | null;
  authorUrl?: string | null;
  /** A date as the file writes it; anything `Date.parse` reads. */
  createdAt?: string | null;
  /** The comment's HTML (or Markdown, with `markdown`). */
  html: string;
  markdown?: boolean;
  /** The source's line breaks are the author's (WordPress). */
  newlines?: boolean;
  /** Import status, or why it is left out. */
  status: ImportStatus | ImportSkipReason;
  owner?: boolean;
  pinned?: boolean;
  editedAt?: string | null;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/**
 * A skipped comment as its owner knows it: who wrote it and how it starts ("Piseth: Deleted words."), not its id in
 * the file, which says nothing to them; the id only when the comment has neither.
 */
export function commentExample(comment: Pick<SourceComment, 'authorName' | 'html' | 'sourceId'>): string {
  const name = (comment.authorName ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
  const text = comment.html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, entity: string) => ENTITIES[entity]!)
    .replace(/\s+/g, ' ')
    .trim();
  const start = text.length > 60 ? `${text.slice(0, 59).trimEnd()}…` : text;
  if (start === '') return name === '' ? comment.sourceId : `${name} (${comment.sourceId})`;
  return name === '' ? start : `${name}: ${start}`;
}

function isStatus(status: ImportStatus | ImportSkipReason): status is ImportStatus {
  return status === 'approved' || status === 'pending' || status === 'spam' || status === 'rejected';
}

function isoDate(raw: string | null | undefined, now: number): string | null {
  if (raw === null || raw === undefined || raw.trim() === '') return null;
  const ms = Date.parse(raw.trim());
  if (!Number.isFinite(ms) || ms < 0 || ms > now + FUTURE_SLACK_MS) return null;
  return new Date(ms).toISOString();
}

export class PlanBuilder {
  private readonly threads = new Map<string, SourceThread>();
  private readonly comments: SourceComment[] = [];
  private readonly skips = new Map<ImportSkipReason, ImportSkip>();

  constructor(
    private readonly source: ImportSource,
    private readonly options: ImportOptions,
    private readonly now = Date.now(),
  ) {}

  thread(key: string, thread: SourceThread): void {
    this.threads.set(key, thread);
  }

  hasThread(key: string): boolean {
    return this.threads.has(key);
  }

  comment(comment: SourceComment): void {
    this.comments.push(comment);
  }

  /** An entry of the file left out before it became a comment (a post without an id, a pingback...). */
  skip(reason: ImportSkipReason, example: string | (() => string)): void {
    let skip = this.skips.get(reason);
    if (skip === undefined) {
      skip = { reason, count: 0, examples: [] };
      this.skips.set(reason, skip);
    }
    skip.count++;
    if (skip.examples.length >= EXAMPLES) return;
    const shown = typeof example === 'string' ? example : example();
    if (shown !== '') skip.examples.push(shown.slice(0, 200));
  }

  /** The comment as the Worker will take it, or why it cannot be. */
  private check(comment: SourceComment): ImportComment | ImportSkipReason {
    if (!isStatus(comment.status)) return comment.status;
    if (comment.status === 'spam' && !this.options.keepSpam) return 'spam';
    if (comment.sourceId === '' || comment.sourceId.length > SOURCE_ID_MAX) return 'invalid';
    if (CONTROL_CHARACTERS.test(comment.sourceId)) return 'invalid';
    const createdAt = isoDate(comment.createdAt, this.now);
    if (createdAt === null) return 'invalid';
    const name = (comment.authorName ?? '').replace(/\s+/g, ' ').trim() || 'Anonymous';
    if (name.length > LIMITS.name || CONTROL_CHARACTERS.test(name)) return 'invalid';
    const body = comment.markdown
      ? comment.html.trim()
      : htmlToMarkdown(comment.html, { newlines: comment.newlines ?? false });
    if (body === '') return 'empty-body';
    if (body.length > LIMITS.body) return 'invalid';

    const imported: ImportComment = {
      sourceId: comment.sourceId,
      authorName: name,
      createdAt,
      body,
      status: comment.status,
    };
    // A missing or odd email or website costs the comment nothing: it is imported without it.
    const email = comment.authorEmail?.trim();
    if (email && email.length <= LIMITS.email && PLAUSIBLE_EMAIL.test(email) && !CONTROL_CHARACTERS.test(email)) {
      imported.authorEmail = email;
    }
    const website = comment.authorUrl?.trim();
    const href = website && website.length <= LIMITS.website ? safeHref(website) : null;
    if (href !== null && /^https?:/.test(href)) imported.authorUrl = href;
    const editedAt = isoDate(comment.editedAt, this.now);
    if (editedAt !== null && editedAt > createdAt) imported.editedAt = editedAt;
    if (comment.owner) imported.owner = true;
    if (comment.pinned) imported.pinned = true;
    return imported;
  }

  build(extras?: ImportPlan['extras']): ImportPlan {
    return runToEnd(this.building(extras));
  }

  /** The plan, built in steps: it yields now and then, so a caller can let the page breathe between them. */
  *building(extras?: ImportPlan['extras']): Generator<BuildProgress, ImportPlan> {
    const total = this.comments.length;
    let steps = 0;
    const byId = new Map<string, SourceComment>();
    for (const comment of this.comments) {
      if (++steps % CHECKPOINT_EVERY === 0) yield { done: 0, total };
      if (!byId.has(comment.sourceId)) byId.set(comment.sourceId, comment);
    }

    // Each thread's address after the rewrites; two addresses that are now one page are one thread.
    const pages = new Map<string, ImportThread>();
    const pageOf = new Map<string, ImportThread | null>();
    for (const [key, source] of this.threads) {
      if (++steps % CHECKPOINT_EVERY === 0) yield { done: 0, total };
      const address = source.url ? threadAddress(source.url, this.options.rewrites) : null;
      if (address === null) {
        pageOf.set(key, null);
        continue;
      }
      let thread = pages.get(address.pageId);
      if (thread === undefined) {
        thread = { pageId: address.pageId, pageUrl: address.pageUrl, comments: [] };
        pages.set(address.pageId, thread);
      }
      const title = source.title?.replace(/\s+/g, ' ').trim();
      if (title && thread.title === undefined && title.length <= TITLE_MAX && !CONTROL_CHARACTERS.test(title)) {
        thread.title = title;
      }
      if (source.closed) thread.closed = true;
      pageOf.set(key, thread);
    }

    const kept = new Map<string, { comment: ImportComment; thread: ImportThread }>();
    const seen = new Set<string>();
    for (const [index, source] of this.comments.entries()) {
      if (++steps % CHECKPOINT_EVERY === 0) yield { done: index, total };
      const example = () => commentExample(source);
      if (seen.has(source.sourceId)) {
        this.skip('invalid', example);
        continue;
      }
      seen.add(source.sourceId);
      const thread = source.thread === null ? null : pageOf.get(source.thread);
      const checked = this.check(source);
      if (typeof checked === 'string') {
        this.skip(checked, example);
        continue;
      }
      if (thread === null || thread === undefined) {
        this.skip('unknown-thread', example);
        continue;
      }
      kept.set(source.sourceId, { comment: checked, thread });
    }

    /** The nearest ancestor that is imported into the same thread: a reply to a skipped comment is not lost. */
    const keptParent = (source: SourceComment, thread: ImportThread): string | null => {
      const visited = new Set<string>([source.sourceId]);
      let parentId = source.parentSourceId ?? null;
      while (parentId !== null && parentId !== '' && !visited.has(parentId)) {
        visited.add(parentId);
        const parent = kept.get(parentId);
        if (parent !== undefined) return parent.thread === thread ? parentId : null;
        parentId = byId.get(parentId)?.parentSourceId ?? null;
      }
      return null;
    };

    // Parents before their replies, whatever order the file lists them in: each comment's unplaced ancestors are
    // placed first, walked as a list (a reply chain thousands deep must not exhaust the stack).
    const parents = new Map<string, string | null>();
    for (const [sourceId, { thread }] of kept) {
      if (++steps % CHECKPOINT_EVERY === 0) yield { done: total, total };
      parents.set(sourceId, keptParent(byId.get(sourceId)!, thread));
    }
    const placed = new Set<string>();
    for (const start of kept.keys()) {
      if (++steps % CHECKPOINT_EVERY === 0) yield { done: total, total };
      const chain: string[] = [];
      const inChain = new Set<string>();
      for (let id: string | null = start; id !== null && !placed.has(id) && !inChain.has(id); id = parents.get(id)!) {
        chain.push(id);
        inChain.add(id);
      }
      for (const sourceId of chain.reverse()) {
        const { comment, thread } = kept.get(sourceId)!;
        const parentId = parents.get(sourceId)!;
        placed.add(sourceId);
        // A parent caught in a cycle cannot come first: the reply goes to the top level.
        if (parentId !== null && parentId !== sourceId && placed.has(parentId)) {
          comment.parentSourceId = parentId;
          delete comment.pinned; // only a top-level comment can be pinned
        } else {
          delete comment.parentSourceId;
        }
        thread.comments.push(comment);
      }
    }
    yield { done: total, total };

    const threads = [...pages.values()].filter((thread) => thread.comments.length > 0);
    const counts: Record<ImportStatus, number> = { approved: 0, pending: 0, spam: 0, rejected: 0 };
    for (const thread of threads) for (const comment of thread.comments) counts[comment.status]++;
    const plan: ImportPlan = { source: this.source, threads, counts, skipped: [...this.skips.values()] };
    if (extras !== undefined) plan.extras = extras;
    return plan;
  }
}
