/** <sala-comments>: the comment thread of the page it sits on, with a composer, replies, edits and deletes. */
import { html, nothing, type PropertyValues, type TemplateResult, type PropertyDeclarations } from 'lit';
import { normalizePageId, type PublicComment, type ThreadSort } from '@sala/protocol';
import { ApiClient, isRetryable, LatestRequest, toApiError, type ApiError } from '../internal/api-client.js';
import { connectedElements } from '../internal/config.js';
import type { Translator } from '../internal/i18n/locale.js';
import { parserFor } from '../internal/markdown.js';
import { resolvePage } from '../internal/page-identity.js';
import { SalaElement } from '../internal/sala-element.js';
import { readJson } from '../internal/storage.js';
import { commentId, renderThread, type CommentAction, type CommentView } from './comment-item.js';
import { commentsStyles } from './comments.styles.js';
import type { ComposerResult, SalaCommentComposer } from './composer.js';
import type { OwnComments } from './own-comments.js';
import type { ActingThread } from './thread-actions.js';
import { buildThread, type ThreadNode } from './thread.js';

const SORTS = ['oldest', 'newest'] as const;
const DEFAULT_MAX_DEPTH = 3;
/** Relative times ("3 minutes ago") and edit windows are refreshed this often. */
const CLOCK_MS = 30_000;
/** Parts of the form (composer.ts); re-exported so pages can style them. */
export const COMPOSER_PARTS = 'composer, label, input, textarea, preview, field-error, error, button, submit';

type ThreadActions = typeof import('./thread-actions.js');

/**
 * What the thread does once a reader acts on a comment, and the reader's own comments (thread-actions.ts, in the
 * posting chunk): fetched as a pointer or focus reaches a Reply, Edit or Delete (#warm), on a post, or when the reader
 * has comments stored.
 */
let actions: ThreadActions | undefined;

function loadActions(): Promise<ThreadActions> {
  return import('./thread-actions.js').then((loaded) => (actions = loaded));
}

/** The thread an element shows, fixed by its attributes and page; a change of any part starts over. */
export interface ThreadSource {
  key: string;
  api: ApiClient;
  pageId: string;
  /** The page's address, sent with each new comment so mails and lists link where the blog serves the post. */
  pageUrl: string | null;
  sort: ThreadSort;
  /** Where the reader's own comments on this thread are kept. */
  ownKey: string;
  /** The reader's own comments, once loaded; undefined while none are stored. */
  own: OwnComments | undefined;
  /** Settles once `own` is loaded (or failed to), so the first render of the thread has them. */
  ownLoaded: Promise<void>;
}

/**
 * Comments for the page it sits on, from a Sala Worker: threaded replies, a Markdown composer with preview,
 * and edit or delete of one's own comments for a while after posting. Comment text is rendered from a
 * parsed AST with Lit templates, never as HTML.
 *
 * @summary A comment thread for any page.
 * @tagname sala-comments
 *
 * @attr api - Origin of the Sala Worker. Defaults to the origin that served embed.js.
 * @attr site - Site id on a Worker serving several sites; omit for the Worker's default site.
 * @attr page-id - Thread id. Defaults to the page's canonical URL, else its location, normalised.
 * @attr sort - `oldest` (default) or `newest` first.
 * @attr max-depth - Levels of nesting shown (default 3); deeper replies line up at the last level with an @mention.
 * @attr heading-level - The level screen readers give the "5 comments" heading (default 2); `4` under a theme whose post titles are `h3`.
 * @attr labels - The post's labels for popular-posts lists, `"a, b"`. Defaults to the page's `article:tag` metas and the post's `rel="tag"` links.
 * @attr no-track - Do not count this page's view for popular posts (on any Sala element, for the whole page).
 * @attr theme - `light` or `dark`; by default follows the host page.
 * @attr lang - Language of the text: `en`, `ar`, `de`, `es`, `fr`, `id`, `ja`, `km`, `pt`, `vi`; defaults to the nearest `lang` above. The whole tag (`en-GB`) sets how dates and numbers read.
 *
 * @event sala-comment-posted - The reader posted a comment or reply. `detail: { comment, pageId }`.
 * @event sala-comment-edited - The reader saved an edit of their comment. `detail: { comment, pageId }`, the comment as it now reads.
 * @event sala-comment-deleted - The reader deleted their comment. `detail: { comment, pageId }`, the comment deleted.
 * @event sala-error - A request failed; the element shows a translated message. `detail: { code, message }`.
 *
 * @slot notice - Shown above the form, e.g. a link to the site's comment policy.
 *
 * @csspart heading - The "5 comments" heading.
 * @csspart sort - The sort select.
 * @csspart thread - The list of comments.
 * @csspart comment - One comment (also `deleted` on placeholders).
 * @csspart avatar - The identicon.
 * @csspart author - The author's name (a link when they gave a website).
 * @csspart time - When the comment was written.
 * @csspart body - The comment text.
 * @csspart mention - The @name before a reply shown beside its parent.
 * @csspart badge - A label by the author's name: `owner` (the site's owner), `pinned`, `pending` (one's own held comment).
 * @csspart actions - The reply, edit and delete buttons of a comment.
 * @csspart button - Every button (`submit` and `danger` mark the primary and delete buttons).
 * @csspart composer - A comment, reply or edit form.
 * @csspart label - A form label.
 * @csspart input - The name, email and website inputs.
 * @csspart textarea - The comment text area.
 * @csspart preview - The rendered preview of a draft.
 * @csspart field-error - The message next to a field that needs fixing.
 * @csspart error - A failure message.
 * @csspart status - The loading and empty messages.
 * @csspart load-more - The "Load more comments" button.
 *
 * @cssproperty --sala-accent - Links, focus rings and the post button. Default `#0969da` (dark: `#4493f8`).
 * @cssproperty --sala-on-accent - Text on the post button.
 * @cssproperty --sala-text - Text colour.
 * @cssproperty --sala-muted - Secondary text: times, notes.
 * @cssproperty --sala-bg - Background of the whole element. Default transparent, showing the page.
 * @cssproperty --sala-surface - Background of code, quotes and the preview.
 * @cssproperty --sala-field-bg - Background of inputs.
 * @cssproperty --sala-border - Borders and the reply guide line.
 * @cssproperty --sala-danger - Errors and the delete button.
 * @cssproperty --sala-radius - Corner radius. Default `6px`.
 * @cssproperty --sala-font - Font. Default: the page's.
 * @cssproperty --sala-avatar-size - Avatar size. Default `2.5em`.
 */
export class SalaComments extends SalaElement {
  static override styles = commentsStyles;
  static override properties: PropertyDeclarations = {
    pageId: { attribute: 'page-id' },
    sort: {},
    maxDepth: { attribute: 'max-depth', type: Number },
    headingLevel: { attribute: 'heading-level', type: Number },
    labels: {},
    comments: { state: true },
    total: { state: true },
    nextCursor: { state: true },
    closed: { state: true },
    loading: { state: true },
    loadError: { state: true },
    loadingMore: { state: true },
    moreError: { state: true },
    active: { state: true },
    busy: { state: true },
    actionError: { state: true },
    announcement: { state: true },
  };

  pageId?: string;
  sort: ThreadSort = 'oldest';
  maxDepth = DEFAULT_MAX_DEPTH;
  /** The heading's level for assistive technology (`aria-level` on its h2), under a page's own headings. */
  headingLevel?: number;
  /** The post's labels for popular-posts lists, `"a, b"`; by default its `article:tag` metas and `rel="tag"` links. */
  labels?: string;

  private comments: PublicComment[] = [];
  private total = 0;
  private nextCursor: string | null = null;
  /** The owner closed the thread: comments stay readable, the forms go. */
  private closed = false;
  /** The Worker mails replies: its forms offer them (composer-open.ts reads this). Kept from its last answer. */
  private replyMails?: true;
  private loading = true;
  private loadError: ApiError | null = null;
  private loadingMore = false;
  private moreError: ApiError | null = null;
  /** The reply form, edit form or delete question open on one comment. */
  private active: { id: string; action: CommentAction } | null = null;
  private busy = false;
  /** A failed action, shown on its comment. */
  private actionError: { id: string; error: ApiError } | null = null;
  private announcement = '';

  // `private` rather than `#private` where thread-actions.ts acts on them too (ActingThread there), as on the above.
  private source: ThreadSource | undefined;
  /** Another element on the page shows this one's thread, and this one nothing (willUpdate); `private`, read on others. */
  private shownBy: SalaComments | undefined;
  /** A thread load has finished, well or not: the form shows from then on. */
  #answered = false;
  /** The open reply or edit form (`reply:{id}` or `edit:{id}`), kept while it stays open. */
  private inlineForm: { key: string; element: SalaCommentComposer } | undefined;
  /** The element's translator, and it over the English own-actions.ts brought (#ownStrings). */
  #withOwnStrings: [Translator, Translator] | undefined;
  /** This thread has asked for thread-actions.ts ahead of a click (#warm). */
  #warmed = false;
  readonly #threadRequest = new LatestRequest();
  #clock: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#clock = setInterval(() => this.requestUpdate(), CLOCK_MS);
    // Re-attached after a removal cut the first load short: start it again.
    if (this.hasUpdated && this.loading) this.source = undefined;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#clock);
    this.#threadRequest.abort();
    this.#release();
  }

  /** Lets the elements that showed nothing for this one's thread (willUpdate) look again: the first takes it. */
  #release(): void {
    for (const other of connectedElements as Set<SalaComments>) if (other.shownBy === this) other.requestUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // Removed meanwhile (by a router, or as a thread pasted twice was let go, #release): put back, it looks again.
    if (!this.isConnected) return;
    const api = this.apiOrigin;
    const sort = this.choice('sort', this.sort, SORTS, 'oldest');
    if (this.pageId !== undefined && !normalizePageId(this.pageId)) {
      this.mistake('page-id', this.pageId);
    }
    const identity = resolvePage(this.pageId);
    const pageId = identity?.pageId ?? null;
    const key = [api, this.site, pageId, sort].join('|');
    const site = this.site || undefined;
    const ownKey = `sala:own:${api}|${site ?? ''}|${pageId}`;
    // Pasted twice for one post (the theme's and the post's, a plugin's and one by hand): the element that took the
    // thread first shows it, this one nothing, and the console says which to remove. Found among the page's Sala
    // elements (connectedElements), which reach a thread in an app component's shadow root too.
    // Without an api or a page to name, no element has a `source` of that key. The hint is printed once (diagnostics.ts).
    this.shownBy = [...(connectedElements as Set<SalaComments>)].find(
      (other) => other.source?.ownKey === ownKey && other !== this,
    );
    if (this.shownBy) {
      this.mistake('duplicate', this.shownBy, pageId!);
      this.source = undefined;
      return;
    }
    if (key === this.source?.key) return;
    // Another element for this post, which showed nothing, shows it now (changing post, this one leaves it).
    this.#release();

    this.comments = [];
    this.total = 0;
    this.nextCursor = null;
    this.closed = false;
    this.moreError = this.actionError = this.active = null;
    if (!api || !identity) {
      this.source = undefined;
      this.loading = false;
      this.loadError = this.notConfigured(this.loadError);
      return;
    }
    const source: ThreadSource = {
      key,
      api: new ApiClient(api, site),
      pageId: identity.pageId,
      pageUrl: identity.pageUrl,
      sort,
      ownKey,
      own: undefined,
      ownLoaded: Promise.resolve(),
    };
    // Comments of the reader's are stored, or this page may have posted some that storage refused (own-comments.ts).
    if (readJson(source.ownKey) !== undefined || actions) {
      source.ownLoaded = loadActions().then(
        (loaded) => void (source.own = new loaded.OwnComments(source.ownKey)),
        // The reader's own comments then show as anyone's, without Edit or Delete.
        (error: unknown) => this.hint(`could not load comment actions: ${String(error)}`),
      );
    }
    this.source = source;
    void this.#load(null);
  }

  get #maxDepth(): number {
    if (Number.isInteger(this.maxDepth) && this.maxDepth >= 1) return this.maxDepth;
    this.mistake('max-depth', DEFAULT_MAX_DEPTH);
    return DEFAULT_MAX_DEPTH;
  }

  /** The server's comments, the reader's own as they last left them, plus those it does not list yet. */
  private get visible(): PublicComment[] {
    const source = this.source;
    return source?.own ? actions!.withOwnComments(this.comments, source.own, source.sort) : this.comments;
  }

  async #load(cursor: string | null): Promise<void> {
    const source = this.source;
    if (!source) return;
    if (cursor) [this.loadingMore, this.moreError] = [true, null];
    else [this.loading, this.loadError] = [true, null];
    try {
      const query = { page: source.pageId, sort: source.sort, cursor };
      const [response] = await Promise.all([
        this.#threadRequest.run((signal) => source.api.getThread(query, signal)),
        source.ownLoaded,
      ]);
      if (response) await parserFor([...response.comments, ...(source.own?.unlisted ?? [])]);
      if (!response || source !== this.source) return; // superseded by a newer load
      const known = new Set(this.comments.map((comment) => comment.id));
      this.comments = cursor
        ? [...this.comments, ...response.comments.filter((c) => !known.has(c.id))]
        : response.comments;
      this.total = Number.isInteger(response.total) ? response.total : this.comments.length;
      this.nextCursor = response.nextCursor;
      this.closed = response.closed === true;
      this.replyMails = response.replyMails;
      this.loading = false;
      this.#answered = true;
      source.own?.markListed(response.comments);
      if (!cursor) {
        void this.#revealLinkedComment();
        const { origin: api, site } = source.api;
        this.recordView({ api, site, pageId: source.pageId, labels: this.labels, sample: response.viewSample });
      }
    } catch (caught) {
      const error = toApiError(caught);
      if (cursor) this.moreError = error;
      else [this.loading, this.loadError, this.#answered] = [false, error, true];
      this.emitError(error);
    } finally {
      if (cursor) this.loadingMore = false;
    }
  }

  /**
   * A link to one comment (`#comment-{id}`, as the Atom feeds give) cannot reach into the shadow root by itself:
   * once the thread is on screen, bring that comment into view and focus it, loading further pages until it comes
   * (the feeds link the newest comments, the last pages in the oldest-first order). A link to the thread itself
   * (`#comments`, the "12 comments" links) is scrolled to again once the thread has its height: the browser
   * scrolled while it had none, and a page too short then left it at the bottom of the window.
   */
  async #revealLinkedComment(): Promise<void> {
    const source = this.source;
    const { hash } = location;
    await this.updateComplete;
    // Also a link to an element for this post that shows nothing: the theme's, with its "#comments", pasted twice.
    const named = document.getElementById(hash.slice(1)) as SalaComments | null;
    if ((this.id && hash === `#${this.id}`) || named?.shownBy === this) return this.scrollIntoView({ block: 'start' });
    const linked = /^#comment-([0-9A-Za-z_-]{1,64})$/.exec(hash)?.[1];
    if (linked === undefined) return;
    while (!this.article(linked) && this.nextCursor && !this.moreError && this.source === source) {
      await this.#load(this.nextCursor);
      await this.updateComplete;
    }
    const target = this.article(linked);
    if (!target) return;
    target.scrollIntoView({ block: 'start' });
    target.focus({ preventScroll: true });
  }

  /** "Load more", then focus on the first comment it brought: on the last page the button itself goes away. */
  async #loadMore(): Promise<void> {
    if (this.loadingMore || !this.nextCursor) return;
    const shown = new Set(this.comments.map((comment) => comment.id));
    await this.#load(this.nextCursor);
    const first = this.comments.find((comment) => !shown.has(comment.id));
    if (!first) return;
    await this.updateComplete;
    this.article(first.id)?.focus();
  }

  /** "Try again" disappears once the thread loads: focus goes to its heading, not to the page's start. */
  async #retry(): Promise<void> {
    await this.#load(null);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  /**
   * The strings only a reader's own comments meet (the delete question, its errors, what a post announces) come in
   * posting's English with own-actions.ts, beneath the element's own.
   */
  #ownStrings(i18n: Translator): Translator {
    if (!actions) return i18n;
    if (this.#withOwnStrings?.[0] !== i18n) this.#withOwnStrings = [i18n, i18n.withDefaults(actions.enPosting)];
    return this.#withOwnStrings[1];
  }

  private article(id: string): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`#${CSS.escape(commentId(id))}`);
  }

  /**
   * Runs `action` on this thread, at once when thread-actions.ts is here (as it is for Edit and Delete), else once it
   * arrives. The thread lends its state, private to any other code, to that module alone.
   */
  #act(action: (loaded: ThreadActions, thread: ActingThread) => unknown): unknown {
    const thread = this as unknown as ActingThread;
    if (actions) return action(actions, thread);
    return loadActions().then(
      (loaded) => action(loaded, thread),
      (error: unknown) => this.hint(`could not load comment actions: ${String(error)}`),
    );
  }

  /**
   * A pointer over, or focus on, a Reply, Edit or Delete (the thread's only [data-action] until thread-actions.ts is
   * here) starts fetching that module, once per thread, with the import the click makes: the click then finds it here
   * or on its way rather than waiting for all of it, and a reader who only reads still never fetches it. One listener on
   * the list, not one per button.
   */
  #warm(event: Event): void {
    if (this.#warmed || !(event.target as Element).closest('[data-action]')) return;
    this.#warmed = true;
    // A failure is told by the click, which asks again.
    loadActions().catch(() => {});
  }

  /** The top-level form. */
  #composer(): TemplateResult {
    const source = this.source;
    return html`<sala-comment-composer
      exportparts=${COMPOSER_PARTS}
      .i18n=${this.i18n}
      .api=${this.source?.api}
      .pageId=${this.source?.pageId ?? ''}
      .pageUrl=${this.source?.pageUrl ?? null}
      .saved=${(result: ComposerResult) => this.#act((loaded, thread) => loaded.saved(thread, result, null, source))}
    ></sala-comment-composer>`;
  }

  #view(i18n: Translator, thread: ThreadNode[]): CommentView {
    const open = this.active && this.active.action !== 'delete' ? `${this.active.action}:${this.active.id}` : undefined;
    if (this.inlineForm?.key !== open) this.inlineForm = undefined; // closed: reopening starts afresh
    const now = Date.now();
    const view: CommentView = {
      i18n,
      thread,
      now,
      active: this.active,
      closed: this.closed,
      busy: this.busy,
      error: this.actionError,
      // The reader's own comments are loaded with thread-actions.ts, so a comment with a token has that module here.
      ownActions: (comment) =>
        this.source?.own?.tokenFor(comment.id, now) === undefined ? nothing : actions!.ownActions(comment, view),
      open: (comment, action) => void this.#act((loaded, thread) => loaded.open(thread, comment, action)),
      close: (comment) => void this.#act((loaded, thread) => loaded.close(thread, comment)),
      confirmDelete: (comment) => void this.#act((loaded, thread) => loaded.deleteComment(thread, comment)),
      deleteQuestion: (comment) => actions?.deleteQuestion(comment, view) ?? nothing,
      // Only an open Reply or Edit, which thread-actions.ts opened, asks for one.
      composer: (comment, mode) => actions!.inlineComposer(this as unknown as ActingThread, comment, mode === 'edit'),
    };
    return view;
  }

  protected override render(): TemplateResult | typeof nothing {
    // Another element shows this thread: nothing here, no heading or landmark a screen reader would meet twice.
    if (this.shownBy) return nothing;
    const i18n = this.i18n;
    const classes = `root${this.dark ? ' dark' : ''}`;
    // Until the strings of its language come (a language other than English), the loading state without its words:
    // the thread holds the room it will take, so nothing below moves when they come, and no English flashes. Its bar is
    // inert and hidden (comments.styles.ts), its status line hidden from screen readers: a reader meets a busy thread and
    // the page’s notice, nothing else (no empty paragraph).
    if (!i18n)
      return html`<div class=${classes} aria-busy="true">
        <div class="bar row" inert>
          <h2 part="heading"><br /></h2>
          <span class="sort row"><br /><select part="sort"></select></span>
        </div>
        <slot name="notice"></slot>
        <p class="status note" part="status" aria-hidden="true"><br /></p>
      </div>`;

    const visible = this.visible;
    const thread = buildThread(visible, this.#maxDepth);
    return html`<div class=${classes} lang=${i18n.lang} dir=${i18n.dir}>
      <div class="bar row">
        <h2 part="heading" tabindex="-1" aria-level=${this.headingLevel || nothing}>
          ${this.loading || this.loadError ? i18n.t('heading') : i18n.count(this.source?.own ? actions!.shownCount(this.total, visible, this.comments) : this.total)}
        </h2>
        <label class="sort row">
          ${i18n.t('sortLabel')}
          <!-- ?selected sets the first render (options do not exist yet when .value is set); .value keeps the
               select in step with later changes by code, which a user's own pick would make ?selected miss. -->
          <select
            part="sort"
            .value=${this.source?.sort ?? 'oldest'}
            @change=${(event: Event) => (this.sort = (event.target as HTMLSelectElement).value as ThreadSort)}
          >
            ${SORTS.map(
              (sort) =>
                html`<option value=${sort} ?selected=${this.source?.sort === sort}>
                  ${i18n.t(sort === 'oldest' ? 'sortOldest' : 'sortNewest')}
                </option>`,
            )}
          </select>
        </label>
      </div>
      <slot name="notice"></slot>
      ${this.#topForm(i18n)} ${this.#status(i18n, visible.length)}
      <ul
        part="thread"
        role="list"
        aria-busy=${this.loading ? 'true' : 'false'}
        @pointerover=${this.#warm}
        @focusin=${this.#warm}
      >
        ${renderThread(thread, this.#view(this.#ownStrings(i18n), thread))}
      </ul>
      ${
        this.nextCursor
          ? html`<button
              type="button"
              part="button load-more"
              class="more"
              aria-disabled=${this.loadingMore ? 'true' : nothing}
              @click=${() => this.#loadMore()}
            >
              ${i18n.t('loadMore')}
            </button>`
          : nothing
      }
      ${this.moreError ? html`<p class="error" part="error" role="alert">${i18n.error(this.moreError)}</p>` : nothing}
      <div class="visually-hidden" role="status">${this.announcement}</div>
    </div>`;
  }

  /**
   * The form for a new comment, shown with the first answer (the thread, or why it failed), so a closed thread never
   * flashes one, and kept through later loads with what the reader typed; none when the element has no API.
   */
  #topForm(i18n: Translator): TemplateResult | typeof nothing {
    if (this.closed) return html`<p class="status note" part="status">${i18n.error('thread_closed')}</p>`;
    return this.source && this.#answered ? this.#composer() : nothing;
  }

  #status(i18n: Translator, shown: number): TemplateResult | typeof nothing {
    if (this.loadError) {
      return html`<div class="load-error error" part="error" role="alert">
        <p>${i18n.error(this.loadError)}</p>
        ${isRetryable(this.loadError) ? html`<button type="button" part="button" @click=${() => this.#retry()}>${i18n.t('retry')}</button>` : nothing}
      </div>`;
    }
    if (this.loading) return html`<p class="status note" part="status">${i18n.t('loading')}</p>`;
    return shown === 0 ? html`<p class="status note" part="status">${i18n.t('empty')}</p>` : nothing;
  }
}
