/** A view beacon's body checked and turned into a page view the isolate buffer can count. */
import { normalizePageId } from '@sala/protocol';
import type { PageMeta } from '@sala/protocol';
import { validatePageMeta } from './page-meta.js';
import type { OriginCheck } from './page-meta.js';

/** One counted view: the normalised page id, its checked metadata, and how many views it stands for. */
export interface PageView {
  pageId: string;
  meta: PageMeta;
  weight: number;
}

export interface ViewBeaconOptions {
  isAllowedOrigin: OriginCheck;
  /**
   * The site's sample rate N (1 in N views is sent, carrying weight N). A beacon's weight is capped at it, so a
   * forged beacon cannot count as a thousand views; a stale script that sends every view with weight 1 stays right.
   */
  sampleRate: number;
}

export type ViewBeaconResult = { ok: true; view: PageView } | { ok: false; field: string; message: string };

export function parseViewBeacon(body: unknown, options: ViewBeaconOptions): ViewBeaconResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, field: 'body', message: 'the view must be a JSON object' };
  }
  const raw = body as Record<string, unknown>;

  const pageId = typeof raw.page === 'string' ? normalizePageId(raw.page) : null;
  if (pageId === null) return { ok: false, field: 'page', message: 'page must be a page id or URL' };

  const weight = raw.weight ?? 1;
  if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 1) {
    return { ok: false, field: 'weight', message: 'weight must be a whole number of views, 1 or more' };
  }

  const meta = validatePageMeta(raw.meta, options.isAllowedOrigin);
  if (!meta.ok) return meta;
  return { ok: true, view: { pageId, meta: meta.meta, weight: Math.min(weight, Math.max(1, options.sampleRate)) } };
}
