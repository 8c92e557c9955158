/**
 * <sala-admin-export>: the owner's data. One button fetches every page of the site's export (each request stays
 * within the Worker's per-invocation limits), shows how far it got, and saves one JSON file; below it, the
 * address of the site's comment feed.
 */
import { html, LitElement, nothing, type TemplateResult, type PropertyDeclarations } from 'lit';
import { mergeExportPages, type ExportDocument, type ExportPage } from '@sala/protocol';
import { define } from '../internal/define.js';
import { partStyles } from './admin.styles.js';
import type { AdminContext } from './context.js';

/** `sala-export-{site}-{YYYY-MM-DD}.json`, the UTC date the export was taken. */
export function exportFileName(site: string, at: Date): string {
  return `sala-export-${site}-${at.toISOString().slice(0, 10)}.json`;
}

interface Progress {
  pages: number;
  comments: number;
}

function countComments(exported: ExportDocument): { comments: number; threads: number } {
  const threads = exported.sites.flatMap((site) => site.threads);
  return { comments: threads.reduce((sum, thread) => sum + thread.comments.length, 0), threads: threads.length };
}

export class SalaAdminExport extends LitElement {
  static override styles = partStyles;
  static override properties: PropertyDeclarations = {
    context: { attribute: false },
    progress: { state: true },
    saved: { state: true },
    error: { state: true },
  };

  context!: AdminContext;

  private progress: Progress | null = null;
  private saved: { file: string; comments: number; threads: number } | null = null;
  private error = '';

  #abort: AbortController | null = null;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#abort?.abort();
  }

  async #export(): Promise<void> {
    if (this.progress) return;
    const { api, site } = this.context;
    const abort = new AbortController();
    this.#abort = abort;
    this.error = '';
    this.saved = null;
    this.progress = { pages: 0, comments: 0 };
    try {
      const pages: ExportPage[] = [];
      let cursor: string | null = null;
      do {
        const page: ExportPage = await api.exportPage(site, cursor, abort.signal);
        pages.push(page);
        const comments = page.threads.reduce((sum, thread) => sum + thread.comments.length, 0);
        this.progress = { pages: pages.length, comments: this.progress.comments + comments };
        cursor = page.nextCursor;
      } while (cursor !== null);
      const now = new Date();
      const exported = mergeExportPages(pages, now);
      const file = exportFileName(site, now);
      this.#download(file, JSON.stringify(exported, null, 2));
      // The status line below the button is a live region: it says so.
      this.saved = { file, ...countComments(exported) };
    } catch (error) {
      if (!abort.signal.aborted) this.error = this.context.failed(error);
    } finally {
      this.progress = null;
      this.#abort = null;
    }
  }

  /** Saves `text` as a file through a temporary link: the browser's own download, no server round trip. */
  #download(file: string, text: string): void {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = file;
    link.hidden = true;
    this.renderRoot.append(link);
    link.click();
    link.remove();
    // The download has started from the URL by the time this runs; it then only holds memory.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  #numbers(values: Record<string, string | number>): Record<string, string> {
    const number = new Intl.NumberFormat(this.context.i18n.lang);
    return Object.fromEntries(
      Object.entries(values).map(([key, value]) => [key, typeof value === 'number' ? number.format(value) : value]),
    );
  }

  protected override render(): TemplateResult {
    const { i18n, api, site } = this.context;
    const { progress, saved } = this;
    const feed = api.feedUrl(site);
    const status = progress
      ? i18n.t('exportProgress', this.#numbers({ ...progress }))
      : saved
        ? i18n.t('exportSaved', this.#numbers(saved))
        : '';
    return html`<section aria-labelledby="data-heading">
      <h2 id="data-heading">${i18n.t('dataHeading')}</h2>
      <p class="muted" id="export-note">${i18n.t('exportNote')}</p>
      <button
        type="button"
        class="primary"
        id="export"
        aria-describedby="export-note"
        aria-disabled=${progress ? 'true' : nothing}
        @click=${() => void this.#export()}
      >
        ${progress ? i18n.t('exporting') : i18n.t('exportButton')}
      </button>
      ${progress ? html`<progress aria-label=${i18n.t('exporting')}></progress>` : nothing}
      <p class="note" role="status">${status}</p>
      ${this.error ? html`<p class="alert" role="alert">${this.error}</p>` : nothing}

      <h3>${i18n.t('feedHeading')}</h3>
      <p class="muted">${i18n.t('feedNote')}</p>
      <p><code>${feed}</code> <a href=${feed}>${i18n.t('feedOpen')}</a></p>
    </section>`;
  }
}

define('sala-admin-export', SalaAdminExport);

declare global {
  interface HTMLElementTagNameMap {
    'sala-admin-export': SalaAdminExport;
  }
}
