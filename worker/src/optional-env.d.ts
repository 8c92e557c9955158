/** Vars an operator may set that wrangler.jsonc leaves out, so `wrangler types` cannot see them. Hand-written. */
interface Env {
  /** Seconds a commenter may edit or delete their comment; LIMITS.editWindowSeconds when unset. */
  EDIT_WINDOW_SECONDS?: string;
  /** "true" under `npm run dev` and the end-to-end tests: each cron run writes every buffered view first. */
  SALA_DEV_FLUSH_VIEWS?: string;
}

declare namespace Cloudflare {
  interface Env {
    EDIT_WINDOW_SECONDS?: string;
    SALA_DEV_FLUSH_VIEWS?: string;
  }
}
