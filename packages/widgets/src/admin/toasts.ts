/**
 * The admin page's one toast at a time, and the undo behind it. A moderation change is held back while its toast
 * shows and sent when the toast ends (timeout, the next action, sign-out or leaving the page): undo then costs no
 * request and needs no reverse action, which the API does not have for "back to pending".
 */

export interface ToastRequest {
  message: string;
  /** Puts things back. Without it the toast only informs. */
  undo?: () => void | Promise<void>;
  /** Work held back until the toast ends without undo; `keepalive` when the page is going away. */
  commit?: (keepalive: boolean) => Promise<void>;
}

export const TOAST_MS = 8_000;

export class Toasts {
  current: ToastRequest | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #paused = false;

  constructor(
    private readonly changed: () => void,
    private readonly ms = TOAST_MS,
  ) {}

  /** Shows a toast, first settling the one before (its held-back work is sent now). */
  async show(request: ToastRequest): Promise<void> {
    const previous = this.#take();
    this.current = request;
    this.#arm();
    this.changed();
    await previous?.commit?.(false);
  }

  /** Undoes what the toast offers to undo; false when there is nothing to undo. */
  async undo(): Promise<boolean> {
    if (!this.current?.undo) return false;
    const toast = this.#take();
    this.changed();
    await toast?.undo?.();
    return true;
  }

  /** Ends the toast now, sending any held-back work. */
  async settle(keepalive = false): Promise<void> {
    const toast = this.#take();
    if (toast) this.changed();
    await toast?.commit?.(keepalive);
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
    if (this.current && !this.#paused) this.#timer = setTimeout(() => void this.settle(), this.ms);
  }

  #take(): ToastRequest | undefined {
    clearTimeout(this.#timer);
    const toast = this.current;
    this.current = undefined;
    return toast;
  }
}
