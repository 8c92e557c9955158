/** What every part of the admin page is handed by <sala-admin>: the API, the chosen site, strings, and feedback. */
import type { AdminApi } from './admin-api.js';
import type { AdminTranslator } from './strings/admin-strings.js';
import type { ToastRequest } from './toasts.js';

export interface AdminContext {
  api: AdminApi;
  /** The site id being managed. */
  site: string;
  i18n: AdminTranslator;
  /** Says something through the page's polite live region. */
  announce(message: string): void;
  /** Shows a toast (and announces it); see toasts.ts for held-back work and undo. */
  toast(request: ToastRequest): Promise<void>;
  /** Ends the current toast now, sending any change it held back. */
  settle(): Promise<void>;
  /** Undoes what the current toast offers to undo, if anything. */
  undo(): Promise<void>;
  /**
   * The message to show for a failed request. A lost session (401) also sends the owner back to sign-in, so
   * every part handles failure the same way.
   */
  failed(error: unknown): string;
}
