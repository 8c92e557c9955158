/** <sala-comment-count>: "12 comments" for one page, inline, e.g. next to each post title on a blog's home page. */
import { html, nothing, type PropertyValues, type TemplateResult, type PropertyDeclarations } from 'lit';
import { normalizePageId } from '@sala/protocol';
import { ApiClient, toApiError, type ApiError } from '../internal/api-client.js';
import { httpUrl } from '../internal/host-page.js';
import { enCount } from '../internal/i18n/en-count.js';
import { resolvePageId } from '../internal/page-identity.js';
import { SalaElement } from '../internal/sala-element.js';
import { commentCountStyles } from './comment-count.styles.js';
import { commentCount, onCountChange } from './count-batch.js';

/**
 * How many comments a page has, pluralised in the reader's language. However many of these are on a page, their
 * counts come in one request. With `href` it links to the post's comments. It counts no view: a home page is not
 * a post. A comment the reader posts or deletes in a `<sala-comments>` on the same page moves it by one, and on a later
 * page their comments the server does not count yet are counted (count-batch.ts), in their browser only.
 *
 * @summary "12 comments" next to a post's title.
 * @tagname sala-comment-count
 *
 * @attr href - The post's address: the count links to its comments (`href` + `#comments`, unless it has a `#` of its own) and, without `page-id`, counts that post's.
 * @attr page-id - Whose comments to count, when that is not `href`: the page id `<sala-comments>` uses on the post. Defaults to `href`, else this page.
 * @attr api - Origin of the Sala Worker. Defaults to the origin that served embed.js.
 * @attr site - Site id on a Worker serving several sites; omit for the Worker's default site.
 * @attr no-track - Do not count this page's view for popular posts (on any Sala element, for the whole page).
 * @attr lang - Language of the text: `en`, `ar`, `de`, `es`, `fr`, `id`, `ja`, `km`, `pt`, `vi`; defaults to the nearest `lang` above. The whole tag (`en-GB`) sets how dates and numbers read.
 *
 * @event sala-error - The count could not be loaded; the element says so. `detail: { code, message }`.
 *
 * @csspart count - The text (a `<span>`, or with `href` an `<a>`, also `link`).
 * @csspart error - The "Comment count unavailable" text.
 *
 * @cssproperty --sala-accent - Colour of the link. Default: the surrounding text's.
 */
export class SalaCommentCount extends SalaElement {
  static override styles = commentCountStyles;
  protected static override english = enCount;
  static override properties: PropertyDeclarations = {
    pageId: { attribute: 'page-id' },
    href: {},
    count: { state: true },
    loadError: { state: true },
  };

  pageId?: string;
  href?: string;

  private count: number | null = null;
  private loadError: ApiError | null = null;

  #key: string | undefined;
  /** What the shown count was asked with, to ask again when a thread on this page changes it. */
  #asked: { client: ApiClient; pageId: string } | undefined;
  #stopListening: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    // Re-attached after a failure: ask again.
    if (this.hasUpdated && this.loadError) this.#key = undefined;
    this.#stopListening = onCountChange(() => this.#recount());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopListening?.();
  }

  /** A thread on this page posted or deleted a comment: shows the count as it now is, without a loading state. */
  #recount(): void {
    const key = this.#key;
    if (!this.#asked || this.count === null) return;
    void commentCount(this.#asked.client, this.#asked.pageId).then((count) => {
      if (this.#key === key) this.count = count;
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const api = this.apiOrigin;
    if (this.pageId !== undefined && !normalizePageId(this.pageId)) {
      this.hint(`page-id="${this.pageId}" is empty or too long; counting this page's comments.`);
    }
    // A count linked to a post counts that post: its address is its page id (as on Blogger, `expr:href='data:post.url'`).
    const pageId = resolvePageId(this.pageId ?? (this.href === undefined ? undefined : httpUrl(this.href)));
    const key = [api, this.site, pageId].join('|');
    if (key === this.#key) return;
    this.#key = key;
    this.count = null;
    if (!api || !pageId) {
      this.loadError = this.notConfigured(this.loadError);
      return;
    }
    this.loadError = null;
    this.#asked = { client: new ApiClient(api, this.site || undefined), pageId };
    commentCount(this.#asked.client, pageId).then(
      (count) => {
        if (this.#key === key) this.count = count;
      },
      (caught: unknown) => {
        if (this.#key !== key) return;
        this.loadError = toApiError(caught);
        this.emitError(this.loadError);
      },
    );
  }

  /** Where the link goes: the post's comments. */
  get #link(): string | undefined {
    if (this.href === undefined) return undefined;
    const url = httpUrl(this.href);
    if (!url) {
      this.hint(`href="${this.href}" is not a web address; showing the count without a link.`);
      return undefined;
    }
    return url.includes('#') ? url : `${url}#comments`;
  }

  protected override render(): TemplateResult {
    const i18n = this.i18n;
    // Until the strings of its language come (a language other than English): a line's height without words, so a
    // count alone on its line does not push what follows down when they come, and no English flashes; the no-break
    // space that holds it hidden from screen readers, which would say "blank".
    if (!i18n) return html`<span class="root" aria-busy="true" aria-hidden="true">&nbsp;</span>`;
    const text = this.loadError
      ? i18n.t('countError')
      : this.count === null
        ? i18n.t('countLoading')
        : i18n.count(this.count);
    const part = this.loadError ? 'count error' : 'count';
    const link = this.#link;
    const post = link && this.count !== null ? postTitle(this, link) : '';
    return html`<span
      class="root"
      lang=${i18n.lang}
      dir=${i18n.dir}
      aria-busy=${this.count === null && !this.loadError ? 'true' : nothing}
      >${
        link
          ? html`<a
              part="${part} link"
              href=${link}
              aria-label=${post ? i18n.t('countOn', { comments: text, post }) : nothing}
              >${text}</a
            >`
          : html`<span part=${part}>${text}</span>`
      }</span
    >`;
  }
}

/**
 * The title of the post `link` goes to, as the page's heading that links to it reads, or '': a blog's home page lists
 * each post as such a heading with its count beside it, and without the title a screen reader's list of links reads
 * "3 comments" once per post.
 */
function postTitle(element: Element, link: string): string {
  const post = link.split('#')[0];
  const root = element.getRootNode() as ParentNode;
  const headings = 'h1,h2,h3,h4,h5,h6';
  /** Where a heading links, '' for nowhere: a link in it (WordPress, Blogger, Hugo) or around it (Ghost's cards). */
  const to = (heading: Element) => {
    const found = heading.querySelector<HTMLAnchorElement>('a[href]') ?? heading.closest<HTMLAnchorElement>('a[href]');
    return found?.href.split('#')[0] ?? '';
  };
  // A title that is no link (a theme that leaves it out): the first heading of the post the count is in, as a reader
  // takes it, unless it links elsewhere; none outside a post (a sidebar's heading is not the post's title).
  const own = element.closest('article,.hentry')?.querySelector(headings);
  const title =
    [...root.querySelectorAll(headings)].find((heading) => to(heading) === post) ?? (own && !to(own) ? own : null);
  return title ? title.textContent!.replace(/\s+/g, ' ').trim() : '';
}
