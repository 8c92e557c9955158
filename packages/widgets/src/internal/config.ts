/** Page-wide defaults: the embed build points every element at the Worker that served it. */
import type { SalaElement } from './sala-element.js';

/**
 * Sala elements on the page now (sala-element.ts keeps it): `no-track` on any one of them keeps the page's view from
 * being counted, and a later `setDefaultApi()` reaches those without an `api` of their own.
 */
export const connectedElements = new Set<SalaElement>();

let defaultApi: string | undefined;

/**
 * Sets the API origin elements use when they have no `api` attribute: those already on the page take it now and load
 * (an app may render them before it sets this), those added later as they render.
 */
export function setDefaultApi(origin: string): void {
  defaultApi = origin.replace(/(\/api\/v1)?\/*$/, ''); // as an `api` attribute: its base path pasted with it goes
  for (const element of connectedElements) element.requestUpdate();
}

export function getDefaultApi(): string | undefined {
  return defaultApi;
}
