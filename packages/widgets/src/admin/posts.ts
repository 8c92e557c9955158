/**
 * <sala-admin-posts>: views and comments per post for a chosen period, from the popular-posts counts. The Worker
 * orders the posts by the chosen column and period and sends them a page at a time (a blog may have 5,000: all of
 * them in one answer was over the free plan's CPU time); a new order starts again from the first page.
 */
import { html, LitElement, nothing, type TemplateResult, type PropertyDeclarations } from 'lit';
import type { AdminPostStats, PopularBy, PopularRange } from '@sala/protocol';
import { define } from '../internal/define.js';
import { link } from '../internal/markdown.js';
import { partStyles } from './admin.styles.js';
import type { AdminContext } from './context.js';
import { SiteData } from './site-data.js';

const RANGES: PopularRange[] = ['24h', '7d', '30d', 'all'];
type Column = PopularBy;
/** Posts per request: a screenful or two of the table. */
const PAGE_SIZE = 50;

export class SalaAdminPosts extends LitElement {
  static override styles = partStyles;
  static override properties: PropertyDeclarations = {
    context: { attribute: false },
    posts: { state: true },
    total: { state: true },
    loadingMore: { state: true },
    reordering: { state: true },
    loadError: { state: true },
    range: { state: true },
    sortBy: { state: true },
  };

  context!: AdminContext;

  private posts: AdminPostStats[] | null = null;
  /** Posts in all pages, as of the last answer. */
  private total = 0;
  private loadingMore = false;
  /** The rows shown are of the order before: the new one is on its way. */
  private reordering = false;
  private loadError = '';
  private range: PopularRange = '7d';
  private sortBy: Column = 'views';

  readonly #data = new SiteData(this, () => void this.#load());

  /** The first page in the chosen order, or (`more`) the next one, added below those shown. */
  async #load(more = false): Promise<void> {
    this.loadError = '';
    this.loadingMore = more;
    this.reordering = !more && this.posts !== null;
    const query = {
      range: this.range,
      by: this.sortBy,
      limit: PAGE_SIZE,
      offset: more ? (this.posts?.length ?? 0) : 0,
    };
    try {
      const result = await this.#data.request.run((signal) => this.context.api.posts(this.context.site, query, signal));
      if (!result) return;
      // A count finished between two pages can move a post across them: it is listed once.
      const shown = more ? (this.posts ?? []) : [];
      const known = new Set(shown.map((post) => post.pageId));
      this.posts = [...shown, ...result.posts.filter((post) => !known.has(post.pageId))];
      this.total = result.total;
      if (more) this.context.announce(this.#shown());
      // The last page takes "Load more" away: focus goes to the table, where reading goes on, not to the page.
      if (more && this.posts.length >= this.total) void this.#focusTable();
    } catch (error) {
      this.loadError = this.context.failed(error);
    }
    this.loadingMore = this.reordering = false;
  }

  async #focusTable(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.scroll')?.focus();
  }

  #order(range: PopularRange, sortBy: Column): void {
    if (range === this.range && sortBy === this.sortBy) return;
    this.range = range;
    this.sortBy = sortBy;
    void this.#load();
  }

  protected override render(): TemplateResult {
    const { i18n } = this.context;
    return html`<section aria-labelledby="posts-heading">
      <h2 id="posts-heading">${i18n.t('postsHeading')}</h2>
      <p class="muted">${i18n.t('postsIntro')}</p>
      <div class="field">
        <label for="range">${i18n.t('postsRange')}</label>
        <select
          id="range"
          @change=${(event: Event) =>
            this.#order((event.target as HTMLSelectElement).value as PopularRange, this.sortBy)}
        >
          ${RANGES.map((range) => html`<option value=${range} ?selected=${range === this.range}>${i18n.t(`range.${range}`)}</option>`)}
        </select>
      </div>
      ${this.loadError ? html`<p class="alert" role="alert">${this.loadError}</p>` : nothing} ${this.#renderTable()}
    </section>`;
  }

  #header(column: Column): TemplateResult {
    const { i18n } = this.context;
    const label = i18n.t(column === 'views' ? 'colViews' : 'colComments');
    const sorted = this.sortBy === column;
    return html`<th scope="col" aria-sort=${sorted ? 'descending' : 'none'}>
      <button
        type="button"
        class="link"
        aria-pressed=${sorted ? 'true' : 'false'}
        @click=${() => this.#order(this.range, column)}
      >
        ${label}
      </button>
    </th>`;
  }

  #renderTable(): TemplateResult | typeof nothing {
    const { i18n } = this.context;
    if (this.posts === null)
      return this.loadError ? nothing : html`<p class="muted" aria-busy="true">${i18n.t('loading')}</p>`;
    if (this.posts.length === 0) return html`<p>${i18n.t('postsEmpty')}</p>`;
    const { range } = this;
    // Counts read as the owner's locale writes them (12,345; 12.345 in German), as the Usage tab's do.
    const number = new Intl.NumberFormat(i18n.lang);
    return html`<div
        class="scroll"
        role="region"
        aria-labelledby="posts-caption"
        aria-busy=${this.reordering ? 'true' : 'false'}
        tabindex="0"
      >
        <table>
          <caption id="posts-caption">
            ${i18n.t('postsTable')} · ${i18n.t(`range.${range}`)}
          </caption>
          <thead>
            <tr>
              <th scope="col">${i18n.t('colPage')}</th>
              ${this.#header('views')} ${this.#header('comments')}
            </tr>
          </thead>
          <tbody>
            ${this.posts.map(
              (post) =>
                html`<tr>
                  <td>${link(post.url, html`<bdi>${post.title || post.pageId}</bdi>`)}</td>
                  <td>${number.format(post.views[range])}</td>
                  <td>${number.format(post.comments[range])}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${this.#renderMore()}`;
  }

  #shown(): string {
    const { i18n } = this.context;
    const number = new Intl.NumberFormat(i18n.lang);
    return i18n.t('postsShown', { shown: number.format(this.posts?.length ?? 0), total: number.format(this.total) });
  }

  #renderMore(): TemplateResult | typeof nothing {
    const { i18n } = this.context;
    const shown = this.posts?.length ?? 0;
    if (shown >= this.total) return nothing;
    return html`<p class="muted">${this.#shown()}</p>
      <button
        type="button"
        aria-disabled=${this.loadingMore || this.reordering ? 'true' : nothing}
        @click=${() => void (this.loadingMore || this.reordering || this.#load(true))}
      >
        ${i18n.t('loadMore')}
      </button>`;
  }
}

define('sala-admin-posts', SalaAdminPosts);

declare global {
  interface HTMLElementTagNameMap {
    'sala-admin-posts': SalaAdminPosts;
  }
}
