/** <sala-popular-posts>: the blog's most-read posts, like Blogger's "Popular posts from this blog" gadget. */
import { html, nothing, type TemplateResult, type PropertyDeclarations } from 'lit';
import { normalizePageId, type PopularBy, type PopularPost, type PopularRange } from '@sala/protocol';
import type { ApiClient } from '../internal/api-client.js';
import type { Translator } from '../internal/i18n/locale.js';
import { httpUrl, pageKind } from '../internal/host-page.js';
import { resolvePageId } from '../internal/page-identity.js';
import { SalaList, type ListRequest } from '../internal/sala-list.js';
import { getPopularPosts, type PopularQuery } from './popular-api.js';
import { popularPostsStyles } from './popular-posts.styles.js';

const RANGES = ['24h', '7d', '30d', 'all'] as const;
const BYS = ['views', 'comments'] as const;

/**
 * The blog's most-read (or most-discussed) posts over the last 24 hours, 7 days, 30 days or all time, each with its
 * title linked to the post, a thumbnail, a snippet and its date. On a post page it leaves that post out and counts
 * the reader's view of it. Lays out like Blogger's footer list where it is wide (34em and up), and like its compact
 * gadget where it is narrower: a small square thumbnail beside each title, the snippet cut to two lines.
 *
 * @summary "Popular posts from this blog", for any blog.
 * @tagname sala-popular-posts
 *
 * @attr api - Origin of the Sala Worker. Defaults to the origin that served embed.js.
 * @attr site - Site id on a Worker serving several sites; omit for the Worker's default site.
 * @attr range - `24h`, `7d` (default), `30d` or `all`.
 * @attr by - `views` (default) or `comments`.
 * @attr limit - How many posts, 1 to 20 (default 5).
 * @attr label - Only posts with this label.
 * @attr no-thumbnails - Leave out the thumbnails.
 * @attr no-snippets - Leave out the snippets.
 * @attr include-current - On a post page, list that post too (by default it is left out).
 * @attr page-id - The post this page is. Defaults to its canonical URL on a post page (see "Counting views" in the README).
 * @attr labels - The post's labels for popular-posts lists, `"a, b"`. Defaults to the page's `article:tag` metas and the post's `rel="tag"` links.
 * @attr no-track - Do not count this page's view for popular posts (on any Sala element, for the whole page).
 * @attr theme - `light` or `dark`; by default follows the host page.
 * @attr lang - Language of the text: `en`, `ar`, `de`, `es`, `fr`, `id`, `ja`, `km`, `pt`, `vi`; defaults to the nearest `lang` above. The whole tag (`en-GB`) sets how dates and numbers read.
 *
 * @event sala-error - The list could not be loaded; the element shows a translated message. `detail: { code, message }`.
 *
 * @csspart list - The list of posts (an `<ol>`).
 * @csspart item - One post.
 * @csspart thumbnail - The thumbnail's box (a link to the post, hidden from screen readers: the title says it).
 * @csspart link - The post's title, a link to it (also `title`).
 * @csspart date - When the post was published.
 * @csspart snippet - The start of the post.
 * @csspart status - The loading and empty messages.
 * @csspart error - A failure message.
 * @csspart button - The "Try again" button.
 *
 * @cssproperty --sala-accent - Title links and focus rings. Default `#0969da` (dark: `#4493f8`).
 * @cssproperty --sala-text - Text colour.
 * @cssproperty --sala-muted - Dates.
 * @cssproperty --sala-bg - Background of the whole element. Default transparent.
 * @cssproperty --sala-surface - Background of a thumbnail's box while it loads.
 * @cssproperty --sala-border - Lines between posts.
 * @cssproperty --sala-danger - Errors.
 * @cssproperty --sala-radius - Corner radius of thumbnails and buttons. Default `6px`.
 * @cssproperty --sala-font - Font. Default: the page's.
 * @cssproperty --sala-thumbnail-width - Thumbnail width where the list is wide. Default `10em`.
 * @cssproperty --sala-thumbnail-ratio - Thumbnail aspect ratio where the list is wide. Default `16 / 9`.
 * @cssproperty --sala-thumbnail-size - Side of the square thumbnail where the list is narrow. Default `4.5em`.
 */
export class SalaPopularPosts extends SalaList<PopularPost> {
  static override styles = popularPostsStyles;
  static override properties: PropertyDeclarations = {
    range: {},
    by: {},
    label: {},
    noThumbnails: { type: Boolean, attribute: 'no-thumbnails' },
    noSnippets: { type: Boolean, attribute: 'no-snippets' },
    includeCurrent: { type: Boolean, attribute: 'include-current' },
    pageId: { attribute: 'page-id' },
    labels: {},
  };

  range: PopularRange = '7d';
  by: PopularBy = 'views';
  label?: string;
  noThumbnails = false;
  noSnippets = false;
  includeCurrent = false;
  pageId?: string;
  labels?: string;

  #dates: { lang: string; format: Intl.DateTimeFormat } | undefined;
  /** Thumbnails that failed to load (deleted, moved, refused to other sites): their posts show as text, no broken box. */
  readonly #brokenImages = new Set<string>();

  /** The post the reader is on: named by page-id, or a page that is a post (page-meta.ts); null elsewhere. */
  get #currentPost(): string | null {
    if (this.pageId !== undefined) {
      if (!normalizePageId(this.pageId)) this.mistake('page-id', this.pageId);
      return resolvePageId(this.pageId);
    }
    const kind = pageKind();
    if (kind === 'unsure') {
      this.hint(
        'this page looks like a post but does not say so, so its view is not counted. On post pages add ' +
          '<meta property="og:type" content="article"> to the <head> (Blogger: inside ' +
          "<b:if cond='data:view.isPost'>), or give this element a page-id.",
      );
    }
    return kind === 'post' ? resolvePageId(undefined) : null;
  }

  protected override listRequest(api: ApiClient, limit: number): ListRequest<PopularPost> {
    const pageId = this.#currentPost;
    const query: PopularQuery = {
      range: this.choice('range', this.range, RANGES, '7d'),
      by: this.choice('by', this.by, BYS, 'views'),
      limit,
      label: this.label?.trim() || undefined,
      exclude: pageId && !this.includeCurrent ? [pageId] : [],
    };
    return {
      key: JSON.stringify([pageId, query]),
      fetch: async (signal) => {
        const response = await getPopularPosts(api, query, signal);
        // On a post page, this answer (with the site's sample rate) is the cue to count the reader's view.
        if (pageId)
          this.recordView({
            api: api.origin,
            site: api.site,
            pageId,
            labels: this.labels,
            sample: response.viewSample,
          });
        return response.posts;
      },
    };
  }

  /** "Nov 20, 2026" in the element's locale ("20 Nov 2026" in en-GB), or '' for a date that does not parse. */
  #date(iso: string | undefined, lang: string): string {
    const time = iso ? Date.parse(iso) : NaN;
    if (Number.isNaN(time)) return '';
    if (this.#dates?.lang !== lang)
      this.#dates = { lang, format: new Intl.DateTimeFormat(lang, { dateStyle: 'medium' }) };
    return this.#dates.format.format(time);
  }

  #item(post: PopularPost, i18n: Translator): TemplateResult {
    let image = this.noThumbnails ? undefined : httpUrl(post.image ?? '');
    if (image && this.#brokenImages.has(image)) image = undefined;
    const snippet = this.noSnippets ? '' : (post.description ?? '');
    const date = this.#date(post.published, i18n.lang);
    // The thumbnail links to the post for pointer users only: the title right after it names the same link, so
    // keyboards skip it and screen readers hear each post once (WCAG technique H2). Its box is sized before the
    // image arrives, so nothing below moves.
    return html`<li part="item" class=${image ? 'item with-thumbnail' : 'item'}>
      ${
        image
          ? html`<a part="thumbnail" class="thumbnail" href=${post.url} tabindex="-1" aria-hidden="true">
              <img
                src=${image}
                alt=""
                loading="lazy"
                decoding="async"
                referrerpolicy="no-referrer"
                width="320"
                height="180"
                @error=${() => {
                  this.#brokenImages.add(image);
                  this.requestUpdate();
                }}
              />
            </a>`
          : nothing
      }
      <a part="link title" class="title" href=${post.url} dir="auto">${post.title}</a>
      ${date ? html`<time part="date" datetime=${post.published ?? nothing}>${date}</time>` : nothing}
      ${snippet ? html`<p part="snippet" class="snippet" dir="auto">${snippet}</p>` : nothing}
    </li>`;
  }

  protected override render(): TemplateResult {
    const i18n = this.i18n;
    const classes = `root${this.dark ? ' dark' : ''}`;
    if (!i18n) return this.renderWaiting(classes);
    return html`<div class=${classes} lang=${i18n.lang} dir=${i18n.dir}>
      ${this.renderStatus(i18n, 'popularLoading', 'popularEmpty')}
      <ol part="list" aria-label=${i18n.t('popularLabel')} aria-busy=${this.loading ? 'true' : 'false'}>
        ${this.items.map((post) => this.#item(post, i18n))}
      </ol>
    </div>`;
  }
}
