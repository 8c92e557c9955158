/**
 * A new comment sent sooner than this after the page's first form showed is a bot's speed, not a person typing:
 * the Worker refuses it (worker/src/domain/spam.ts), and the widget, told so, waits out the rest and sends it again
 * (comments/sending.ts).
 */
export const MIN_ELAPSED_MS = 3000;
