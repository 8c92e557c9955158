/**
 * The admin page's toast, and the undo behind it. A moderation change is held back while its toast shows and sent
 * when the toast ends (timeout, the next change, sign-out or leaving the page): undo then costs no request and needs no
 * reverse action, which the API does not have for "back to pending". A notice (a failure, a ban lifted) shows over a
 * change still held back without sending it: the change stays behind it, undoable, and shows again when it goes.
 */

export interface ToastRequest {
  message: string;
  /** Puts things back; false when that failed (and said so). Without it the toast only informs. */
  undo?: () => void | boolean | Promise<void | boolean>;
  /** Work held back until the toast ends without undo; `keepalive` when the page is going away. */
  commit?: (keepalive: boolean) => Promise<void>;
}

export const TOAST_MS = 8_000;

const holdsWork = (toast: ToastRequest | undefined) => toast?.undo !== undefined || toast?.commit !== undefined;

export class Toasts {
  current: ToastRequest | undefined;
  /** A change held back under the notice now shown: still undoable, and shown again when the notice goes. */
  behind: ToastRequest | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #paused = false;

  constructor(
    private readonly changed: () => void,
    private readonly ms = TOAST_MS,
  ) {}

  /**
   * Shows a toast. One holding a change first settles those before (their held-back work is sent now); a notice
   * puts a change held back behind it instead.
   */
  async show(request: ToastRequest): Promise<void> {
    const previous = this.#take();
    let settled: (ToastRequest | undefined)[] = [];
    if (holdsWork(request)) {
      settled = [this.behind, previous];
      this.behind = undefined;
    } else if (holdsWork(previous)) {
      this.behind = previous;
    }
    this.current = request;
    this.#arm();
    this.changed();
    for (const toast of settled) await toast?.commit?.(false);
  }

  /**
   * Undoes what the toast (or the change behind a notice) offers to undo; false when there is nothing to undo, or it
   * failed.
   */
  async undo(): Promise<boolean> {
    let toast: ToastRequest | undefined;
    if (this.current?.undo) toast = this.#take();
    else if (this.behind?.undo) [toast, this.behind] = [this.behind, undefined];
    if (!toast) return false;
    this.changed();
    return (await toast.undo?.()) !== false;
  }

  /** Ends the toast shown, sending its held-back work; a change held back behind it shows again. */
  async dismiss(): Promise<void> {
    const toast = this.#take();
    if (this.behind) {
      [this.current, this.behind] = [this.behind, undefined];
      this.#arm();
    }
    if (toast || this.current) this.changed();
    await toast?.commit?.(false);
  }

  /** Ends every toast now, sending any held-back work. */
  async settle(keepalive = false): Promise<void> {
    const toasts = [this.behind, this.#take()];
    this.behind = undefined;
    if (toasts.some(Boolean)) this.changed();
    for (const toast of toasts) await toast?.commit?.(keepalive);
  }

  /** While the owner hovers or focuses the toast, it stays (WCAG 2.2.1: time limits can be extended). */
  pause(): void {
    this.#paused = true;
    clearTimeout(this.#timer);
  }

  resume(): void {
    this.#paused = false;
    this.#arm();
  }

  #arm(): void {
    clearTimeout(this.#timer);
    if (this.current && !this.#paused) this.#timer = setTimeout(() => void this.dismiss(), this.ms);
  }

  #take(): ToastRequest | undefined {
    clearTimeout(this.#timer);
    const toast = this.current;
    this.current = undefined;
    return toast;
  }
}
