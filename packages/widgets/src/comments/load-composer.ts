/** Fetches the comment form's code once, the first time anyone opens a form (or reaches for a button that does). */
let loading: Promise<unknown> | undefined;

export function loadComposer(): Promise<unknown> {
  loading ??= import('./composer.js').catch((error: unknown) => {
    loading = undefined; // let the next click try again
    throw error;
  });
  return loading;
}

/** Starts the download early, on hover or focus; a failure is reported when the form is actually opened. */
export function preloadComposer(): void {
  loadComposer().catch(() => {});
}
