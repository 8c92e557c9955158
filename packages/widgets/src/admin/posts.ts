/** <sala-admin-posts>: views and comments per post for a chosen period, from the popular-posts counts. */
import { html, LitElement, nothing, type TemplateResult, type PropertyDeclarations } from 'lit';
import type { AdminPostStats, PopularRange } from '@sala/protocol';
import { define } from '../internal/define.js';
import { link } from '../internal/markdown.js';
import { partStyles } from './admin.styles.js';
import type { AdminContext } from './context.js';
import { SiteData } from './site-data.js';

const RANGES: PopularRange[] = ['24h', '7d', '30d', 'all'];
type Column = 'views' | 'comments';

export class SalaAdminPosts extends LitElement {
  static override styles = partStyles;
  static override properties: PropertyDeclarations = {
    context: { attribute: false },
    posts: { state: true },
    loadError: { state: true },
    range: { state: true },
    sortBy: { state: true },
  };

  context!: AdminContext;

  private posts: AdminPostStats[] | null = null;
  private loadError = '';
  private range: PopularRange = '7d';
  private sortBy: Column = 'views';

  readonly #data = new SiteData(this, () => void this.#load());

  async #load(): Promise<void> {
    this.loadError = '';
    try {
      const result = await this.#data.request.run((signal) => this.context.api.posts(this.context.site, signal));
      if (result) this.posts = result.posts;
    } catch (error) {
      this.loadError = this.context.failed(error);
    }
  }

  get #sorted(): AdminPostStats[] {
    const { range, sortBy } = this;
    const other: Column = sortBy === 'views' ? 'comments' : 'views';
    return [...(this.posts ?? [])].sort(
      (a, b) => b[sortBy][range] - a[sortBy][range] || b[other][range] - a[other][range],
    );
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
          @change=${(event: Event) => (this.range = (event.target as HTMLSelectElement).value as PopularRange)}
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
        @click=${() => (this.sortBy = column)}
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
    return html`<div class="scroll" role="region" aria-labelledby="posts-caption" tabindex="0">
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
          ${this.#sorted.map(
            (post) =>
              html`<tr>
                <td>${link(post.url, post.title || post.pageId)}</td>
                <td>${post.views[range]}</td>
                <td>${post.comments[range]}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}

define('sala-admin-posts', SalaAdminPosts);

declare global {
  interface HTMLElementTagNameMap {
    'sala-admin-posts': SalaAdminPosts;
  }
}
