/** What the list elements (popular posts, recent comments) share: a limit, one request at a time, and their states. */
import { html, nothing, type PropertyValues, type TemplateResult, type PropertyDeclarations } from 'lit';
import { ApiClient, isRetryable, LatestRequest, toApiError, type ApiError } from './api-client.js';
import type { StringKey } from './i18n/en.js';
import { enLists } from './i18n/en-lists.js';
import type { Translator } from './i18n/locale.js';
import { SalaElement } from './sala-element.js';

const DEFAULT_LIMIT = 5;
/** The most the list routes answer with. */
const MAX_LIMIT = 20;

/** The request a list makes: everything it depends on as a key (a change loads again), and how to make it. */
export interface ListRequest<Item> {
  key: string;
  fetch: (signal: AbortSignal) => Promise<Item[]>;
}

export abstract class SalaList<Item> extends SalaElement {
  protected static override english = enLists;
  static override properties: PropertyDeclarations = {
    limit: { type: Number },
    items: { state: true },
    loading: { state: true },
    loadError: { state: true },
  };

  /** How many entries, 1 to 20. */
  limit = DEFAULT_LIMIT;

  protected items: Item[] = [];
  protected loading = true;
  protected loadError: ApiError | null = null;

  #request: ListRequest<Item> | undefined;
  readonly #latest = new LatestRequest();

  /** The request for the element's attributes now, made through `api`. */
  protected abstract listRequest(api: ApiClient, limit: number): ListRequest<Item>;

  override connectedCallback(): void {
    super.connectedCallback();
    // Re-attached after a removal cut the first load short: start it again.
    if (this.hasUpdated && this.loading) this.#request = undefined;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#latest.abort();
  }

  get #limit(): number {
    if (Number.isInteger(this.limit) && this.limit >= 1 && this.limit <= MAX_LIMIT) return this.limit;
    this.hint(`limit must be a whole number from 1 to ${MAX_LIMIT}; using ${DEFAULT_LIMIT}.`);
    return DEFAULT_LIMIT;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const api = this.apiOrigin;
    if (!api) {
      this.#request = undefined;
      [this.items, this.loading] = [[], false];
      this.loadError = this.notConfigured(this.loadError);
      return;
    }
    const request = this.listRequest(new ApiClient(api, this.site || undefined), this.#limit);
    const key = `${api}|${this.site ?? ''}|${request.key}`;
    if (key === this.#request?.key) return;
    this.#request = { key, fetch: request.fetch };
    this.items = [];
    void this.#load();
  }

  async #load(): Promise<void> {
    const request = this.#request;
    if (!request) return;
    [this.loading, this.loadError] = [true, null];
    try {
      const items = await this.#latest.run(request.fetch);
      if (!items) return; // superseded by a newer load
      [this.items, this.loading] = [items, false];
    } catch (caught) {
      const error = toApiError(caught);
      [this.loading, this.loadError] = [false, error];
      this.emitError(error);
    }
  }

  /**
   * Until the strings of its language come (a language other than English): the loading message's room without its
   * words, so nothing below moves when they come and no English flashes; hidden from screen readers, which meet a busy
   * list rather than an empty paragraph.
   */
  protected renderWaiting(classes: string): TemplateResult {
    return html`<div class=${classes} aria-busy="true">
      <p class="status note" part="status" aria-hidden="true"><br /></p>
    </div>`;
  }

  /** The loading, empty or error message (with "Try again") above the list, or nothing once it has entries. */
  protected renderStatus(i18n: Translator, loading: StringKey, empty: StringKey): TemplateResult | typeof nothing {
    if (this.loadError) {
      return html`<div class="error" part="error" role="alert">
        <p>${i18n.error(this.loadError)}</p>
        ${isRetryable(this.loadError) ? html`<button type="button" part="button" @click=${() => this.#load()}>${i18n.t('retry')}</button>` : nothing}
      </div>`;
    }
    if (this.loading) return html`<p class="status note" part="status">${i18n.t(loading)}</p>`;
    return this.items.length === 0 ? html`<p class="status note" part="status">${i18n.t(empty)}</p>` : nothing;
  }
}
