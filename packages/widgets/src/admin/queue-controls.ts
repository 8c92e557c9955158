/** The queue's controls above the list: status filter with counts, post and search filter, selection and bulk bar. */
import { html, nothing, type TemplateResult } from 'lit';
import type { AdminCommentStatus, StatusCounts } from '@sala/protocol';
import { ACTION_LABELS, actionClass, statusActions, type StatusAction } from './queue-actions.js';
import type { AdminStringKey, AdminTranslator } from './strings/admin-strings.js';

const STATUSES: { status: AdminCommentStatus; label: AdminStringKey }[] = [
  { status: 'pending', label: 'statusPending' },
  { status: 'approved', label: 'statusApproved' },
  { status: 'spam', label: 'statusSpam' },
  { status: 'rejected', label: 'statusRejected' },
];

export interface QueueControlsView {
  i18n: AdminTranslator;
  status: AdminCommentStatus;
  counts: StatusCounts | null;
  /** A count equal to this means "at least this many". */
  countLimit: number;
  pageFilter: string;
  search: string;
  shown: number;
  selected: number;
  onStatus(status: AdminCommentStatus): void;
  onFilter(event: SubmitEvent): void;
  onClearFilters(): void;
  onSelectAll(selected: boolean): void;
  onBulk(action: StatusAction): void;
  onHelp(opener: HTMLElement): void;
}

/**
 * A status's count in the page's digits ("١٢" in ar-EG), "1,000+" where the Worker stops counting. None while the list
 * is one post's: the counts are the whole site's moderation index, which leaves imported comments out until moderated,
 * so a post of 2,000 imported comments listed under "Approved 0" read as a contradiction.
 */
function count(view: QueueControlsView, status: AdminCommentStatus): string {
  const value = view.counts?.[status];
  if (value === undefined || view.pageFilter !== '') return '';
  const shown = value.toLocaleString(view.i18n.lang);
  return value >= view.countLimit && view.countLimit > 0 ? view.i18n.t('countAtLeast', { count: shown }) : shown;
}

export function renderStatusFilter(view: QueueControlsView): TemplateResult {
  const { i18n } = view;
  return html`<div class="statuses" role="group" aria-label=${i18n.t('statusFilterLabel')}>
    ${STATUSES.map(
      ({ status, label }) =>
        html`<button
          type="button"
          aria-pressed=${status === view.status ? 'true' : 'false'}
          @click=${() => view.onStatus(status)}
        >
          ${i18n.t(label)}<span class="count">${count(view, status)}</span>
        </button>`,
    )}
  </div>`;
}

/**
 * The page and search filters. Each field runs its own way (dir="auto"), as the reader widget's do: an address typed
 * on, or opened from a one-click page into, an Arabic page reads /2026/09/walk.html, not walk.html/2026/09/.
 */
export function renderFilters(view: QueueControlsView): TemplateResult {
  const { i18n } = view;
  return html`<form class="filters" role="search" @submit=${view.onFilter}>
    <div class="field">
      <label for="page">${i18n.t('filterPage')}</label>
      <input id="page" name="page" type="text" inputmode="url" dir="auto" .value=${view.pageFilter} />
    </div>
    <div class="field">
      <label for="q">${i18n.t('filterSearch')}</label>
      <input id="q" name="q" type="search" dir="auto" .value=${view.search} />
    </div>
    <button type="submit">${i18n.t('applyFilters')}</button>
    ${
      view.pageFilter || view.search
        ? html`<button type="button" @click=${view.onClearFilters}>${i18n.t('clearFilters')}</button>`
        : nothing
    }
  </form>`;
}

export function renderToolbar(view: QueueControlsView): TemplateResult {
  const { i18n, selected, shown } = view;
  const all = selected > 0 && selected === shown;
  return html`<div class="toolbar">
    ${
      shown
        ? html`<label class="choice">
            <input
              type="checkbox"
              .checked=${all}
              .indeterminate=${selected > 0 && !all}
              @change=${(event: Event) => view.onSelectAll((event.target as HTMLInputElement).checked)}
            />
            ${i18n.t('selectAll')}
          </label>`
        : nothing
    }
    ${
      selected
        ? html`<div class="bulk" role="group" aria-label=${i18n.t('bulkLabel')}>
            <span>${i18n.plural(selected, 'selectedOne', 'selectedOther')}</span>
            ${statusActions(view.status).map(
              (action) =>
                html`<button type="button" class=${actionClass(action)} @click=${() => view.onBulk(action)}>
                  ${i18n.t(ACTION_LABELS[action])}
                </button>`,
            )}
          </div>`
        : nothing
    }
    <button type="button" class="spacer" @click=${(event: Event) => view.onHelp(event.currentTarget as HTMLElement)}>
      ${i18n.t('shortcutsButton')}
    </button>
  </div>`;
}
