/**
 * The reader's own comments on one thread, kept in this browser's localStorage: shown at once while the
 * server catches up (KV lags up to a minute), as last edited or deleted, and editable with their secret token until the
 * window closes. Loaded with the posting code, only by a reader who has some stored or posts one (comments.component.ts).
 */
import type { PublicComment } from '@sala/protocol';
import { isPublicComment } from '../internal/api-client.js';
import { readJson } from '../internal/storage.js';

export interface OwnComment {
  comment: PublicComment;
  /** Dropped once the comment is deleted (withoutDeadToken): nothing can use it then, and a secret kept is a risk. */
  editToken?: string;
  /** ISO 8601; the token stops working then. */
  editableUntil: string;
  /** The server's thread lists it, so the stored copy is no longer shown beside it (only over it: `latest`). */
  listed?: boolean;
  /**
   * When (this browser's clock, ms) the reader took it out of what the server counts: sent the delete, or the edit
   * the Worker held, while it was counted. A count written before then still holds it (comment-count/count-batch.ts).
   */
  left?: number;
}

/** How long a copy the server never lists (held for moderation, or removed) stays visible to its author. */
const UNLISTED_DAYS = 7;

/**
 * How long an entry stays once its token has expired: an edit or a delete made in the window's last second stands over
 * the server's older copy until KV has caught up with it (within 60 s).
 */
const CATCH_UP_MS = 2 * 60_000;

function isOwnComment(value: unknown): value is OwnComment {
  const entry = value as Partial<OwnComment> | null;
  return (
    typeof entry?.editableUntil === 'string' &&
    isPublicComment(entry.comment) &&
    (typeof entry.editToken === 'string' || (entry.editToken === undefined && entry.comment.deleted === true))
  );
}

/**
 * Which OwnComments on this page took in each comment last: Edit and Delete, given their comment alone (own-actions.ts),
 * find there the reader's others they must be told apart from.
 */
const holders = new Map<string, OwnComments>();

/** A change to the stored list: a comment added, updated, listed or removed. */
type Change = (entries: OwnComment[]) => OwnComment[];

/**
 * What this page changed in each list (by key) since storage last took it: a full storage, or Safari's private mode,
 * reads but refuses writes. Done again on the list each time it is read, so that what the reader posted from this page
 * stays editable (and, unlisted, shown) for the page's life: through its next change, another tab's, and a new
 * OwnComments of the thread sorted anew.
 */
const unsaved = new Map<string, Change[]>();

/** `entries` with what this page changed in list `key` that storage does not hold yet. */
function withUnsaved(key: string, entries: OwnComment[]): OwnComment[] {
  return (unsaved.get(key) ?? []).reduce((changed, change) => change(changed), entries);
}

export class OwnComments {
  readonly #key: string;
  #entries: OwnComment[];

  /** @param key where they are kept: `sala:own:{api origin}|{site}|{page id}` (comments.component.ts). */
  constructor(key: string, now = Date.now()) {
    this.#key = key;
    const stored = readJson(this.#key);
    const entries: unknown[] = Array.isArray(stored) ? stored : [];
    const read = withUnsaved(key, entries.filter(isOwnComment));
    this.#entries = read.filter((entry) => !isStale(entry, now)).map(withoutDeadToken);
    for (const { comment } of this.#entries) holders.set(comment.id, this);
    // Tidy up expired or unreadable entries so storage does not grow forever, and the token a deleted comment's entry
    // kept before versions that drop it (withoutDeadToken).
    const tidied = this.#entries.length !== entries.length || this.#entries.some((entry) => !read.includes(entry));
    if (stored !== undefined && (!Array.isArray(stored) || tidied)) this.#save();
  }

  /** The OwnComments that took in comment `id` last, if any did on this page. */
  static holding(id: string): OwnComments | undefined {
    return holders.get(id);
  }

  /** The reader's comments whose edit window is open and that they have not deleted: those that show Edit and Delete. */
  editable(now = Date.now()): PublicComment[] {
    return this.#entries
      .filter((entry) => Date.parse(entry.editableUntil) > now && !entry.comment.deleted)
      .map((entry) => entry.comment);
  }

  /** Comments to show that the server does not list yet. */
  get unlisted(): PublicComment[] {
    return this.#entries.filter((entry) => !entry.listed).map((entry) => entry.comment);
  }

  /**
   * The server's `comment` as the reader last left it. Within the minute KV takes, a reload or a new sort gets the
   * thread from before their edit (its old text) or their delete (the comment back): the stored copy's text stands in
   * while it is newer than the server's (its `editedAt`), a deleted one's placeholder while the server shows it at
   * all. Never over a placeholder of the server's: what the owner removed, or held with replies below it, stays so,
   * and a comment the server no longer lists is not brought back (`unlisted` has only those it never listed).
   */
  latest(comment: PublicComment): PublicComment {
    const stored = this.#entries.find((entry) => entry.comment.id === comment.id)?.comment;
    if (!stored || comment.deleted) return comment;
    if (stored.deleted) return stored;
    // Both times are the Worker's: a copy the server has without an edit is older than any edit.
    const edited = stored.editedAt;
    if (!edited || (comment.editedAt && !(Date.parse(edited) > Date.parse(comment.editedAt)))) return comment;
    // Pinned or not as the owner has it now; an edit the Worker held is marked so (`status`), as its answer was.
    return { ...stored, pinned: comment.pinned };
  }

  /** Whether the reader's stored copy of `comment` is an edit the Worker held, newer than the server's copy. */
  #heldOver(comment: PublicComment): boolean {
    const stored = this.#entries.find((entry) => entry.comment.id === comment.id)?.comment;
    return stored?.status === 'pending' && this.latest(comment) !== comment;
  }

  /** The edit token for a comment while its edit window is open. */
  tokenFor(id: string, now = Date.now()): string | undefined {
    const entry = this.#entries.find((candidate) => candidate.comment.id === id);
    return entry && Date.parse(entry.editableUntil) > now ? entry.editToken : undefined;
  }

  add(entry: OwnComment): void {
    this.#change((entries) => [...entries.filter((other) => other.comment.id !== entry.comment.id), entry]);
  }

  /**
   * The server's answer to the reader's edit, `sent` then. One it held (`status: 'pending'`: a link, a word on the
   * owner's list) leaves the thread once KV catches up, so it is shown from here again, marked, as a held new comment is.
   */
  update(comment: PublicComment, sent = Date.now()): void {
    this.#change((entries) =>
      entries.map((entry) =>
        entry.comment.id !== comment.id
          ? entry
          : comment.status === 'pending'
            ? { ...entry, comment, listed: false, left: leftAt(entry, sent) }
            : { ...entry, comment },
      ),
    );
  }

  /**
   * The reader deleted it: its copy becomes a placeholder, without text or author, kept as long as the entry (isStale)
   * so that KV's copy from before the delete is not shown after a reload (`latest`); its token goes (the Worker erased
   * its hash with the comment). `left`: when the delete was sent, and whether the count held the comment then.
   */
  remove(id: string, { at, counted }: Left = { at: Date.now() }): void {
    this.#change((entries) =>
      entries.map((entry) =>
        entry.comment.id === id
          ? withoutDeadToken({ ...entry, comment: placeholder(entry.comment), left: leftAt(entry, at, counted) })
          : entry,
      ),
    );
  }

  /**
   * The server lists these now: stop showing stored copies (the tokens stay for editing). A held edit is listed only
   * as the owner let it through, not as KV still has it from before the edit.
   */
  markListed(serverComments: PublicComment[]): void {
    const current = serverComments.filter((comment) => !this.#heldOver(comment));
    const listed = new Set(current.map((comment) => comment.id));
    if (this.#entries.every((entry) => entry.listed || !listed.has(entry.comment.id))) return;
    this.#change((entries) =>
      entries.map((entry) => (listed.has(entry.comment.id) ? { ...entry, listed: true } : entry)),
    );
  }

  /**
   * Applies `change` to the entries as stored now, not as this page read them: another tab of the post may have
   * posted since, and the second of two tabs to post used to write over the first's comment, and its token.
   */
  #change(change: Change): void {
    const stored = readJson(this.#key);
    unsaved.set(this.#key, [...(unsaved.get(this.#key) ?? []), change]);
    // Storage this page cannot read (disabled, or emptied by another tab) leaves what this page knows.
    this.#entries = Array.isArray(stored) ? withUnsaved(this.#key, stored.filter(isOwnComment)) : change(this.#entries);
    for (const { comment } of this.#entries) holders.set(comment.id, this);
    this.#save();
  }

  /**
   * Writes the list, here rather than with storage.ts, whose writes say nothing of a refusal and are in the first
   * visit's script: once storage takes it, it holds all this page changed.
   */
  #save(): void {
    try {
      if (this.#entries.length) localStorage.setItem(this.#key, JSON.stringify(this.#entries));
      else localStorage.removeItem(this.#key);
      unsaved.delete(this.#key);
    } catch {
      // Full, or Safari's private mode: `unsaved` keeps what this page changed.
    }
  }
}

/** What a delete took out of the page's count: sent `at` (this browser's clock), and whether the count held it. */
export interface Left {
  at: number;
  /** The Worker's answer; left out by one from before it said. */
  counted?: boolean | undefined;
}

/**
 * When the server's count stopped holding `entry`'s comment, as the reader sends its delete or an edit the Worker
 * holds at `now`: then, unless it left before, or was never `counted`: as the Worker says, else held all along as far
 * as this browser knows (held when posted, and not listed since: the owner's approval lists it). The Worker's word that
 * the count held it comes before an earlier `left`: the owner approved a held edit of it since, which put it back.
 */
function leftAt(entry: OwnComment, now: number, counted?: boolean): number | undefined {
  if (counted === true) return now;
  if (entry.left !== undefined) return entry.left;
  const heldAllAlong = entry.comment.status === 'pending' && entry.listed !== true;
  return (counted ?? !heldAllAlong) ? now : undefined;
}

/** `entry` without its token once its comment is deleted: nothing can use it, the Worker erased its hash with it. */
function withoutDeadToken(entry: OwnComment): OwnComment {
  if (!entry.comment.deleted || entry.editToken === undefined) return entry;
  const { editToken: _dead, ...kept } = entry;
  return kept;
}

/** A deleted comment as the server keeps it while replies hang from it: no text, parsed or not, and no author. */
export function placeholder({ parsed: _parsed, ...comment }: PublicComment): PublicComment {
  return { ...comment, deleted: true, body: '', author: { name: '', avatar: '' } };
}

/**
 * Nothing left to do with an entry: its token has expired (KV has had the time to catch up with its last edit or its
 * delete since) and the server lists it, or never will.
 */
function isStale(entry: OwnComment, now: number): boolean {
  if (Date.parse(entry.editableUntil) + CATCH_UP_MS > now) return false;
  return entry.listed === true || now - Date.parse(entry.comment.createdAt) > UNLISTED_DAYS * 86_400_000;
}
