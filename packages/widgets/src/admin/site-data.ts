/** Loads an admin panel's data for the chosen site, again whenever the owner switches site. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { LatestRequest } from '../internal/api-client.js';
import type { AdminContext } from './context.js';

export class SiteData implements ReactiveController {
  /** The panel's requests: a newer one (or leaving the page) drops the answer to an older one. */
  readonly request = new LatestRequest();
  #site = '';

  constructor(
    private readonly host: ReactiveControllerHost & { context: AdminContext | undefined },
    private readonly load: () => void,
  ) {
    host.addController(this);
  }

  /** Runs right after the host's willUpdate, so what `load` sets shows in the same render. */
  hostUpdate(): void {
    const site = this.host.context?.site;
    if (site === undefined || site === this.#site) return;
    this.#site = site;
    this.load();
  }

  hostDisconnected(): void {
    this.request.abort();
  }
}
