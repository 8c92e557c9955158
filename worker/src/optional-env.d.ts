/** Vars an operator may set that wrangler.jsonc leaves out, so `wrangler types` cannot see them. Hand-written. */
interface Env {
  /** Seconds a commenter may edit or delete their comment; LIMITS.editWindowSeconds when unset. */
  EDIT_WINDOW_SECONDS?: string;
}

declare namespace Cloudflare {
  interface Env {
    EDIT_WINDOW_SECONDS?: string;
  }
}
