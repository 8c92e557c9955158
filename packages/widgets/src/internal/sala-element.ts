/** What every Sala element shares: the api, site, lang and theme attributes, strings, and failing politely. */
import { LitElement, type PropertyDeclarations } from 'lit';
import { errorEvent } from '../events.js';
import { ApiError } from './api-client.js';
import { connectedElements, getDefaultApi } from './config.js';
import type { Mistake } from './diagnostics.js';
import type { Strings } from './i18n/en.js';
import { LocaleController, threadPacks, type Translator } from './i18n/locale.js';
import { HostThemeController, type Theme } from './theme.js';
import type { ViewRequest } from './views.js';

/** Hints already printed, so a page with twenty misconfigured elements logs each mistake once. */
const hinted = new Set<string>();

export abstract class SalaElement extends LitElement {
  // Every Sala element declares its reactive properties here, not with decorators (0.5 KB less in the embed). The
  // fields below stay plain assignments (useDefineForClassFields is off), so they never shadow Lit's accessors.
  static override properties: PropertyDeclarations = {
    api: {},
    site: {},
    theme: {},
    strings: { attribute: false },
    noTrack: { type: Boolean, attribute: 'no-track' },
  };

  /** Origin of the Sala Worker, e.g. `https://comments.example.com`. The script-tag build defaults to where it loaded from. */
  api?: string;

  /** Site id on a Worker that serves several sites; omit to use the Worker's default site. */
  site?: string;

  /** `light` or `dark` forces a theme; by default the element follows the host page. */
  theme?: Theme;

  /** Replaces any of the element's strings, e.g. `{ empty: 'No comments yet' }`. */
  strings?: Partial<Strings>;

  /** On any Sala element, keeps this page's view out of the popular-posts counts. */
  noTrack = false;

  /** English this element's chunk brings beyond the pack every element shares (the lists' strings). */
  protected static english: Partial<Strings> = {};

  readonly #locale = new LocaleController(this, threadPacks, (this.constructor as typeof SalaElement).english);
  readonly #hostTheme = new HostThemeController(this);

  // `lang` stays the native attribute (it also tells screen readers how to speak the text); we only watch it.
  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    connectedElements.add(this);
    // Back on the page (a router mounting it again): a setDefaultApi() made while it was off takes effect now.
    if (this.hasUpdated) this.requestUpdate();
    // An attribute it does not know (`pageid`, `max_depth`) would be ignored without a word. Global attributes that
    // name a property of every element (`id`, `title`, `hidden`, `onclick`...) and the common others pass here; a
    // page's own data-* too, but not one of Sala's behind data- (`data-page-id`, as other embeds' tags take theirs).
    const known = (this.constructor as typeof SalaElement).observedAttributes;
    if (
      this.getAttributeNames().some(
        (name) =>
          !known.includes(name) &&
          !(name in HTMLElement.prototype) &&
          !/^(class|aria-)/.test(name) &&
          (!/^data-/.test(name) || known.includes(name.slice(5))),
      )
    )
      this.mistake('attributes', known);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    connectedElements.delete(this);
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang') this.requestUpdate();
  }

  /** Strings and formatters in the element's language; undefined while a language pack loads. */
  protected get i18n(): Translator | undefined {
    return this.#locale.translator;
  }

  protected get dark(): boolean {
    const forced = this.choice('theme', this.theme, ['light', 'dark'] as const, undefined);
    return forced ? forced === 'dark' : this.#hostTheme.dark;
  }

  /** The API origin in use (attribute, else page default), or undefined when none is set anywhere. */
  protected get apiOrigin(): string | undefined {
    if (this.api) {
      try {
        const url = new URL(this.api, document.baseURI);
        // A query or fragment would end up in front of /api/v1/… in every request, and so would the API's own base
        // path, which people paste with the address: both go.
        if (url.protocol === 'http:' || url.protocol === 'https:')
          return (url.origin + url.pathname).replace(/(\/api\/v1)?\/*$/, '');
      } catch {
        // Reported below.
      }
      this.mistake('api', this.api, getDefaultApi());
    }
    return getDefaultApi();
  }

  /**
   * Counts one view of this post page for popular posts, after the page has loaded (internal/views.ts, its own
   * chunk). Elements call it once their first answer came, so the page's own request goes first.
   */
  protected recordView(view: Omit<ViewRequest, 'optedOut'>): void {
    const optedOut = () => [...connectedElements].some((element) => element.noTrack);
    import('./views.js')
      .then(({ recordView }) => recordView({ ...view, optedOut }))
      .catch((error: unknown) => this.hint(`could not count this page's view: ${String(error)}`));
  }

  /**
   * Tells the page a request failed; the element shows its own translated message, and the console the server's
   * own words (which origin to allow, which site is unknown...), for whoever sets the page up.
   */
  protected emitError(error: ApiError): void {
    this.hint(error.message);
    this.dispatchEvent(errorEvent(error));
  }

  /**
   * What an element with no API (or no page to name) shows: `shown` while it already does, else a new error told to
   * the page as any other failure, once, not on each render.
   */
  protected notConfigured(shown: ApiError | null): ApiError {
    if (shown?.code === 'not_configured') return shown;
    const error = new ApiError('not_configured', 'needs an api attribute or setDefaultApi().');
    this.emitError(error);
    return error;
  }

  /**
   * One `[sala]` console hint on a mistake in the page's markup (an attribute the element does not know, a value it
   * cannot use, a `lang` without strings: LocaleController), for the developer embedding the element: worded by
   * diagnostics.ts, a chunk fetched only then.
   */
  mistake(...mistake: Mistake): void {
    void import('./diagnostics.js').then(({ explain }) => explain(this, mistake));
  }

  /** One `[sala]` console hint per message, printed at once, for the developer embedding the element. */
  protected hint(message: string): void {
    const text = `[sala] <${this.localName}> ${message}`;
    if (hinted.has(text)) return;
    hinted.add(text);
    console.warn(text);
  }

  /** An attribute's value if it is one of `allowed`, else `fallback` with a hint. */
  protected choice<T extends string, F extends T | undefined>(
    attribute: string,
    value: string | null | undefined,
    allowed: readonly T[],
    fallback: F,
  ): T | F {
    if (value === undefined || value === null) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.mistake('choice', attribute, value, allowed, fallback);
    return fallback;
  }
}
