/**
 * <sala-admin>: the site owner's admin page: sign-in, then the comment queue, settings, bans, tokens, deliveries,
 * posts and the import of comments from elsewhere.
 */
import { html, LitElement, nothing, type PropertyValues, type TemplateResult, type PropertyDeclarations } from 'lit';
import { readAdminCommentHash, type AdminSessionResponse, type AdminSite, type ConfigProblem } from '@sala/protocol';
import { toApiError } from '../internal/api-client.js';
import { LocaleController } from '../internal/i18n/locale.js';
import { readJson, writeJson } from '../internal/storage.js';
import { HostThemeController, type Theme } from '../internal/theme.js';
import { AdminApi } from './admin-api.js';
import { renderConfigProblems } from './config-problems.js';
import { adminStyles } from './admin.styles.js';
import type { AdminContext } from './context.js';
import {
  adminPacks,
  bidiText,
  type AdminStringKey,
  type AdminStrings,
  type AdminTranslator,
} from './strings/admin-strings.js';
import { focusedElement } from './shortcuts.js';
import { Toasts, type ToastRequest } from './toasts.js';
import './sign-in.js';
import './queue.js';
import './settings.js';
import './export.js';
import './bans.js';
import './tokens.js';
import './deliveries.js';
import './posts.js';
import { readUsage, type UsageState } from './usage.js';
import type { SalaAdminImport } from './import/import-tab.js';
import './import/import-tab.js';

/** The sections, by the URL fragment that opens them (so reloads and the back button keep the place). */
const TABS = {
  comments: 'tabQueue',
  settings: 'tabSettings',
  bans: 'tabBans',
  tokens: 'tabTokens',
  deliveries: 'tabDeliveries',
  posts: 'tabPosts',
  import: 'tabImport',
} as const satisfies Record<string, AdminStringKey>;
type Tab = keyof typeof TABS;

const SITE_KEY = 'sala-admin-site';

function tabFromHash(): Tab {
  // A section may carry what it opens on after a '?' (#comments?page=…, from the import report).
  const hash = location.hash.slice(1).split('?')[0]!;
  return hash in TABS ? (hash as Tab) : 'comments';
}

/**
 * The owner's admin page, served by the Worker at `/admin`. It talks to the admin API on the same origin with
 * the HttpOnly session cookie the sign-in sets; nothing here can read that cookie.
 *
 * @summary The Sala admin page.
 * @tagname sala-admin
 *
 * @attr theme - `light` or `dark`; by default follows the page (which follows the system).
 * @attr lang - Language (`en`, `ar`, `de`, `es`, `fr`, `id`, `ja`, `km`, `pt`, `vi`; Arabic laid out right to left); defaults to the nearest `lang` above it. The whole tag (`en-GB`) sets how dates and numbers read. The owner's mail about held comments follows it from sign-in on, and when it changes.
 *
 * @cssproperty --sala-accent - Links, focus rings, the current section and primary buttons.
 * @cssproperty --sala-bg - Page background.
 */
export class SalaAdmin extends LitElement {
  static override styles = adminStyles;
  static override properties: PropertyDeclarations = {
    theme: {},
    strings: { attribute: false },
    phase: { state: true },
    signInNotice: { state: true },
    failure: { state: true },
    sites: { state: true },
    problems: { state: true },
    site: { state: true },
    tab: { state: true },
    hasPosts: { state: true },
    usage: { state: true },
    announcement: { state: true },
  };

  theme?: Theme;
  /** Replaces any of the page's strings. */
  strings?: Partial<AdminStrings>;

  private phase: 'checking' | 'signed-out' | 'ready' | 'failed' = 'checking';
  /** Why the sign-in form shows: signed out, or the session ended. */
  private signInNotice = '';
  private failure = '';
  private sites: AdminSite[] = [];
  /** Mistakes in the server's configuration, shown above every section until they are fixed. */
  private problems: ConfigProblem[] = [];
  private site = '';
  private tab: Tab = tabFromHash();
  /** Whether this Worker has the per-post statistics route (it came with the popular-posts work); else no tab. */
  private hasPosts = false;
  /** Today's use of the free plan, asked with the sites. */
  private usage: UsageState = null;
  private announcement = '';

  /**
   * The language the Worker keeps for the owner's mail about held comments (a first subtag), as the session's answers
   * last said; null when it keeps none. The page tells its own only when they differ: at sign-in, on a load that finds
   * another one kept, and when the page's language changes while signed in; never a write per page load.
   */
  #mailLanguage: string | null = null;
  /** The language last told by PUT, so one that failed is not sent again at every render (the next load tries). */
  #toldLanguage = '';

  readonly api = new AdminApi();
  readonly #locale = new LocaleController<AdminStrings>(this, adminPacks);
  readonly #theme = new HostThemeController(this);
  readonly #toasts = new Toasts(() => this.requestUpdate());
  #context: AdminContext | undefined;
  /**
   * The Import tab of each site whose run is alive, kept while the owner visits other sections or sites: its run
   * (sending, or waiting for the daily reset) goes on meanwhile, and coming back shows it again, with its Stop waiting.
   * A tab left with no run alive is dropped, and with it its file and plan (a big export's hold on memory).
   */
  readonly #importTabs = new Map<string, SalaAdminImport>();
  /** The Import tab on show at the last render, if one was. */
  #shownImport: SalaAdminImport | undefined;
  /** Set when the owner picked a section, so its heading takes focus once it renders. */
  #focusPanel = false;
  /** Keeps the room the toast may cover as tall as the toast is: in Khmer on a phone it wraps to seven lines. */
  readonly #toastSize = new ResizeObserver(() => this.#fitToastRoom());
  #sizedToast: Element | null = null;

  readonly #onHashChange = () => {
    this.tab = tabFromHash();
    this.#focusPanel = true;
  };
  // Held-back moderation is sent as the owner leaves, with keepalive so the request outlives the page.
  readonly #onPageHide = () => void this.#toasts.settle(true);

  // `lang` stays the native attribute; watching it lets a page switch the admin page's language in place.
  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang') this.requestUpdate();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.#onHashChange);
    window.addEventListener('pagehide', this.#onPageHide);
    if (this.phase === 'checking') void this.#checkSession();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.#onHashChange);
    window.removeEventListener('pagehide', this.#onPageHide);
    void this.#toasts.settle(true);
    this.#toastSize.disconnect();
    this.#sizedToast = null;
  }

  get #i18n(): AdminTranslator | undefined {
    return this.#locale.translator;
  }

  get #dark(): boolean {
    if (this.theme === 'dark' || this.theme === 'light') return this.theme === 'dark';
    return this.#theme.dark;
  }

  async #checkSession(): Promise<void> {
    this.phase = 'checking';
    try {
      this.#mailLanguage = (await this.api.session()).language ?? null;
      await this.#enter();
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.code === 'unauthorized') this.phase = 'signed-out';
      else this.#fail(apiError.code);
    }
  }

  /** Signed in: learn the sites, then show the chosen section. */
  async #enter(): Promise<void> {
    // Asked beside the sites and shown with the section: its warnings, arriving after it, pushed the section down under
    // the owner's pointer. A Worker without the route shows the page without the estimate; one failing it, or not
    // answering within a few seconds, shows it with a line saying so and Try again.
    const usage = readUsage(this.api);
    try {
      const { sites, problems } = await this.api.sites();
      this.sites = sites;
      // A Worker older than the configuration check sends none.
      this.problems = problems ?? [];
      // A link to one comment (#comments?site=…) opens its site, which is then the one remembered.
      const linked = sites.find((site) => site.id === readAdminCommentHash(location.hash).site)?.id;
      if (linked) writeJson(SITE_KEY, linked);
      const remembered = linked ?? readJson(SITE_KEY);
      this.site = sites.find((site) => site.id === remembered)?.id ?? sites[0]?.id ?? '';
      this.hasPosts = this.site !== '' && (await this.#postsAvailable(this.site));
      this.usage = await usage;
      this.phase = 'ready';
      this.#focusPanel = true;
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.code === 'unauthorized') this.#signedOut(this.#i18n?.error('unauthorized') ?? '');
      else this.#fail(apiError.code);
    }
  }

  /** An older Worker answers the statistics route with 404: the page then leaves the tab out. */
  async #postsAvailable(site: string): Promise<boolean> {
    try {
      await this.api.posts(site, { range: 'all', by: 'views', limit: 1 });
      return true;
    } catch (error) {
      return toApiError(error).code !== 'not_found';
    }
  }

  #fail(code: string): void {
    this.failure = code;
    this.phase = 'failed';
  }

  #signedOut(notice: string): void {
    this.signInNotice = notice;
    this.phase = 'signed-out';
  }

  async #signOut(): Promise<void> {
    await this.#toasts.settle();
    try {
      await this.api.signOut();
    } catch {
      // The cookie may already be gone; either way the owner is shown the sign-in form.
    }
    this.#signedOut(this.#i18n?.t('signedOut') ?? '');
  }

  #chooseSite(event: Event): void {
    const site = (event.target as HTMLSelectElement).value;
    void this.#toasts.settle();
    this.site = site;
    writeJson(SITE_KEY, site);
  }

  #announce(message: string): void {
    // Cleared first, so the same words twice in a row are spoken twice.
    this.announcement = '';
    void this.updateComplete.then(() => (this.announcement = message));
  }

  /** The context handed to the parts; a new object whenever what it carries changes, so they re-render. */
  #contextFor(i18n: AdminTranslator): AdminContext {
    const current = this.#context;
    if (current && current.i18n === i18n && current.site === this.site) return current;
    this.#context = this.#newContext(i18n, this.site);
    return this.#context;
  }

  #newContext(i18n: AdminTranslator, site: string): AdminContext {
    return {
      api: this.api,
      site,
      i18n,
      announce: (message) => this.#announce(message),
      toast: (request: ToastRequest) => this.#toasts.show(request),
      settle: () => this.#toasts.settle(),
      undo: () => this.undo(),
      failed: (error) => {
        const failure = toApiError(error);
        if (failure.code === 'unauthorized') this.#signedOut(i18n.error('unauthorized'));
        return i18n.error(failure);
      },
    };
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (this.phase === 'ready') this.#tellLanguage();
    if (this.#focusPanel && this.phase === 'ready') {
      this.#focusPanel = false;
      void this.#focusHeading();
    }
    const toast = this.renderRoot.querySelector('.toast');
    if (toast !== this.#sizedToast) {
      this.#toastSize.disconnect();
      if (toast) this.#toastSize.observe(toast);
      this.#sizedToast = toast;
    }
  }

  /** Tells the Worker the page's language when it is not the one kept for the owner's mail. */
  #tellLanguage(): void {
    const tag = this.#i18n?.lang;
    const lang = tag?.toLowerCase().split('-')[0];
    if (!tag || !lang || lang === this.#mailLanguage || lang === this.#toldLanguage) return;
    this.#toldLanguage = lang;
    this.api.tellLanguage(tag).then(
      ({ language }) => (this.#mailLanguage = language),
      // Quietly: the owner is not interrupted for their mail's language, and the next page load tells it again.
      () => {},
    );
  }

  /** The toast's height, for the page's room below it and the scroll margins of what it must not cover. */
  #fitToastRoom(): void {
    const root = this.renderRoot.querySelector<HTMLElement>('.root');
    const height = this.#sizedToast?.getBoundingClientRect().height ?? 0;
    root?.style.setProperty('--_toast-height', `${Math.ceil(height)}px`);
  }

  /** Moves focus to the section's heading once the part has rendered, so a screen reader starts there. */
  async #focusHeading(): Promise<void> {
    const part = this.renderRoot.querySelector('main > :not(sala-admin-usage)');
    if (part instanceof LitElement) await part.updateComplete;
    const heading = part?.shadowRoot?.querySelector<HTMLElement>('h2');
    heading?.setAttribute('tabindex', '-1');
    heading?.focus();
  }

  protected override render(): TemplateResult {
    const i18n = this.#i18n;
    const classes = `root${this.#dark ? ' dark' : ''}`;
    if (!i18n) return html`<div class=${classes} aria-busy="true"></div>`;
    return html`<div class=${classes} lang=${i18n.lang} dir=${i18n.dir}>
      <header class="top">
        <h1>${i18n.t('title')}</h1>
        ${this.phase === 'ready' ? this.#renderSignedInBar(i18n) : nothing}
      </header>
      ${this.phase === 'ready' ? this.#renderNav(i18n) : nothing}
      ${this.phase === 'ready' ? renderConfigProblems(this.problems, i18n) : nothing}
      <main id="main" tabindex="-1">${this.#renderMain(i18n)}</main>
      ${this.#renderToast(i18n)}
      <div class="visually-hidden" role="status">${this.announcement}</div>
    </div>`;
  }

  #renderSignedInBar(i18n: AdminTranslator): TemplateResult {
    const site =
      this.sites.length > 1
        ? html`<div class="site">
            <label for="site">${i18n.t('siteLabel')}</label>
            <select id="site" @change=${this.#chooseSite}>
              ${this.sites.map((site) => html`<option value=${site.id} ?selected=${site.id === this.site}>${site.name}</option>`)}
            </select>
          </div>`
        : html`<p class="site muted">${this.sites[0]?.name ?? ''}</p>`;
    return html`${site}<button type="button" @click=${() => void this.#signOut()}>${i18n.t('signOut')}</button>`;
  }

  #renderNav(i18n: AdminTranslator): TemplateResult {
    return html`<nav aria-label=${i18n.t('navLabel')}>
      <ul>
        ${Object.entries(TABS)
          .filter(([tab]) => tab !== 'posts' || this.hasPosts)
          .map(
            ([tab, label]) =>
              html`<li><a href="#${tab}" aria-current=${tab === this.tab ? 'page' : 'false'}>${i18n.t(label)}</a></li>`,
          )}
      </ul>
    </nav>`;
  }

  #renderMain(i18n: AdminTranslator): TemplateResult {
    switch (this.phase) {
      case 'checking':
        return html`<p class="muted" aria-busy="true">${i18n.t('checking')}</p>`;
      case 'failed':
        return html`<p class="alert" role="alert">${i18n.error(this.failure)}</p>
          <button type="button" @click=${() => void this.#checkSession()}>${i18n.t('retry')}</button>`;
      case 'signed-out':
        return html`<sala-admin-sign-in
          .api=${this.api}
          .i18n=${i18n}
          .notice=${this.signInNotice}
          .onSignedIn=${(session: AdminSessionResponse) => {
            this.#mailLanguage = session.language ?? null;
            void this.#enter();
          }}
        ></sala-admin-sign-in>`;
      case 'ready':
        if (!this.site) return html`<p>${i18n.t('noSites')}</p>`;
        return this.#renderReady(this.#contextFor(i18n));
    }
  }

  /** The free plan's usage line stays above every tab: the owner sees a warning wherever they are. */
  #renderReady(context: AdminContext): TemplateResult {
    return html`<sala-admin-usage .i18n=${context.i18n} .api=${this.api} .usage=${this.usage}></sala-admin-usage
      >${this.#renderTab(context)}`;
  }

  #renderTab(context: AdminContext): TemplateResult {
    this.#keepImportTabs(context);
    switch (this.tab) {
      case 'comments':
        return html`<sala-admin-queue .context=${context}></sala-admin-queue>`;
      case 'settings':
        return html`<sala-admin-settings .context=${context}></sala-admin-settings>
          <sala-admin-export .context=${context}></sala-admin-export>`;
      case 'bans':
        return html`<sala-admin-bans .context=${context}></sala-admin-bans>`;
      case 'tokens':
        return html`<sala-admin-tokens .context=${context}></sala-admin-tokens>`;
      case 'deliveries':
        return html`<sala-admin-deliveries .context=${context}></sala-admin-deliveries>`;
      case 'import':
        return html`${this.#shownImport}`;
      case 'posts':
        return this.hasPosts
          ? html`<sala-admin-posts .context=${context}></sala-admin-posts>`
          : html`<sala-admin-queue .context=${context}></sala-admin-queue>`;
    }
  }

  /**
   * Shows the site's Import tab if that is the section, drops the one just left unless its run is alive, and hands the
   * kept ones the page's language, so a toast from a run in the background reads as the page does now.
   */
  #keepImportTabs(context: AdminContext): void {
    const left = this.#shownImport;
    const shown = this.tab === 'import' ? this.#importTab(context) : undefined;
    this.#shownImport = shown;
    for (const [site, tab] of this.#importTabs) {
      if (tab === shown) continue;
      if (tab === left && !tab.running) this.#importTabs.delete(site);
      else if (tab.context.i18n !== context.i18n) tab.context = this.#newContext(context.i18n, site);
    }
  }

  /** The site's Import tab, the same element each time, handed the current context. */
  #importTab(context: AdminContext): SalaAdminImport {
    let tab = this.#importTabs.get(context.site);
    if (!tab) {
      tab = document.createElement('sala-admin-import');
      this.#importTabs.set(context.site, tab);
    }
    tab.context = context;
    return tab;
  }

  #renderToast(i18n: AdminTranslator): TemplateResult {
    const { current: toast, behind } = this.#toasts;
    const undo = html`<button type="button" class="primary" @click=${() => void this.undo()}>
      ${i18n.t('undo')}
    </button>`;
    // The status region stays in the page so screen readers notice when a message appears in it.
    return html`<div
      class="toast"
      ?hidden=${!toast}
      @mouseenter=${() => this.#toasts.pause()}
      @mouseleave=${() => this.#toasts.resume()}
      @focusin=${() => this.#toasts.pause()}
      @focusout=${() => this.#toasts.resume()}
    >
      <p role="status">${bidiText(toast?.message ?? '')}</p>
      ${toast?.undo ? undo : nothing}
      ${toast ? html`<button type="button" @click=${() => void this.#dismiss()}>${i18n.t('dismiss')}</button>` : nothing}
      ${
        behind
          ? html`<p class="behind">${bidiText(behind.message)}</p>
              ${behind.undo ? undo : nothing}`
          : nothing
      }
    </div>`;
  }

  /**
   * The dismiss button goes with its toast: focus on it (or on nothing) goes back to the section rather than to nowhere.
   * Focus elsewhere stays: a click in Safari, or a screen reader's, activates it with the caret left in a field.
   */
  async #dismiss(): Promise<void> {
    const at = focusedElement();
    if (at === document.body || this.renderRoot.querySelector('.toast')?.contains(at))
      this.renderRoot.querySelector<HTMLElement>('main')?.focus();
    await this.#toasts.dismiss();
  }

  /** Undoes the change the toast offers (the `u` shortcut too). */
  async undo(): Promise<void> {
    if (await this.#toasts.undo()) this.#announce(this.#i18n?.t('undone') ?? '');
  }
}
