/** <sala-recent-comments>: the site's latest approved comments, for a blog's sidebar. */
import { html, type TemplateResult } from 'lit';
import type { RecentComment } from '@sala/protocol';
import type { ApiClient } from '../internal/api-client.js';
import type { Translator } from '../internal/i18n/locale.js';
import { httpUrl } from '../internal/host-page.js';
import { SalaList, type ListRequest } from '../internal/sala-list.js';
import { getRecentComments } from './recent-api.js';
import { recentCommentsStyles } from './recent-comments.styles.js';

/** Relative times ("3 minutes ago") are refreshed this often. */
const CLOCK_MS = 60_000;

/** A translated string with `{name}` placeholders filled with templates: "{author} on {post}" in any word order. */
function fillWith(text: string, values: Record<string, TemplateResult>): (string | TemplateResult)[] {
  return text.split(/\{(\w+)\}/).map((piece, i) => (i % 2 === 1 ? (values[piece] ?? `{${piece}}`) : piece));
}

/**
 * The site's latest approved comments, newest first: who wrote, a plain-text excerpt, the post it was left on
 * (linked) and how long ago. Excerpts are text the server made from the comment's Markdown, shown as text.
 * A new comment appears here after the Worker's next cron run. It counts no view: it is not tied to a post.
 *
 * @summary Latest comments across the blog.
 * @tagname sala-recent-comments
 *
 * @attr limit - How many comments, 1 to 20 (default 5).
 * @attr api - Origin of the Sala Worker. Defaults to the origin that served embed.js.
 * @attr site - Site id on a Worker serving several sites; omit for the Worker's default site.
 * @attr no-track - Do not count this page's view for popular posts (on any Sala element, for the whole page).
 * @attr theme - `light` or `dark`; by default follows the host page.
 * @attr lang - Language of the text: `en`, `ar`, `de`, `es`, `fr`, `id`, `ja`, `km`, `pt`, `vi`; defaults to the nearest `lang` above. The whole tag (`en-GB`) sets how dates and numbers read.
 *
 * @event sala-error - The list could not be loaded; the element shows a translated message. `detail: { code, message }`.
 *
 * @csspart list - The list of comments (a `<ul>`).
 * @csspart item - One comment.
 * @csspart author - Who wrote it.
 * @csspart post - The post it was left on, a link to its comments.
 * @csspart excerpt - The start of the comment, as plain text.
 * @csspart time - How long ago it was written (the full date in its tooltip).
 * @csspart status - The loading and empty messages.
 * @csspart error - A failure message.
 * @csspart button - The "Try again" button.
 *
 * @cssproperty --sala-accent - Post links and focus rings. Default `#0969da` (dark: `#4493f8`).
 * @cssproperty --sala-text - Text colour.
 * @cssproperty --sala-muted - Times.
 * @cssproperty --sala-bg - Background of the whole element. Default transparent.
 * @cssproperty --sala-border - Lines between comments.
 * @cssproperty --sala-danger - Errors.
 * @cssproperty --sala-radius - Corner radius of the button. Default `6px`.
 * @cssproperty --sala-font - Font. Default: the page's.
 */
export class SalaRecentComments extends SalaList<RecentComment> {
  static override styles = recentCommentsStyles;

  #clock: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#clock = setInterval(() => this.requestUpdate(), CLOCK_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#clock);
  }

  protected override listRequest(api: ApiClient, limit: number): ListRequest<RecentComment> {
    return { key: String(limit), fetch: (signal) => getRecentComments(api, limit, signal) };
  }

  /** The post a comment was left on, linked to its comments; its id when the server has no title for it yet. */
  #post(comment: RecentComment): TemplateResult {
    // Only the addresses the Worker gives: it links a page on the blog's own origins, never a bare page id, which
    // any script may have posted to (`https://spam.example/…` is not a post of this blog).
    const url = httpUrl(comment.page?.url ?? comment.pageUrl ?? '');
    const title = comment.page?.title || comment.pageId;
    return url
      ? html`<a part="post" class="post" href=${url.includes('#') ? url : `${url}#comments`} dir="auto">${title}</a>`
      : html`<span part="post" class="post" dir="auto">${title}</span>`;
  }

  #item(comment: RecentComment, i18n: Translator, now: number): TemplateResult {
    const author = html`<span part="author" class="author" dir="auto">${comment.author.name}</span>`;
    return html`<li part="item" class="item">
      <p class="meta">${fillWith(i18n.t('recentOn'), { author, post: this.#post(comment) })}</p>
      <p part="excerpt" class="excerpt" dir="auto">${comment.excerpt}</p>
      <time part="time" datetime=${comment.createdAt} title=${i18n.fullDate(comment.createdAt)}
        >${i18n.relativeTime(comment.createdAt, now)}</time
      >
    </li>`;
  }

  protected override render(): TemplateResult {
    const i18n = this.i18n;
    const classes = `root${this.dark ? ' dark' : ''}`;
    if (!i18n) return this.renderWaiting(classes);
    const now = Date.now();
    return html`<div class=${classes} lang=${i18n.lang} dir=${i18n.dir}>
      ${this.renderStatus(i18n, 'recentLoading', 'recentEmpty')}
      <ul part="list" aria-label=${i18n.t('recentLabel')} aria-busy=${this.loading ? 'true' : 'false'}>
        ${this.items.map((comment) => this.#item(comment, i18n, now))}
      </ul>
    </div>`;
  }
}
