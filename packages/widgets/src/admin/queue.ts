/**
 * <sala-admin-queue>: the comments waiting for the owner (and the approved, spam and rejected ones), with filters,
 * bulk actions, per-comment actions, undo and keyboard shortcuts.
 */
import { html, LitElement, nothing, type TemplateResult, type PropertyDeclarations } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import {
  LIMITS,
  readAdminCommentHash,
  type AdminComment,
  type AdminCommentStatus,
  type CommentRef,
  type ModerationAction,
  type StatusCounts,
} from '@sala/protocol';
import { ApiError } from '../internal/api-client.js';
import type { CommentQuery } from './admin-api.js';
import { define } from '../internal/define.js';
import { partStyles } from './admin.styles.js';
import './ban-dialog.js';
import type { SalaAdminBanDialog } from './ban-dialog.js';
import type { AdminContext } from './context.js';
import './help-dialog.js';
import type { SalaAdminHelp } from './help-dialog.js';
import {
  approvalRefOf,
  DONE_STRINGS,
  moveCounts,
  placeBack,
  refOf,
  removeComments,
  STATUS_AFTER,
  statusActions,
  unmoveCounts,
  type StatusAction,
} from './queue-actions.js';
import { renderFilters, renderStatusFilter, renderToolbar, type QueueControlsView } from './queue-controls.js';
import { articleId, renderQueueItem, type QueueForm } from './queue-item.js';
import { queueStyles } from './queue.styles.js';
import { focusedElement, focusLost, ownerTyping, shortcutFor, type ShortcutCommand } from './shortcuts.js';
import { SiteData } from './site-data.js';
import { isolate, isolatedHtml, spoken } from './strings/admin-strings.js';

const PAGE_SIZE = 50;
/** A comment read again is looked for in its post's list this many at a time (the API's most), up to so many times. */
const READ_AGAIN_LIMIT = 100;
const READ_AGAIN_PAGES = 20;
/** The API takes at most LIMITS.moderateComments per moderation request (the CPU one request may use). */
const BATCH = LIMITS.moderateComments;

export class SalaAdminQueue extends LitElement {
  static override styles = [partStyles, queueStyles];
  static override properties: PropertyDeclarations = {
    context: { attribute: false },
    status: { state: true },
    pageFilter: { state: true },
    search: { state: true },
    comments: { state: true },
    counts: { state: true },
    countLimit: { state: true },
    nextCursor: { state: true },
    loading: { state: true },
    loadingMore: { state: true },
    loadError: { state: true },
    selected: { state: true },
    currentId: { state: true },
    form: { state: true },
    busyId: { state: true },
    rowError: { state: true },
    closedPages: { state: true },
    keptReply: { state: true },
    siteImported: { state: true },
    linkedNote: { state: true },
  };

  context!: AdminContext;

  private status: AdminCommentStatus = 'pending';
  private pageFilter = '';
  private search = '';
  private comments: AdminComment[] = [];
  private counts: StatusCounts | null = null;
  private countLimit = 0;
  private nextCursor: string | null = null;
  /** The site-wide Approved list's answer: whether the site has imported comments, which that list leaves out. */
  private siteImported = false;
  private loading = true;
  private loadingMore = false;
  private loadError = '';
  private selected: ReadonlySet<string> = new Set();
  private currentId: string | null = null;
  private form: { id: string; kind: QueueForm } | null = null;
  private busyId: string | null = null;
  private rowError: { id: string; message: string } | null = null;
  private closedPages: ReadonlySet<string> = new Set();
  /** A reply the server refused because its comment went meanwhile, kept on screen for the owner to copy. */
  private keptReply: { name: string; body: string } | null = null;
  /**
   * What the list says of the comment a link named: `further` when it starts at that comment (further down than the
   * first page, newer ones left out), `gone` when the comment is no longer in this list.
   */
  private linkedNote: 'further' | 'gone' | null = null;

  /** Its request drops an older list answer that a newer load replaced. */
  readonly #data = new SiteData(this, () => {
    void this.#load();
    void this.#loadClosedThreads();
  });
  #formOpener: HTMLElement | null = null;
  /** The comment a link opened the section on (#comments?…&comment=…), focused once its list has loaded. */
  #linkedId: string | null = null;
  /** Counts the lists shown (another status, filter or site, or read again), so a late answer knows its list went. */
  #listVersion = 0;
  /**
   * The ids of every comment this list has shown, in the order shown, those taken out since included: an undone or
   * failed change puts its comments back by it, between the neighbours they had.
   */
  #order: string[] = [];
  readonly #onKeyDown = (event: KeyboardEvent) => this.#onShortcut(event);

  override connectedCallback(): void {
    super.connectedCallback();
    // The import report's link opens one post's comments (#comments?page=…), imported ones included; a one-click
    // moderation page's opens its comment's post in the list the comment is in, on that comment.
    const opened = readAdminCommentHash(location.hash);
    if (opened.pageId) {
      this.status = opened.status ?? 'approved';
      this.pageFilter = opened.pageId;
      this.#linkedId = opened.commentId ?? null;
      // Once: a reload or a later visit to the section opens on the held comments, as the nav's link does.
      history.replaceState(history.state, '', '#comments');
    }
    window.addEventListener('keydown', this.#onKeyDown);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.#onKeyDown);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Loading
  // -------------------------------------------------------------------------------------------------------------

  async #load(more = false): Promise<void> {
    const { api, site, i18n } = this.context;
    if (!more) this.#listVersion += 1;
    const linkedId = more ? null : this.#linkedId;
    const query = {
      status: this.status,
      page: this.pageFilter,
      q: this.search,
      cursor: more ? this.nextCursor : null,
      limit: PAGE_SIZE,
      // However far down its post's list: the API serves the page that holds it.
      comment: linkedId,
    };
    if (more) this.loadingMore = true;
    else this.loading = true;
    this.loadError = '';
    try {
      const result = await this.#data.request.run((signal) => api.comments(site, query, signal));
      if (!result) return;
      this.comments = more ? [...this.comments, ...result.comments] : result.comments;
      const known = new Set(more ? this.#order : []);
      this.#order = [...known, ...result.comments.map(({ id }) => id).filter((id) => !known.has(id))];
      this.counts = result.counts;
      this.countLimit = result.countLimit;
      this.nextCursor = result.nextCursor;
      this.siteImported = result.imported === true;
      if (!more) {
        this.selected = new Set();
        this.currentId = null;
        this.form = null;
        this.rowError = null;
        this.linkedNote = null;
      }
      this.context.announce(i18n.plural(this.comments.length, 'shownOne', 'shownOther'));
      this.loading = this.loadingMore = false;
      // "Load more" may go with the last page: the first new comment takes focus, where reading continues.
      const firstNew = more ? result.comments[0] : undefined;
      if (firstNew) void this.#makeCurrent(firstNew);
      if (linkedId === null) return;
      this.#linkedId = null;
      const linked = this.comments.find((comment) => comment.id === linkedId);
      if (linked) void this.#makeCurrent(linked);
      this.linkedNote = !linked ? 'gone' : result.fromLinked ? 'further' : null;
      if (!linked) this.context.announce(i18n.t('linkedGone'));
    } catch (error) {
      this.loadError = this.context.failed(error);
      this.loading = this.loadingMore = false;
    }
  }

  /** Closed threads, to offer "Reopen" on their comments. Optional: without it every thread reads as open. */
  async #loadClosedThreads(): Promise<void> {
    try {
      const { threads } = await this.context.api.closedThreads(this.context.site);
      this.closedPages = new Set(threads.filter((thread) => thread.closed).map((thread) => thread.pageId));
    } catch {
      this.closedPages = new Set();
    }
  }

  /** A new list: changes held back for undo are sent first, so the list the server gives already has them. */
  async #reload(): Promise<void> {
    // The list shown is another from now on: a change failing as it is sent has nothing to put back in it.
    this.#listVersion += 1;
    await this.context.settle();
    await this.#load();
  }

  #chooseStatus(status: AdminCommentStatus): void {
    if (status === this.status) return;
    this.status = status;
    void this.#reload();
  }

  #filter(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    this.pageFilter = String(data.get('page') ?? '').trim();
    this.search = String(data.get('q') ?? '').trim();
    void this.#reload();
  }

  #clearFilters(): void {
    this.pageFilter = '';
    this.search = '';
    void this.#reload();
  }

  // -------------------------------------------------------------------------------------------------------------
  // Status changes: held back behind an undo toast, then sent in batches
  // -------------------------------------------------------------------------------------------------------------

  #changeStatus(action: StatusAction, targets: AdminComment[]): void {
    if (targets.length === 0 || !statusActions(this.status).includes(action)) return;
    const { i18n } = this.context;
    const from = this.status;
    const to = STATUS_AFTER[action];
    const ids = new Set(targets.map((comment) => comment.id));
    const currentIndex = this.comments.findIndex((comment) => comment.id === this.currentId);
    const { kept, removed } = removeComments(this.comments, ids);
    const focusBefore = focusedElement();

    this.comments = kept;
    if (this.counts) this.counts = moveCounts(this.counts, from, to, removed.length);
    this.selected = new Set([...this.selected].filter((id) => !ids.has(id)));
    if (this.form && ids.has(this.form.id)) this.form = null;
    const moved: Promise<void>[] = [];
    // The next comment takes the place of the one acted on, so j/a/j/a walks the queue.
    if (this.currentId && ids.has(this.currentId)) {
      moved.push(this.#makeCurrent(kept[Math.min(currentIndex, kept.length - 1)] ?? null));
    }
    moved.push(this.#refocus(kept[Math.min(removed[0]?.index ?? 0, kept.length - 1)]));
    // Where the page put the focus in their place, when it moved it or it went with them (it was on one of them, on
    // the bulk bar they emptied): a failure brings it back to them from there.
    const standIn = Promise.all(moved).then(() => {
      const now = focusedElement();
      return now === focusBefore && focusBefore?.isConnected ? null : now;
    });

    const [one, other] = DONE_STRINGS[action];
    const version = this.#listVersion;
    void this.context.toast({
      message: i18n.plural(removed.length, one, other),
      // Lists are only reloaded after held-back changes are sent, so undo always finds the list they left: they go
      // back between the neighbours they had there, whatever came back or went since.
      undo: () => {
        this.comments = placeBack(
          this.comments,
          removed.map(({ comment }) => comment),
          this.#order,
        );
        if (this.counts) this.counts = unmoveCounts(this.counts, from, to, removed.length);
        // The Undo button or u asked: the first comment back takes the focus, unless the owner is typing (a click or
        // a screen reader's activation can leave the caret in a field) or in another comment's open form.
        if (!ownerTyping()) void this.#makeCurrent(removed[0]?.comment ?? null);
      },
      commit: (keepalive) =>
        this.#commitStatus(
          action,
          removed.map(({ comment }) => comment),
          keepalive,
          // Failed ones go back only into the list they were taken from, if it is still the one shown.
          (back) => {
            if (version !== this.#listVersion) return;
            if (this.counts) this.counts = unmoveCounts(this.counts, from, to, back.length);
            this.comments = placeBack(this.comments, back, this.#order);
            void this.#focusBack(back[0], standIn);
          },
        ),
    });
  }

  /**
   * Sends a held-back status change. `putBack(comments)` puts those whose change failed back into the list (if it is
   * still the one they were taken from), before the toast says so.
   */
  async #commitStatus(
    action: ModerationAction,
    targets: AdminComment[],
    keepalive: boolean,
    putBack: (comments: AdminComment[]) => void,
  ): Promise<void> {
    const { api, site, i18n } = this.context;
    const failed: { comment: AdminComment; message: string }[] = [];
    /** Comments their authors edited since the owner read them, which an approval leaves held. */
    const editedSince = new Set<string>();
    const send = async (batch: AdminComment[]) => {
      try {
        const refs = batch.map(action === 'approve' ? approvalRefOf : refOf);
        const { results } = await api.moderate(site, action, refs, keepalive);
        results.forEach((result, i) => {
          if (result.ok) return;
          failed.push({ comment: batch[i]!, message: i18n.error(result.error.code) });
          if (action === 'approve' && result.error.code === 'conflict') editedSince.add(batch[i]!.id);
        });
      } catch (error) {
        const message = this.context.failed(error);
        failed.push(...batch.map((comment) => ({ comment, message })));
      }
    };
    const batches: AdminComment[][] = [];
    for (let start = 0; start < targets.length; start += BATCH) batches.push(targets.slice(start, start + BATCH));
    // As the owner leaves, every request must start now: one started after the page is gone never is.
    if (keepalive) await Promise.all(batches.map(send));
    else for (const batch of batches) await send(batch);
    if (failed.length === 0) return;
    // All edited since: said so, with what to do, where "could not be changed: try again" had the owner approve unread.
    const message =
      editedSince.size === failed.length
        ? i18n.plural(failed.length, 'editedSinceOne', 'editedSinceOther')
        : i18n.plural(failed.length, 'failedOne', 'failedOther', { message: failed[0]!.message });
    // Failed ones come back into view where they were, so the owner sees what is still to do, each as it is now: one
    // edited by its author since the owner read it as it reads now, so approving it again approves what is shown, and
    // one no longer in this list (moved or deleted in another tab, or changed after all by a request whose answer was
    // lost) not at all. Not the whole list read again: it would take the focus and a reply being typed to another
    // comment with it.
    const failedComments = failed.map(({ comment }) => comment);
    const { fresh, notListed } = keepalive
      ? { fresh: [], notListed: new Set<string>() }
      : await this.#readAgain(failedComments);
    const back = failedComments
      .filter(({ id }) => !notListed.has(id))
      .map((comment) => fresh.find(({ id }) => id === comment.id) ?? comment);
    putBack(back);
    // Said once the list shows what it says.
    void this.context.toast({ message });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Immediate actions: pin, edit, reply, close a thread (each undoable by its opposite), ban (in its dialog)
  // -------------------------------------------------------------------------------------------------------------

  /** Runs a comment's request; false when it failed, which the comment then says. */
  async #run(comment: AdminComment, work: () => Promise<void>): Promise<boolean> {
    this.busyId = comment.id;
    this.rowError = null;
    try {
      await work();
      return true;
    } catch (error) {
      this.rowError = { id: comment.id, message: this.context.failed(error) };
      return false;
    } finally {
      this.busyId = null;
    }
  }

  #replace(comment: AdminComment): void {
    this.comments = this.comments.map((existing) => (existing.id === comment.id ? comment : existing));
  }

  async #moderateOne(action: ModerationAction, ref: CommentRef): Promise<AdminComment> {
    const { results } = await this.context.api.moderate(this.context.site, action, [ref]);
    const result = results[0];
    if (!result) throw new ApiError('bad_response', 'The moderation answer has no result');
    if (!result.ok) throw new ApiError(result.error.code as ApiError['code'], result.error.message);
    return result.comment;
  }

  /**
   * A toast's Undo, sent as the opposite request: when that fails (the comment says so), the focus its button took
   * with the toast comes to the comment, where the owner can try again; not when they have moved on or are typing.
   */
  async #undoOn(comment: AdminComment, undo: Promise<boolean>): Promise<boolean> {
    if (await undo) return true;
    if (focusLost()) await this.#makeCurrent(comment);
    return false;
  }

  #pin(comment: AdminComment, pin = !comment.pinned): Promise<boolean> {
    return this.#run(comment, async () => {
      const updated = await this.#moderateOne(pin ? 'pin' : 'unpin', refOf(comment));
      this.#replace(updated);
      void this.context.toast({
        message: this.context.i18n.t(pin ? 'pinnedDone' : 'unpinnedDone'),
        undo: () => this.#undoOn(updated, this.#pin(updated, !pin)),
      });
    });
  }

  #setThread(comment: AdminComment, closed: boolean): Promise<boolean> {
    return this.#run(comment, async () => {
      const state = await this.context.api.setThreadClosed(this.context.site, comment.pageId, closed, comment.pageUrl);
      const pages = new Set(this.closedPages);
      if (state.closed) pages.add(state.pageId);
      else pages.delete(state.pageId);
      this.closedPages = pages;
      const key = state.closed ? 'threadClosed' : 'threadReopened';
      void this.context.toast({
        // The page id in a <bdi> (a right-to-left or odd one stays out of the sentence's order), without bidi controls
        // a live region would read out.
        message: this.context.i18n.t(key, { page: isolate(spoken(comment.pageId)) }),
        undo: () => this.#undoOn(comment, this.#setThread(comment, !state.closed)),
      });
    });
  }

  async #openForm(comment: AdminComment, kind: QueueForm, opener: HTMLElement): Promise<void> {
    this.form = { id: comment.id, kind };
    this.#formOpener = opener;
    await this.updateComplete;
    const box = this.renderRoot.querySelector<HTMLTextAreaElement>(`#${kind}-${CSS.escape(comment.id)}`);
    box?.focus();
    // Its buttons too, above the toast that may lie over the screen's foot (Cancel under it for 8 s, before).
    box?.parentElement?.querySelector('.row')?.scrollIntoView?.({ block: 'nearest' });
  }

  #closeForm(): void {
    this.form = null;
    this.#formOpener?.focus();
    this.#formOpener = null;
  }

  #submitForm(comment: AdminComment, body: string): Promise<boolean> {
    const { api, site, i18n } = this.context;
    const kind = this.form?.kind;
    return this.#run(comment, async () => {
      if (kind === 'edit') {
        const { comment: updated } = await api.editComment(site, refOf(comment), body);
        this.#replace(updated);
        void this.context.toast({ message: i18n.t('editSaved') });
        this.#closeForm();
        return;
      }
      // The server takes replies to approved comments only: a held one is approved first, and when that fails
      // nothing is replied and the owner's text stays in the form.
      const held = comment.status === 'pending';
      const approval = held ? await this.#approveForReply(comment) : 'approved';
      if (approval === 'gone') return this.#parentGone(comment, body);
      if (approval === 'edited') {
        this.rowError = { id: comment.id, message: i18n.t('replyEditedSince', { name: isolate(comment.author.name) }) };
        return;
      }
      const answer = await api.reply(site, refOf(comment), body).catch((error: unknown) => {
        if (error instanceof ApiError && error.code === 'parent_not_found') return null;
        throw error;
      });
      if (!answer) return this.#parentGone(comment, body);
      const { comment: reply } = answer;
      if (this.counts) this.counts = { ...this.counts, approved: this.counts.approved + 1 }; // the reply is published
      void this.context.toast({ message: i18n.t(held ? 'approvedAndReplied' : 'replyPublished') });
      if (this.status === 'approved') {
        const at = this.comments.findIndex((existing) => existing.id === comment.id);
        this.comments = [...this.comments.slice(0, at + 1), reply, ...this.comments.slice(at + 1)];
        this.#order.splice(this.#order.indexOf(comment.id) + 1, 0, reply.id);
        this.#closeForm();
      } else {
        // Approved, it leaves the held list as "Approve" makes it leave; the next comment takes its place.
        this.#leaveList(comment);
      }
    });
  }

  /**
   * Approves a held comment at once (no undo: the reply sent next needs it approved), counting it as moved; `gone`
   * when the comment is (deleted by its author, or by the owner in another tab), which the server answers
   * `not_found`; `edited` when its author edited it since it was shown, which is then shown as it reads now.
   */
  async #approveForReply(comment: AdminComment): Promise<'approved' | 'gone' | 'edited'> {
    const approved = await this.#moderateOne('approve', approvalRefOf(comment)).catch(async (error: unknown) => {
      if (error instanceof ApiError && error.code === 'not_found') return 'gone' as const;
      // Shown again as it reads now, so "send" approves what was read.
      const fresh = error instanceof ApiError && error.code === 'conflict' ? await this.#refresh(comment) : undefined;
      if (fresh && fresh.editedAt !== comment.editedAt) return 'edited' as const;
      throw error;
    });
    if (typeof approved === 'string') return approved;
    this.#replace(approved);
    if (this.counts) this.counts = moveCounts(this.counts, comment.status, approved.status, 1);
    return 'approved';
  }

  /** Reads one comment again (from its page's list) and shows it as it is now, leaving the rest as they are. */
  async #refresh(comment: AdminComment): Promise<AdminComment | undefined> {
    const {
      fresh: [fresh],
    } = await this.#readAgain([comment]);
    if (fresh) this.#replace(fresh);
    return fresh;
  }

  /**
   * The comments as they are now, read from their pages' lists, each wherever it is in its list: the list is read on
   * until all are found (one request a page of 100, most often one), not only its first page. `fresh`: those found;
   * `notListed`: those its list was read to the end without (no longer of that status, or deleted). Those the list
   * could not be read for are in neither.
   */
  async #readAgain(comments: readonly AdminComment[]): Promise<{ fresh: AdminComment[]; notListed: Set<string> }> {
    const { api, site } = this.context;
    const fresh: AdminComment[] = [];
    const notListed = new Set<string>();
    for (const pageId of new Set(comments.map((comment) => comment.pageId))) {
      const onPage = comments.filter((comment) => comment.pageId === pageId);
      const ids = new Set(onPage.map(({ id }) => id));
      let cursor: string | null = null;
      for (let read = 0; read < READ_AGAIN_PAGES && ids.size > 0; read++) {
        const query: CommentQuery = { status: onPage[0]!.status, page: pageId, cursor, limit: READ_AGAIN_LIMIT };
        const listed = await api.comments(site, query).catch(() => null);
        if (listed === null) break;
        for (const comment of listed.comments) {
          if (ids.delete(comment.id)) fresh.push(comment);
        }
        cursor = listed.nextCursor;
        if (cursor === null) {
          for (const id of ids) notListed.add(id);
          break;
        }
      }
    }
    return { fresh, notListed };
  }

  /**
   * The comment replied to was deleted or removed meanwhile (in another tab, by another owner): the list is
   * reloaded so it leaves the screen too, and the typed reply stays shown to copy rather than vanish with its form.
   */
  async #parentGone(comment: AdminComment, body: string): Promise<void> {
    this.keptReply = { name: comment.author.name, body };
    await this.#reload();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLTextAreaElement>('#kept-reply')?.focus();
  }

  /** Takes a comment that no longer belongs in the listed status out of the list, focusing the one in its place. */
  #leaveList(comment: AdminComment): void {
    const index = this.comments.findIndex((existing) => existing.id === comment.id);
    const { kept } = removeComments(this.comments, new Set([comment.id]));
    this.comments = kept;
    this.selected = new Set([...this.selected].filter((id) => id !== comment.id));
    this.form = null;
    this.#formOpener = null;
    void this.#refocus(kept[Math.min(index, kept.length - 1)]);
  }

  #ban(comment: AdminComment, opener: HTMLElement): void {
    void this.renderRoot.querySelector<SalaAdminBanDialog>('sala-admin-ban-dialog')?.show(comment, opener);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Selection, the current comment and keyboard shortcuts
  // -------------------------------------------------------------------------------------------------------------

  #select(id: string, selected: boolean): void {
    const next = new Set(this.selected);
    if (selected) next.add(id);
    else next.delete(id);
    this.selected = next;
  }

  #selectAll(selected: boolean): void {
    this.selected = new Set(selected ? this.comments.map((comment) => comment.id) : []);
  }

  get #selectedComments(): AdminComment[] {
    return this.comments.filter((comment) => this.selected.has(comment.id));
  }

  get #current(): AdminComment | undefined {
    return this.comments.find((comment) => comment.id === this.currentId);
  }

  async #makeCurrent(comment: AdminComment | null, focus = true): Promise<void> {
    this.currentId = comment?.id ?? null;
    if (!comment || !focus) return;
    await this.updateComplete;
    const article = this.renderRoot.querySelector<HTMLElement>(`#${CSS.escape(articleId(comment))}`);
    article?.focus({ preventScroll: true });
    article?.scrollIntoView?.({ block: 'nearest' });
  }

  /**
   * If the focused control went with the comments (a bulk bar that emptied, the last comment's button), focus
   * lands on the comment now in their place, or on the heading when none is left, never on nothing.
   */
  async #refocus(comment: AdminComment | undefined): Promise<void> {
    await this.updateComplete;
    if (document.activeElement !== document.body) return;
    if (comment) return this.#makeCurrent(comment);
    const heading = this.renderRoot.querySelector<HTMLElement>('h2');
    heading?.setAttribute('tabindex', '-1');
    heading?.focus();
  }

  /**
   * A failed change's comments are back: the focus that went with them comes back to the first, from where it was put
   * in their place (or from nothing, or the section a toast's Dismiss leaves it on), so a keyboard or screen reader
   * owner is on what is still to do. Not when the owner has moved on since: typing, or anywhere else.
   */
  async #focusBack(comment: AdminComment | undefined, standIn: Promise<Element | null>): Promise<void> {
    const spot = await standIn;
    await this.updateComplete;
    const at = focusedElement();
    if (!comment || !spot || ownerTyping()) return;
    if (at === spot || at === document.body || at?.localName === 'main') await this.#makeCurrent(comment);
  }

  #move(step: 1 | -1): void {
    if (this.comments.length === 0) return;
    const index = this.comments.findIndex((comment) => comment.id === this.currentId);
    const next = index === -1 ? (step === 1 ? 0 : this.comments.length - 1) : index + step;
    const comment = this.comments[Math.max(0, Math.min(next, this.comments.length - 1))];
    if (comment) void this.#makeCurrent(comment);
  }

  get #dialogOpen(): boolean {
    const help = this.renderRoot.querySelector<SalaAdminHelp>('sala-admin-help');
    const ban = this.renderRoot.querySelector<SalaAdminBanDialog>('sala-admin-ban-dialog');
    return Boolean(help?.open || ban?.open);
  }

  #onShortcut(event: KeyboardEvent): void {
    const command = shortcutFor(event);
    if (!command || this.#dialogOpen || this.loading) return;
    event.preventDefault();
    this.runShortcut(command);
  }

  /** What a shortcut does; status actions apply to the selected comments, or else to the current one. */
  runShortcut(command: ShortcutCommand): void {
    const targets = this.selected.size > 0 ? this.#selectedComments : this.#current ? [this.#current] : [];
    switch (command) {
      case 'next':
        return this.#move(1);
      case 'previous':
        return this.#move(-1);
      case 'select':
        if (this.#current) this.#select(this.#current.id, !this.selected.has(this.#current.id));
        return;
      case 'approve':
      case 'reject':
      case 'spam':
        return this.#changeStatus(command, targets);
      case 'undo':
        void this.context.undo();
        return;
      case 'search':
        this.renderRoot.querySelector<HTMLInputElement>('#q')?.focus();
        return;
      case 'help':
        this.#showHelp(this.#focused());
        return;
    }
  }

  #focused(): HTMLElement | null {
    const active = this.renderRoot instanceof ShadowRoot ? this.renderRoot.activeElement : null;
    return active instanceof HTMLElement ? active : null;
  }

  #showHelp(opener: HTMLElement | null): void {
    this.renderRoot.querySelector<SalaAdminHelp>('sala-admin-help')?.show(opener);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Rendering
  // -------------------------------------------------------------------------------------------------------------

  protected override render(): TemplateResult {
    const { i18n } = this.context;
    const controls: QueueControlsView = {
      i18n,
      status: this.status,
      counts: this.counts,
      countLimit: this.countLimit,
      pageFilter: this.pageFilter,
      search: this.search,
      shown: this.comments.length,
      selected: this.selected.size,
      onStatus: (status) => this.#chooseStatus(status),
      onFilter: (event) => this.#filter(event),
      onClearFilters: () => this.#clearFilters(),
      onSelectAll: (selected) => this.#selectAll(selected),
      onBulk: (action) => this.#changeStatus(action, this.#selectedComments),
      onHelp: (opener) => this.#showHelp(opener),
    };
    return html`<section aria-labelledby="queue-heading">
      <h2 id="queue-heading">${i18n.t('queueHeading')}</h2>
      ${renderStatusFilter(controls)} ${renderFilters(controls)} ${this.#renderImportedNote()}
      ${renderToolbar(controls)} ${this.#renderKeptReply()} ${this.#renderLinkedNote()} ${this.#renderList()}
      <sala-admin-help .i18n=${i18n}></sala-admin-help>
      <sala-admin-ban-dialog .context=${this.context}></sala-admin-ban-dialog>
    </section>`;
  }

  /**
   * The site-wide Approved list is the moderation index: imported comments are in it only once the owner acts on one
   * (worker/README.md, "Limits of this design"), so an owner who just imported would think the import failed. Only
   * for a site with imported comments, as the list's answer says (`imported`): elsewhere the note is noise.
   */
  #renderImportedNote(): TemplateResult | typeof nothing {
    if (this.status !== 'approved' || this.pageFilter || !this.siteImported) return nothing;
    const { i18n } = this.context;
    return html`<p class="muted imported-note">${i18n.t('approvedImportedNote', { filter: i18n.t('filterPage') })}</p>`;
  }

  /** Where a link's comment is: further down (the list starts at it, newer ones a click away), or gone from the list. */
  #renderLinkedNote(): TemplateResult | typeof nothing {
    if (this.loading || this.linkedNote === null) return nothing;
    const { i18n } = this.context;
    if (this.linkedNote === 'gone') return html`<p class="alert linked-note">${i18n.t('linkedGone')}</p>`;
    return html`<p class="muted linked-note">
      ${i18n.t('linkedFurther')}
      <button type="button" @click=${() => void this.#reload()}>${i18n.t('showNewest')}</button>
    </p>`;
  }

  #renderKeptReply(): TemplateResult | typeof nothing {
    const kept = this.keptReply;
    if (!kept) return nothing;
    const { i18n } = this.context;
    return html`<div class="inline-form kept-reply">
      <p class="alert" role="alert">${isolatedHtml(i18n, 'replyParentGone', { name: kept.name })}</p>
      <label for="kept-reply">${isolatedHtml(i18n, 'replyKeptLabel', { name: kept.name })}</label>
      <textarea id="kept-reply" readonly .value=${kept.body}></textarea>
      <button type="button" @click=${() => (this.keptReply = null)}>${i18n.t('dismiss')}</button>
    </div>`;
  }

  #renderList(): TemplateResult {
    const { i18n } = this.context;
    if (this.loading) return html`<p class="status-line muted" aria-busy="true">${i18n.t('loadingComments')}</p>`;
    if (this.loadError) {
      return html`<p class="alert" role="alert">${this.loadError}</p>
        <button type="button" @click=${() => void this.#load()}>${i18n.t('retry')}</button>`;
    }
    if (this.comments.length === 0) {
      return html`<p class="status-line">${i18n.t(this.status === 'pending' ? 'emptyPending' : 'emptyOther')}</p>`;
    }
    return html`<ol class="items">
        ${repeat(
          this.comments,
          (comment) => comment.id,
          (comment) =>
            renderQueueItem(comment, {
              i18n,
              status: this.status,
              selected: this.selected.has(comment.id),
              current: comment.id === this.currentId,
              closed: this.closedPages.has(comment.pageId),
              form: this.form?.id === comment.id ? this.form.kind : null,
              busy: this.busyId === comment.id,
              error: this.rowError?.id === comment.id ? this.rowError.message : '',
              onSelect: (selected) => this.#select(comment.id, selected),
              onFocus: () => void this.#makeCurrent(comment, false),
              onStatus: (action) => this.#changeStatus(action, [comment]),
              onPin: () => void this.#pin(comment),
              onForm: (kind, opener) => void this.#openForm(comment, kind, opener),
              onBan: (opener) => this.#ban(comment, opener),
              onThread: () => void this.#setThread(comment, !this.closedPages.has(comment.pageId)),
              onSubmitForm: (body) => void this.#submitForm(comment, body),
              onCancelForm: () => this.#closeForm(),
            }),
        )}
      </ol>
      ${
        this.nextCursor
          ? html`<button
              type="button"
              aria-disabled=${this.loadingMore ? 'true' : nothing}
              @click=${() => void this.#load(true)}
            >
              ${i18n.t('loadMore')}
            </button>`
          : nothing
      }`;
  }
}

define('sala-admin-queue', SalaAdminQueue);

declare global {
  interface HTMLElementTagNameMap {
    'sala-admin-queue': SalaAdminQueue;
  }
}
